import DequeModule
import DiscordModels
import Foundation

/// Everything the local Discord knows, guarded by one lock in `EmulatorCore`.
///
/// One lock keeps every REST mutation and the dispatch it causes in a single critical section, so the
/// gateway delivers events in exactly the order the changes happened.
struct EmulatorState: Sendable {
    let configuration: EmulatorConfiguration
    var minter = SnowflakeMinter()
    var users: [UserID: User] = [:]
    var guilds: [GuildID: EmulatedGuild] = [:]
    var channelGuilds: [ChannelID: GuildID] = [:]
    var messages: [ChannelID: [Message]] = [:]
    var commands: [ApplicationCommand] = []
    var interactions = InteractionBook()
    var oauth = OAuthBook()
    var gateway = GatewayBook()
    var rateLimits: RESTRateLimiter
    var records = EmulatorRecords()
    var faults = FaultBook()
    var nonces = NonceBook()
    var attachmentFiles = AttachmentBook()
    var directMessages = DirectMessageBook()
    /// When each channel's name or topic was last changed (Discord allows 2 such changes per 10 minutes).
    var channelRenames: [ChannelID: [Date]] = [:]
    /// Set when the daily identify budget was exceeded: Discord resets the token, so it stops working.
    var tokenRevoked = false
    /// The gateway URL `GET /gateway` and `/gateway/bot` hand out; set once the gateway listens.
    var gatewayURLForClients = ""
    /// `http://host:port`, for URLs the emulator hands out (attachments).
    var originForClients = ""

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        self.rateLimits = RESTRateLimiter(
            globalLimit: configuration.globalRateLimit, routeLimits: configuration.routeLimits)
        let bot = User(
            id: EmulatorConfiguration.botUserID, username: "Aetheria", discriminator: "0", globalName: nil,
            avatar: nil, bot: true)
        users[bot.id] = bot
    }

    var botUser: User { users[EmulatorConfiguration.botUserID]! }
    var botID: UserID { EmulatorConfiguration.botUserID }
    var applicationID: ApplicationID { botID.converted() }

    mutating func mintID(at date: Date = Date()) -> UInt64 {
        minter.next(atMilliseconds: UInt64(date.timeIntervalSince1970 * 1000))
    }

    /// Finds a channel and its guild.
    func channel(_ id: ChannelID) -> (guild: EmulatedGuild, channel: Channel)? {
        guard let guildID = channelGuilds[id], let guild = guilds[guildID], let channel = guild.channels[id] else {
            return nil
        }
        return (guild, channel)
    }

    /// Stores a message in its channel's history, forgetting the oldest beyond the configured limit.
    mutating func store(_ message: Message) {
        var history = messages[message.channelId, default: []]
        history.append(message)
        if history.count > configuration.messagesPerChannelLimit {
            history.removeFirst(history.count - configuration.messagesPerChannelLimit)
        }
        messages[message.channelId] = history
        if let (guild, _) = channel(message.channelId) {
            guilds[guild.id]?.channels[message.channelId]?.lastMessageId = message.id
        }
    }

    func guildMemberUser(_ userID: UserID) -> User? { users[userID] }
}

/// What the emulator has seen and done, for the control API's record endpoints and for tests.
/// Each list is bounded; counters are exact.
struct EmulatorRecords: Sendable {
    struct RESTCall: Sendable, Encodable {
        var method: String
        var path: String
        var bucket: String?
        var status: Int
        var at: Double
    }

    struct Identify: Sendable, Encodable {
        var shard: [Int]?
        var at: Double
        var accepted: Bool
        var outcome: String
    }

    struct Resume: Sendable, Encodable {
        var sessionID: String
        var fromSequence: Int
        var replayed: Int
        var accepted: Bool
        var at: Double
    }

    struct InteractionAck: Sendable, Encodable {
        var interactionID: String
        var callbackType: Int
        var latencyMilliseconds: Double
    }

    static let maximumEntries = 20_000

    var restCalls: [RESTCall] = []
    var identifies: [Identify] = []
    var resumes: [Resume] = []
    var interactionAcks: [InteractionAck] = []
    var rateLimitedResponses = 0
    var rateLimitedByScope: [String: Int] = [:]
    /// 401, 403 and 429 responses (shared-scope 429s excluded) with their times, for the 10-minute count.
    var invalidRequestTimes: Deque<Double> = []
    var totalRequests = 0
    var malformedRequests = 0
    var gatewayCloses: [[String: String]] = []

    mutating func append<Element>(_ element: Element, to list: WritableKeyPath<Self, [Element]>) {
        self[keyPath: list].append(element)
        if self[keyPath: list].count > Self.maximumEntries {
            self[keyPath: list].removeFirst(self[keyPath: list].count - Self.maximumEntries)
        }
    }

    mutating func countInvalidRequest(at now: Double) {
        invalidRequestTimes.append(now)
        let cutoff = now - 600
        if let firstRecent = invalidRequestTimes.firstIndex(where: { $0 >= cutoff }), firstRecent > 0 {
            invalidRequestTimes.removeFirst(firstRecent)
        }
    }

    func invalidRequestsInLastTenMinutes(now: Double) -> Int {
        invalidRequestTimes.reduce(0) { $0 + ($1 >= now - 600 ? 1 : 0) }
    }
}
