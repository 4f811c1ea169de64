/// A REST call that failed, with what a caller can act on. Never carries the bot token.
public struct DiscordRESTError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 50013: the bot lacks a permission for this action.
        case missingPermissions
        /// 50001: the bot cannot see the resource.
        case missingAccess
        /// 10003.
        case unknownChannel
        /// 10008.
        case unknownMessage
        /// 10062: the interaction expired (3 s) or never existed.
        case unknownInteraction
        /// 40060.
        case alreadyAcknowledged
        /// 50035, with the field paths.
        case invalidFormBody
        /// 401 or a revoked token: every request is stopped.
        case unauthorized
        /// Refused locally by the rate limiter's breaker, before reaching Discord.
        case refusedByRateLimiter
        /// A 5xx that retries did not cure.
        case serverError
        /// The connection failed or timed out.
        case transport
        /// Any other Discord error: see `code` and `message`.
        case other
    }

    public var kind: Kind
    public var status: Int?
    /// Discord's JSON error code (`0` when it sent none).
    public var code: Int
    public var message: String
    public var fieldErrors: [DiscordErrorBody.FieldError]
    /// `METHOD /path/template`, never the concrete URL (which may hold an interaction token).
    public var route: String

    public init(
        kind: Kind, status: Int?, code: Int = 0, message: String, fieldErrors: [DiscordErrorBody.FieldError] = [],
        route: String
    ) {
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.route = route
    }

    /// Maps Discord's error body (and status) to a typed error.
    package init(status: Int, body: DiscordErrorBody?, route: String) {
        let code = body?.code ?? 0
        let kind: Kind =
            switch (status, code) {
            case (_, 50013): .missingPermissions
            case (_, 50001): .missingAccess
            case (_, 10003): .unknownChannel
            case (_, 10008): .unknownMessage
            case (_, 10062): .unknownInteraction
            case (_, 40060): .alreadyAcknowledged
            case (_, 50035): .invalidFormBody
            case (401, _): .unauthorized
            case (500...599, _): .serverError
            default: .other
            }
        self.init(
            kind: kind, status: status, code: code, message: body?.message ?? "HTTP \(status)",
            fieldErrors: body?.fieldErrors ?? [], route: route)
    }

    public var description: String {
        var text = "\(route) failed: \(message)"
        if let status { text += " (HTTP \(status), code \(code))" }
        if !fieldErrors.isEmpty {
            text += " — " + fieldErrors.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
        }
        return text
    }
}
