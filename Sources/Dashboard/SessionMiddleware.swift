import Foundation
import Hummingbird

/// Reads the session cookie of every request into the context (`nil` when absent, malformed or expired),
/// so that routes and the other middleware ask the context, never the cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    let sessions: DashboardSessions
    let now: @Sendable () -> Date

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.session = await sessions.session(request.cookies[DashboardCookie.session]?.value, now: now())
        return try await next(request, context)
    }
}

/// The dashboard's two cookies, both HttpOnly and SameSite=Lax.
enum DashboardCookie {
    static let session = "aetheria_session"
    static let loginState = "aetheria_oauth_state"

    static func make(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
