import Foundation
import Hummingbird
import NIOCore

/// Guards every form post: a session is required, posts are rate-limited per user (not per socket: behind a
/// reverse proxy every user shares one address), the body is bounded, and its `csrf` field must match the
/// session's token. The route then decodes the same body with the context's form decoder.
struct FormPostMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    let postLimiter: PostRateLimiter
    let maximumBodyBytes: Int
    let now: @Sendable () -> Date

    /// Every dashboard form carries the session's token in this field.
    struct CSRFField: Decodable {
        var csrf: String?
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let session = try context.requireSession()
        guard postLimiter.allow("posts:\(session.userID)", now: now()) else {
            throw PageFailure.slowDown("Too many changes in a minute; wait a moment.", session: session)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            throw PageFailure(
                status: .contentTooLarge,
                page: DashboardPages.error("Too large", "The form was too large.", session: session))
        }
        request.body = .init(buffer: body)
        let fields: CSRFField
        do {
            fields = try URLEncodedFormDecoder().decode(CSRFField.self, from: String(buffer: body))
        } catch {
            // Not a form a page of ours sends (a repeated field, a broken escape): say so, not "expired".
            throw PageFailure(
                status: .badRequest,
                page: DashboardPages.error(
                    "Form not readable", "The form could not be read. Reload the page and try again.",
                    session: session))
        }
        guard let token = fields.csrf, Self.constantTimeEqual(token, session.csrfToken) else {
            throw PageFailure(
                status: .forbidden,
                page: DashboardPages.error(
                    "Form expired", "The form was not sent from this page. Reload it and try again.", session: session))
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let (a, b) = (Array(lhs.utf8), Array(rhs.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
