public import DiscordModels

/// How the bot connects to the gateway. Defaults follow discord-protocol.md §1–§2.
public struct GatewayConfiguration: Sendable {
    /// The bot token; sent only inside IDENTIFY and RESUME, never logged.
    public var token: String
    public var intents: GatewayIntents
    /// `?compress=zlib-stream` on every connection.
    public var compression = true
    /// Largest WebSocket frame accepted: GUILD_CREATE of a big guild is many megabytes; the usual 16 KiB
    /// default would drop it.
    public var maximumFrameSize = 64 * 1024 * 1024
    /// Largest message after inflating (a guard against decompression bombs).
    public var maximumMessageSize = 256 * 1024 * 1024
    /// Discord's limit on what a client may send in one payload.
    public var maximumPayloadSize = 4096
    /// Client payloads per window (Discord closes with 4008 above 120 per 60 s) and how many of them are
    /// kept for heartbeats.
    public var sendLimit = 120
    public var sendWindow: Duration = .seconds(60)
    public var sendsReservedForHeartbeats = 10
    public var largeThreshold = 250
    public var readyTimeout: Duration = .seconds(30)
    public var backoffBase: Duration = .seconds(1)
    public var backoffCap: Duration = .seconds(60)
    public var connectTimeout: Duration = .seconds(15)
    /// How old the stored resume position is (`DurableResumePosition`): events newer than this are replayed
    /// after a crash, older ones are known to be stored.
    public var resumePositionLag: Duration = .seconds(10)

    public init(token: String, intents: GatewayIntents = .ticketBot) {
        self.token = token
        self.intents = intents
    }
}
