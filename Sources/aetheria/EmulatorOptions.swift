import ArgumentParser
import DiscordEmulator
import DiscordModels

/// The emulator's options, shared by `aetheria emulator` and `aetheria demo`.
struct EmulatorOptions: ParsableArguments {
    @Option(help: "Address to listen on (loopback by default).")
    var host = "127.0.0.1"
    @Option(help: "Port of the REST API, OAuth2 and the control API (0 picks a free port).")
    var port = 8900
    @Option(help: "Port of the gateway WebSocket (0 picks a free port).")
    var gatewayPort = 8901
    @Option(help: "Guilds to seed.")
    var guilds = 3
    @Option(help: "Members per seeded guild (the first owns it, the second is an admin, two are support staff).")
    var members = 12
    @Option(help: "Text channels per seeded guild.")
    var channels = 6
    @Option(help: "Extra roles per seeded guild, beyond @everyone, Admin, Support Team and the bot's role.")
    var roles = 2
    @Option(help: "The bot token the emulator accepts (default: the documented development token).")
    var botToken = EmulatorConfiguration.developmentBotToken
    @Option(help: "Identify concurrency (max_concurrency) reported by /gateway/bot and enforced.")
    var maxConcurrency = 1
    @Option(help: "Shard count /gateway/bot recommends (default: one per 1,000 guilds).")
    var recommendedShards: Int?
    @Option(help: "Heartbeat interval sent in HELLO, in milliseconds.")
    var heartbeatIntervalMs = 41_250
    @Option(help: "Daily session start budget (Discord: 1000).")
    var sessionStartLimit = 1000
    @Option(help: "Seconds one identify bucket stays taken (Discord: 5).")
    var identifyWindowSeconds = 5.0
    @Option(help: "Global REST limit in requests per second (Discord: 50).")
    var globalRateLimit = 50
    @Flag(help: "Refuse privileged intents (GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT) with close 4014.")
    var disablePrivilegedIntents = false
    @Option(help: "Seed for deterministic IDs and names.")
    var seed: UInt64 = 42

    func validate() throws {
        guard (0...65535).contains(port), (0...65535).contains(gatewayPort) else {
            throw ValidationError("--port and --gateway-port must be 0…65535")
        }
        guard guilds >= 0, members >= 1, channels >= 0, roles >= 0 else {
            throw ValidationError("--guilds, --channels and --roles must be ≥ 0 and --members ≥ 1")
        }
        guard maxConcurrency >= 1, heartbeatIntervalMs >= 100, identifyWindowSeconds >= 0, globalRateLimit >= 1 else {
            throw ValidationError(
                "--max-concurrency and --global-rate-limit must be ≥ 1, --heartbeat-interval-ms ≥ 100")
        }
        guard botToken.split(separator: ".").count == 3 else {
            throw ValidationError("--bot-token must be shaped like a bot token (three dot-separated parts)")
        }
    }

    var configuration: EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.gatewayPort = gatewayPort
        configuration.guilds = guilds
        configuration.membersPerGuild = members
        configuration.textChannelsPerGuild = channels
        configuration.extraRolesPerGuild = roles
        configuration.botToken = botToken
        configuration.maxConcurrency = maxConcurrency
        configuration.recommendedShards = recommendedShards
        configuration.heartbeatInterval = .milliseconds(heartbeatIntervalMs)
        configuration.sessionStartLimit = sessionStartLimit
        configuration.identifyWindow =
            OutsideNumber.duration(seconds: identifyWindowSeconds, maximum: .seconds(3_600)) ?? .seconds(5)
        configuration.globalRateLimit = globalRateLimit
        configuration.enabledPrivilegedIntents = disablePrivilegedIntents ? [] : .privileged
        configuration.seed = seed
        return configuration
    }
}
