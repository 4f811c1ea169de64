import DiscordModels
import Foundation

/// Who a REST request speaks for.
enum RequestIdentity: Sendable, Equatable {
    case anonymous
    case bot
    /// An OAuth2 user token, with the user it belongs to and its scopes.
    case bearer(UserID, scopes: Set<String>)
}

/// A REST request after routing: path parameters, query, parsed body and identity.
struct RESTRequest: Sendable {
    var method: String
    var path: String
    var parameters: [String: String]
    var query: [String: String]
    var body: JSONValue?
    var rawBody: [UInt8]
    var contentType: String?
    var auditLogReason: String?
    var identity: RequestIdentity
    var authorization: String?
    var now: Date

    func id<Entity>(_ name: String, as type: Entity.Type = Entity.self) -> Snowflake<Entity>? {
        parameters[name].flatMap { Snowflake<Entity>($0) }
    }

    /// The body as a JSON object; Discord answers a non-object body for object routes with 50035.
    var object: [String: JSONValue] { body?.objectValue ?? [:] }
}

/// A REST response before it becomes HTTP.
enum RESTResponse: Sendable {
    case json(status: Int, body: Data)
    case noContent
    case error(DiscordAPIError)
    case redirect(location: String)
    case html(status: Int, body: String)
    /// Bytes of an uploaded file.
    case file(contentType: String, body: Data)
    case rateLimited(scope: String, retryAfter: Double, bucket: RESTRateLimiter.BucketStatus?)

    static func ok<Value: Encodable>(_ value: Value, status: Int = 200) -> RESTResponse {
        do {
            return .json(status: status, body: try DiscordJSON.makeEncoder().encode(value))
        } catch {
            return .error(DiscordAPIError(status: 500, code: 0, message: "500: Internal Server Error"))
        }
    }

    var status: Int {
        switch self {
        case .json(let status, _): status
        case .noContent: 204
        case .error(let error): error.status
        case .redirect: 302
        case .html(let status, _): status
        case .file: 200
        case .rateLimited: 429
        }
    }
}

/// One REST route: its method and path template, rate-limit bucket, authentication and handler.
struct RESTRoute: Sendable {
    enum Authentication: Sendable {
        /// No `Authorization` needed (gateway URL, interaction callbacks and webhook routes with a token).
        case none
        case bot
        /// A bot token or an OAuth2 bearer token.
        case botOrBearer
    }

    /// Throws Discord's error (`DiscordAPIError`) when the request cannot be served; the responder answers it.
    typealias Handler = @Sendable (inout EmulatorState, RESTRequest) throws -> RESTResponse

    let method: String
    /// As declared (`channels/{channel}/messages`), for the exchange records.
    let template: String
    let segments: [Substring]
    let bucket: String?
    /// The path parameter that partitions the bucket (`channel`, `guild`, or `webhook` + `token`).
    let majorParameters: [String]
    let authentication: Authentication
    /// Interaction callbacks and webhook routes do not count against the global limit.
    let countsTowardGlobal: Bool
    /// Discord sends no `X-RateLimit-*` headers on interaction callbacks (clients such as hikari treat them as
    /// unexpected there); the bucket is still enforced.
    let sendsRateLimitHeaders: Bool
    let handler: Handler

    init(
        _ method: String, _ template: String, bucket: String?, major: [String] = [],
        authentication: Authentication = .bot, countsTowardGlobal: Bool = true, sendsRateLimitHeaders: Bool = true,
        handler: @escaping Handler
    ) {
        self.method = method
        self.template = template
        self.segments = template.split(separator: "/")
        self.bucket = bucket
        self.majorParameters = major
        self.authentication = authentication
        self.countsTowardGlobal = countsTowardGlobal
        self.sendsRateLimitHeaders = sendsRateLimitHeaders
        self.handler = handler
    }

    /// The parameters if `pathSegments` fits this template (`{name}` matches one segment).
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, segment) in zip(segments, pathSegments) {
            if pattern.first == "{" && pattern.last == "}" {
                parameters[String(pattern.dropFirst().dropLast())] = String(segment)
            } else if pattern != segment {
                return nil
            }
        }
        return parameters
    }
}
