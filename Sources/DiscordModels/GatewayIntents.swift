/// Gateway intents: which groups of events a session receives.
public struct GatewayIntents: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    public static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    public static let guildModeration = GatewayIntents(rawValue: 1 << 2)
    public static let guildExpressions = GatewayIntents(rawValue: 1 << 3)
    public static let guildIntegrations = GatewayIntents(rawValue: 1 << 4)
    public static let guildWebhooks = GatewayIntents(rawValue: 1 << 5)
    public static let guildInvites = GatewayIntents(rawValue: 1 << 6)
    public static let guildVoiceStates = GatewayIntents(rawValue: 1 << 7)
    public static let guildPresences = GatewayIntents(rawValue: 1 << 8)
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    public static let guildMessageReactions = GatewayIntents(rawValue: 1 << 10)
    public static let guildMessageTyping = GatewayIntents(rawValue: 1 << 11)
    public static let directMessages = GatewayIntents(rawValue: 1 << 12)
    public static let directMessageReactions = GatewayIntents(rawValue: 1 << 13)
    public static let directMessageTyping = GatewayIntents(rawValue: 1 << 14)
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)
    public static let guildScheduledEvents = GatewayIntents(rawValue: 1 << 16)
    public static let autoModerationConfiguration = GatewayIntents(rawValue: 1 << 20)
    public static let autoModerationExecution = GatewayIntents(rawValue: 1 << 21)
    public static let guildMessagePolls = GatewayIntents(rawValue: 1 << 24)
    public static let directMessagePolls = GatewayIntents(rawValue: 1 << 25)

    /// Every intent bit Discord defines (53608447). Other bits are refused with close code 4013.
    public static let allDefined = GatewayIntents(rawValue: 53_608_447)
    /// Intents an application must enable (and, when verified, be approved for); else close code 4014.
    public static let privileged: GatewayIntents = [.guildMembers, .guildPresences, .messageContent]
    /// What the ticket bot needs: guilds, guild messages and message content (33281).
    public static let ticketBot: GatewayIntents = [.guilds, .guildMessages, .messageContent]

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
