/// A REST route as the rate limiter sees it: the method and path template (`POST /channels/{channel}/messages`)
/// and the major parameter that partitions its bucket (the channel, guild, or webhook + token).
public struct RateLimitRoute: Sendable, Hashable, CustomStringConvertible {
    public var template: String
    public var majorParameter: String
    /// Interaction callbacks and webhook routes with an interaction token do not count against the global
    /// limit (discord-protocol.md §8).
    public var isExemptFromGlobalLimit: Bool

    public init(template: String, majorParameter: String = "", isExemptFromGlobalLimit: Bool = false) {
        self.template = template
        self.majorParameter = majorParameter
        self.isExemptFromGlobalLimit = isExemptFromGlobalLimit
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
