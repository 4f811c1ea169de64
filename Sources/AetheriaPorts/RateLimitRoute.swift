public import DiscordModels

/// A REST route as the rate limiter sees it: the method and path template (`POST /channels/{channel}/messages`)
/// and the major parameter that partitions its bucket (the channel, guild, or webhook + token).
public struct RateLimitRoute: Sendable, Hashable, CustomStringConvertible {
    public var template: String
    public var majorParameter: String
    /// Interaction callbacks and webhook routes with an interaction token do not count against the global
    /// limit (discord-protocol.md §8).
    public var isExemptFromGlobalLimit: Bool
    /// Whether the request carries the bot token. Only a 401 on such a route says the token is revoked: an
    /// interaction webhook answers 401 once its token's 15 minutes are over, and an OAuth2 Bearer call once the
    /// user's grant ends, while the bot token is fine.
    public var usesBotToken: Bool
    /// The guild whose work this request is, when known: invalid responses are counted per guild too, so one
    /// guild that lost a permission exhausts its own budget, never the process's.
    public var guildID: UInt64?

    public init(
        template: String, majorParameter: String = "", isExemptFromGlobalLimit: Bool = false,
        usesBotToken: Bool = true, guildID: UInt64? = nil
    ) {
        self.template = template
        self.majorParameter = majorParameter
        self.isExemptFromGlobalLimit = isExemptFromGlobalLimit
        self.usesBotToken = usesBotToken
        self.guildID = guildID
    }

    public var description: String { majorParameter.isEmpty ? template : "\(template) [\(majorParameter)]" }
}

/// What a response says about rate limits: the `X-RateLimit-*` headers, and for a 429 its body.
public struct RateLimitResponse: Sendable, Equatable {
    public var status: Int
    public var bucket: String?
    public var limit: Int?
    public var remaining: Int?
    /// `X-RateLimit-Reset-After`, in seconds.
    public var resetAfter: Double?
    /// For 429: `retry_after` from the body (or `Retry-After`), in seconds.
    public var retryAfter: Double?
    public var isGlobal = false
    /// `X-RateLimit-Scope`: `user`, `global` or `shared`.
    public var scope: String?

    public init(
        status: Int, bucket: String? = nil, limit: Int? = nil, remaining: Int? = nil, resetAfter: Double? = nil,
        retryAfter: Double? = nil, isGlobal: Bool = false, scope: String? = nil
    ) {
        self.status = status
        self.bucket = bucket
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
        self.isGlobal = isGlobal
        self.scope = scope
    }
}
