public import DiscordREST
public import Foundation
public import TicketCore

/// Everything an Aetheria process needs to know at start-up, as plain values. Filled from
/// `config/aetheria.json` and the environment by `ConfigurationLoader`; every key is documented in
/// `docs/configuration.md`.
public struct AetheriaConfiguration: Sendable, Equatable {
    /// How many shards the bot runs in total.
    public enum ShardCount: Sendable, Equatable {
        /// Discord's recommendation from `GET /gateway/bot`.
        case automatic
        case fixed(Int)
    }

    public var discordToken: String?
    public var discordAPIURL: URL
    public var discordGatewayURL: URL?
    public var discordClientID: String?
    public var discordClientSecret: String?
    public var shardCount: ShardCount
    /// The shards this process runs; `nil` means all of them.
    public var shardRange: ClosedRange<Int>?
    /// A stable name for this worker (a pod name, a host name), unique in the fleet. With it, a restarted
    /// worker retakes its shard leases in Redis at once instead of waiting for them to expire; without it,
    /// every start is a stranger and waits.
    public var instanceID: String?
    /// `compress=zlib-stream` on gateway connections: about a fifth of the bytes for a little CPU.
    public var gatewayCompression = true
    public var redisURL: URL?
    public var dataDirectory: String
    public var dashboardHost: String
    public var dashboardPort: Int
    /// The dashboard's address as users reach it, for OAuth2 redirects and links in audit entries.
    public var dashboardPublicURL: URL?
    /// Discord's OAuth2 authorize page (the emulator's in the demo).
    public var dashboardAuthorizeURL = URL(string: "https://discord.com/oauth2/authorize")!
    /// `Secure` session cookies; only a plain-HTTP local dashboard turns this off.
    public var dashboardSecureCookies = true
    /// When set, `/metrics` requires `Authorization: Bearer <token>`.
    public var metricsToken: String?
    /// Closed tickets' transcripts older than this many days are deleted; `nil` keeps them forever.
    public var transcriptRetentionDays: Int?
    /// Ask Discord for member events (the privileged GUILD_MEMBERS intent, enabled for the application in the
    /// developer portal): needed to close or flag tickets whose opener left the server.
    public var memberEvents = false
    /// Where files posted in tickets may be fetched from for their transcripts (`scheme://host[:port]`).
    public var transcriptAttachmentOrigins = AttachmentFetcher.discordOrigins
    /// How many bytes of files one ticket's transcript keeps (0 keeps none: they are listed, not saved).
    public var transcriptAttachmentBudgetBytes = AttachmentFetcher.defaultBudgetBytes
    /// How often open tickets are checked for the stale reminder (12 hours by default).
    public var staleCheckInterval: Duration
    /// The backoff of every unfinished workflow (closes, transcript deliveries, openings): `tickets.retryCapSeconds`.
    public var retrySchedule = RetrySchedule()
    /// How long ticket activity (message times and counts) may wait before it is written; lifecycle changes
    /// are written at once. Longer means fewer writes and more recent activity lost in a crash.
    public var activityFlushDelay: Duration = .seconds(5)
    public var logLevel: String

    public static let discordAPIDefault = URL(string: "https://discord.com/api/v10")!

    public init(
        discordToken: String? = nil, discordAPIURL: URL = Self.discordAPIDefault, discordGatewayURL: URL? = nil,
        discordClientID: String? = nil, discordClientSecret: String? = nil, shardCount: ShardCount = .automatic,
        shardRange: ClosedRange<Int>? = nil, redisURL: URL? = nil, dataDirectory: String = "./data",
        dashboardHost: String = "127.0.0.1", dashboardPort: Int = 8080, dashboardPublicURL: URL? = nil,
        staleCheckInterval: Duration = .seconds(12 * 3_600), logLevel: String = "info"
    ) {
        self.discordToken = discordToken
        self.discordAPIURL = discordAPIURL
        self.discordGatewayURL = discordGatewayURL
        self.discordClientID = discordClientID
        self.discordClientSecret = discordClientSecret
        self.shardCount = shardCount
        self.shardRange = shardRange
        self.redisURL = redisURL
        self.dataDirectory = dataDirectory
        self.dashboardHost = dashboardHost
        self.dashboardPort = dashboardPort
        self.dashboardPublicURL = dashboardPublicURL
        self.transcriptRetentionDays = nil
        self.staleCheckInterval = staleCheckInterval
        self.logLevel = logLevel
    }
}

extension AetheriaConfiguration: CustomStringConvertible {
    /// A description safe to log: secrets are shown only as present or absent.
    public var description: String {
        func secret(_ value: String?) -> String { value == nil ? "unset" : "set (redacted)" }
        let redis = redisURL.map { ConfigurationLoader.redactingPassword(in: $0) } ?? "embedded SQLite"
        return """
            discord.token=\(secret(discordToken)) discord.apiURL=\(discordAPIURL.absoluteString) \
            discord.clientSecret=\(secret(discordClientSecret)) shards=\(shardCount) \
            shardRange=\(shardRange.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "all") \
            instanceID=\(instanceID ?? "unset") storage=\(redis) \
            dataDirectory=\(dataDirectory) dashboard=\(dashboardHost):\(dashboardPort)
            """
    }
}
