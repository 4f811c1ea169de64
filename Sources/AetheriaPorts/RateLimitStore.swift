public import DiscordModels

/// Why a request must not be sent at all.
public enum RateLimitRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// A 401 said the token no longer works: nothing is sent until an operator fixes it.
    case tokenRevoked
    /// Too many invalid requests recently: sending more risks a Cloudflare ban of the whole bot.
    case invalidRequestBreakerOpen(until: ContinuousClock.Instant)
    /// This guild's requests produced too many invalid responses recently (typically a permission it took
    /// from the bot): its requests wait, every other guild's go on.
    case guildInvalidRequestBudgetExhausted(guildID: UInt64, until: ContinuousClock.Instant)

    public var description: String {
        switch self {
        case .tokenRevoked:
            "Discord answered 401 Unauthorized: the bot token was revoked or reset. All requests are stopped; set a new DISCORD_TOKEN and restart."
        case .invalidRequestBreakerOpen:
            "Too many 401/403/429 responses in the last 10 minutes; requests are paused to avoid Discord's temporary ban."
        case .guildInvalidRequestBudgetExhausted(let guildID, _):
            "Requests for guild \(guildID) received too many 401/403/429 responses in the last 10 minutes (a missing permission?); its requests are paused, other guilds are not affected."
        }
    }
}

public enum RateLimitDecision: Sendable, Equatable {
    /// Send now; a slot was taken.
    case send
    /// Ask again at this instant.
    case wait(until: ContinuousClock.Instant)
    case refuse(RateLimitRefusal)
}

/// Where REST rate-limit state lives: in this process (`InProcessRateLimitStore`), or in Redis so several
/// Aetheria processes share one global limit and the buckets (`RedisRateLimitStore`). The port lives here so
/// `DiscordREST` and `Storage` both see it without importing each other.
public protocol RateLimitStore: Sendable {
    func decide(_ route: RateLimitRoute, now: ContinuousClock.Instant) async -> RateLimitDecision
    func record(_ response: RateLimitResponse, for route: RateLimitRoute, now: ContinuousClock.Instant) async
    func abandon(_ route: RateLimitRoute) async
}
