public import DiscordModels
public import Foundation

/// How the local Discord is set up: where it listens, what it seeds, and the limits it enforces.
/// Defaults follow Discord's documented behaviour; tests shorten the time windows.
public struct EmulatorConfiguration: Sendable {
    /// The development bot token (`base64(bot user ID).timestamp-part.hmac-part`, shaped like a real one).
    /// It is public on purpose and works only against the emulator.
    public static let developmentBotToken = "MTAwMDAwMDAwMDAwMDAwMDAwMQ.GxEmuL.aetheria-emulator-development-token-ok"
    /// The development OAuth2 client secret of the emulated application.
    public static let developmentClientSecret = "aetheria-emulator-client-secret"
    /// The bot's user ID, which is also its application ID. Encoded in the first part of the token.
    public static let botUserID = UserID(1_000_000_000_000_000_001)

    public var host = "127.0.0.1"
    /// REST, OAuth2 and control API port; 0 picks a free one.
    public var port = 8900
    /// Gateway (WebSocket) port; 0 picks a free one. Discord serves the gateway from its own host too.
    public var gatewayPort = 8901

    public var guilds = 3
    public var membersPerGuild = 12
    public var textChannelsPerGuild = 6
    public var extraRolesPerGuild = 2
    public var seed: UInt64 = 42

    public var botToken = Self.developmentBotToken
    public var clientSecret = Self.developmentClientSecret
    /// Privileged intents the application has switched on in the (imaginary) developer portal.
    public var enabledPrivilegedIntents: GatewayIntents = .privileged

    public var maxConcurrency = 1
    /// `shards` in `GET /gateway/bot`; `nil` means one shard per 1,000 guilds, as Discord recommends.
    public var recommendedShards: Int?
    public var sessionStartLimit = 1000
    public var heartbeatInterval: Duration = .milliseconds(41_250)
    /// A client that sends no heartbeat for this many intervals is closed with 4000 (session kept).
    public var heartbeatTimeoutFactor = 1.5
    /// How long one identify bucket stays taken (Discord: 5 s).
    public var identifyWindow: Duration = .seconds(5)
    /// How long a disconnected session can still be resumed.
    public var resumeWindow: Duration = .seconds(180)
    /// Dispatches kept per session for replay on resume; older ones make RESUME fail with op 9.
    public var replayBufferLimit = 50_000
    /// Client payloads per connection per minute before close 4008.
    public var gatewaySendLimit = 120
    public var gatewaySendWindow: Duration = .seconds(60)
    public var maximumGuildsPerShard = 2500

    /// Requests per second per bot before a global 429 (interaction routes are exempt).
    public var globalRateLimit = 50
    /// Per-route limits, by bucket name; see `RouteLimit.defaults`.
    public var routeLimits = RouteLimit.defaults
    /// How long an interaction token accepts its initial response (Discord: 3 s) and follow-ups (15 min).
    public var interactionResponseDeadline: Duration = .seconds(3)
    public var interactionTokenLifetime: Duration = .seconds(15 * 60)
    /// Messages kept per channel (the oldest are forgotten), so memory stays bounded.
    public var messagesPerChannelLimit = 5_000
    /// Largest request body accepted.
    public var maximumRequestBodyBytes = 25 * 1024 * 1024

    public init() {}

    /// The shard count Discord would recommend for `guildCount` guilds.
    public func recommendedShardCount(guildCount: Int) -> Int {
        recommendedShards ?? max(1, (guildCount + 999) / 1000)
    }
}

/// A per-route limit the emulator enforces: `limit` requests per `window`, per major parameter.
public struct RouteLimit: Sendable, Hashable {
    public var limit: Int
    public var window: Duration

    public init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// Discord does not document per-route numbers (clients must read the headers); these are typical
    /// values seen from the real API, by bucket name.
    public static let defaults: [String: RouteLimit] = [
        "messages.create": RouteLimit(limit: 5, window: .seconds(5)),
        "messages.modify": RouteLimit(limit: 5, window: .seconds(5)),
        "messages.delete": RouteLimit(limit: 5, window: .seconds(1)),
        "messages.list": RouteLimit(limit: 50, window: .seconds(1)),
        "channels.create": RouteLimit(limit: 10, window: .seconds(10)),
        "channels.modify": RouteLimit(limit: 5, window: .seconds(5)),
        "channels.delete": RouteLimit(limit: 5, window: .seconds(5)),
        "channels.read": RouteLimit(limit: 50, window: .seconds(1)),
        "channels.permissions": RouteLimit(limit: 10, window: .seconds(10)),
        "guilds.read": RouteLimit(limit: 50, window: .seconds(1)),
        "commands": RouteLimit(limit: 5, window: .seconds(20)),
        "interactions.callback": RouteLimit(limit: 50, window: .seconds(1)),
        "webhooks": RouteLimit(limit: 5, window: .seconds(2)),
        "gateway": RouteLimit(limit: 50, window: .seconds(1)),
        "users": RouteLimit(limit: 50, window: .seconds(1)),
        "dm.create": RouteLimit(limit: 5, window: .seconds(5)),
        "oauth2": RouteLimit(limit: 50, window: .seconds(1)),
    ]
}
