public import AetheriaPorts
public import DiscordModels
public import Foundation
public import TicketCore

/// What the dashboard needs from the running bot, as a port: the composition root implements it with the
/// guild actors, the stores and the REST client, and tests can implement it with anything. The dashboard
/// never talks to Discord or a store on its own.
public protocol DashboardBackend: Sendable {
    /// Whether Aetheria is in the guild (in this process).
    func hasGuild(_ guildID: GuildID) -> Bool
    func overview(of guildID: GuildID) async -> GuildTicketsOverview?
    func updateConfig(_ config: TicketConfig, for guildID: GuildID, by userID: UserID) async throws -> [String]
    /// Posts a panel in a channel (and remembers it, so edits reach it); throws Discord's refusal.
    func postPanel(_ panelID: Int, in channelID: ChannelID, for guildID: GuildID, by userID: UserID) async throws
    /// A member's current roles, from Discord with the bot's token (never from the browser), cached for at
    /// most a minute (so a demotion takes effect within one); `nil` for non-members.
    func memberRoles(of userID: UserID, in guildID: GuildID) async -> [RoleID]?
    /// Members whose name starts with `query` (Discord's member search, at most `DashboardMember.searchLimit`);
    /// `nil` when Discord cannot be asked right now.
    func searchMembers(_ query: String, in guildID: GuildID) async -> [DashboardMember]?
    /// One member by ID, as Discord answers now: found, not in the guild, or unknown (Discord cannot be asked).
    func member(_ userID: UserID, in guildID: GuildID) async -> DashboardMemberLookup
    var transcripts: any TranscriptStore { get }
    /// Where sessions and login states live (the configured store, so they survive restarts).
    var sessionStore: any ExpiringRecordStore { get }
    func health() -> DashboardHealth
    func shards() -> [DashboardShardRow]
    /// Metrics in Prometheus text format.
    func prometheusText() -> String

    // OAuth2, through Discord's API.
    func exchangeCode(_ code: String, redirectURI: String) async throws -> String
    func currentUser(accessToken: String) async throws -> User
    func currentUserGuilds(accessToken: String) async throws -> [PartialGuild]
}

/// A guild member as the blocklist form finds them: by ID or by the start of their name.
public struct DashboardMember: Sendable, Hashable {
    public var id: UserID
    /// The name shown in the server: nickname, else global name, else username.
    public var name: String
    public var roles: [RoleID]

    public static let searchLimit = 10

    public init(id: UserID, name: String, roles: [RoleID]) {
        self.id = id
        self.name = name
        self.roles = roles
    }

    /// From Discord's guild member object (`nil` without its user).
    public init?(_ member: GuildMember) {
        guard let user = member.user else { return nil }
        self.init(id: user.id, name: member.nick ?? user.displayName, roles: member.roles)
    }
}

/// What Discord said of one member: a decision that needs to know (staff cannot be blocked) refuses `unknown`
/// rather than guessing.
public enum DashboardMemberLookup: Sendable, Hashable {
    case found(DashboardMember)
    case notAMember
    case unknown
}

/// `/healthz`: the process, its store and its shards.
public struct DashboardHealth: Sendable, Codable {
    public var storeAvailable: Bool
    public var shardsConnected: Int
    public var shardsTotal: Int
    public var guilds: Int

    public init(storeAvailable: Bool, shardsConnected: Int, shardsTotal: Int, guilds: Int) {
        self.storeAvailable = storeAvailable
        self.shardsConnected = shardsConnected
        self.shardsTotal = shardsTotal
        self.guilds = guilds
    }

    /// `ok`, or `degraded` while the store or a shard is away.
    public var status: String { storeAvailable && shardsConnected == shardsTotal ? "ok" : "degraded" }
}

/// One line of the operators' shard page.
public struct DashboardShardRow: Sendable {
    public var shard: String
    public var state: String
    public var heartbeatLatencyMilliseconds: Double?
    public var guilds: Int
    public var secondsSinceLastEvent: Double?
    public var resumes: Int
    public var reconnects: Int

    public init(
        shard: String, state: String, heartbeatLatencyMilliseconds: Double?, guilds: Int,
        secondsSinceLastEvent: Double?, resumes: Int, reconnects: Int
    ) {
        self.shard = shard
        self.state = state
        self.heartbeatLatencyMilliseconds = heartbeatLatencyMilliseconds
        self.guilds = guilds
        self.secondsSinceLastEvent = secondsSinceLastEvent
        self.resumes = resumes
        self.reconnects = reconnects
    }
}
