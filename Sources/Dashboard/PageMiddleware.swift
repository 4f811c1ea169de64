import HTTPTypes
import Hummingbird
import Logging

/// Turns every refusal into a dashboard page and puts the security headers on every response, whatever
/// produced it: a route, a `PageFailure` thrown by middleware, the router's own 404, or an unexpected error
/// (a 500 page that names nothing internal; the error goes to the log).
struct PageMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    static let pagePolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let failure as PageFailure {
            response = DashboardResponse.html(failure.page, status: failure.status)
        } catch let error as HTTPError {
            // The router's own refusals: no such route (shown as 404 whatever the method), or a body too large.
            let failure =
                error.status == .notFound || error.status == .methodNotAllowed
                ? PageFailure.notFound(session: context.session)
                : PageFailure(
                    status: error.status,
                    page: DashboardPages.error(
                        "Request refused", "The request could not be read.", session: context.session))
            response = DashboardResponse.html(failure.page, status: failure.status)
        } catch {
            context.logger.error(
                "dashboard request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            response = DashboardResponse.html(
                DashboardPages.error(
                    "Something went wrong", "This page could not be shown; try again in a moment.",
                    session: context.session),
                status: .internalServerError)
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.pagePolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.frameOptions] == nil { response.headers[.frameOptions] = "DENY" }
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }
}

extension HTTPField.Name {
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
