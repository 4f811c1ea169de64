import HTTPTypes
import Hummingbird
import NIOCore

/// A refusal shown as a dashboard page: thrown anywhere in a route or middleware, turned into an HTML page
/// with its status by `PageMiddleware`.
struct PageFailure: Error {
    var status: HTTPResponse.Status
    var page: String

    static func notFound(session: DashboardSessions.Session?) -> PageFailure {
        PageFailure(
            status: .notFound, page: DashboardPages.error("Not found", "There is nothing here.", session: session))
    }

    static func slowDown(_ message: String, session: DashboardSessions.Session?) -> PageFailure {
        PageFailure(
            status: .tooManyRequests, page: DashboardPages.error("Slow down", message, session: session))
    }

    static func noAccess(_ message: String, session: DashboardSessions.Session?) -> PageFailure {
        PageFailure(status: .forbidden, page: DashboardPages.error("No access", message, session: session))
    }
}

/// The few response shapes the dashboard sends.
enum DashboardResponse {
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func text(_ text: String, type: String, cacheFor seconds: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type]
        if let seconds { headers[.cacheControl] = "public, max-age=\(seconds)" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
