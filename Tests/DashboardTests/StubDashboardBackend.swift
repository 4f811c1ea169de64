import AetheriaPorts
import Dashboard
import DiscordModels
import Foundation
import Synchronization
import TicketCore

/// The bot as the dashboard sees it, in memory: one guild with an owner, an admin (Manage Server), a staff
/// member and an ordinary member, plus a guild the users are in but the bot is not, and OAuth2 codes that
/// log in as each of them. It counts the role lookups a refusal must not spend.
final class StubDashboardBackend: DashboardBackend {
    static let guildID: GuildID = 100
    static let otherGuildID: GuildID = 200
    static let absentGuildID: GuildID = 300
    static let owner: UserID = 1
    static let admin: UserID = 2
    static let staff: UserID = 3
    static let member: UserID = 4
    static let outsider: UserID = 5
    static let staffRole: RoleID = 11
    static let managerRole: RoleID = 12

    struct State {
        var config = TicketConfig(types: [TicketType(staffRoleIDs: [StubDashboardBackend.staffRole])])
        var roles: [UserID: [RoleID]] = [
            StubDashboardBackend.owner: [], StubDashboardBackend.admin: [StubDashboardBackend.managerRole],
            StubDashboardBackend.staff: [StubDashboardBackend.staffRole], StubDashboardBackend.member: [],
        ]
        var roleLookups = 0
        var memberSearchFails = false
        var configChanges: [(TicketConfig, UserID)] = []
        var postedPanels: [(Int, ChannelID)] = []
        var health = DashboardHealth(storeAvailable: true, shardsConnected: 2, shardsTotal: 2, guilds: 2)
        /// The guild's tickets when a test sets them (otherwise none, with `config`).
        var tickets: GuildTickets?
    }

    struct InvalidGrant: Error {}

    let state = Mutex(State())
    let transcripts: any TranscriptStore = InMemoryTranscriptStore()
    let sessionStore: any ExpiringRecordStore = InMemoryExpiringRecordStore()

    static var snapshot: GuildSnapshot {
        var builder = GuildSnapshot.Builder()
        builder.setGuildName("Stub Guild")
        builder.addRole(id: RoleID(guildID.rawValue), name: "@everyone", permissions: [], position: 0, color: 0)
        builder.addRole(id: staffRole, name: "Support", permissions: [], position: 1, color: 0)
        builder.addRole(id: managerRole, name: "Managers", permissions: [.manageGuild], position: 2, color: 0)
        builder.addChannel(id: 20, type: 4, name: "Tickets", position: 0, parentID: nil, topic: nil, overwrites: [])
        builder.addChannel(id: 21, type: 0, name: "mod-log", position: 1, parentID: nil, topic: nil, overwrites: [])
        return builder.build(id: guildID, ownerID: owner, memberCount: 5)
    }

    func hasGuild(_ guildID: GuildID) -> Bool { guildID == Self.guildID || guildID == Self.otherGuildID }

    func overview(of guildID: GuildID) async -> GuildTicketsOverview? {
        guard hasGuild(guildID) else { return nil }
        let (config, tickets) = state.withLock { ($0.config, $0.tickets) }
        return GuildTicketsOverview(
            guildID: guildID, discord: guildID == Self.guildID ? Self.snapshot : nil,
            tickets: tickets ?? GuildTickets(config: config), configProblems: [], unreadableReason: nil)
    }

    func updateConfig(_ config: TicketConfig, for guildID: GuildID, by userID: UserID) async throws -> [String] {
        try config.validate(in: Self.snapshot)
        state.withLock {
            $0.config = config
            $0.configChanges.append((config, userID))
        }
        return ["changed"]
    }

    func postPanel(_ panelID: Int, in channelID: ChannelID, for guildID: GuildID, by userID: UserID) async throws {
        state.withLock { $0.postedPanels.append((panelID, channelID)) }
    }

    func memberRoles(of userID: UserID, in guildID: GuildID) async -> [RoleID]? {
        state.withLock {
            $0.roleLookups += 1
            return $0.roles[userID]
        }
    }

    /// The members' names as Discord's member search sees them ("Mi" matches two).
    static let names: [UserID: String] = [owner: "Olivia", admin: "Adam", staff: "Stella", member: "Mia", 6: "Mila"]

    func searchMembers(_ query: String, in guildID: GuildID) async -> [DashboardMember]? {
        let (roles, fails) = state.withLock { ($0.roles, $0.memberSearchFails) }
        guard !fails else { return nil }
        return Self.names.sorted { $0.key < $1.key }.filter { $0.value.lowercased().hasPrefix(query.lowercased()) }
            .map { DashboardMember(id: $0.key, name: $0.value, roles: roles[$0.key] ?? []) }
    }

    func member(_ userID: UserID, in guildID: GuildID) async -> DashboardMemberLookup {
        let (roles, fails) = state.withLock { ($0.roles[userID], $0.memberSearchFails) }
        guard !fails else { return .unknown }
        return Self.names[userID].map { .found(DashboardMember(id: userID, name: $0, roles: roles ?? [])) }
            ?? .notAMember
    }

    func health() -> DashboardHealth { state.withLock { $0.health } }
    func shards() -> [DashboardShardRow] {
        [
            DashboardShardRow(
                shard: "0/2", state: "connected", heartbeatLatencyMilliseconds: 40, guilds: 1,
                secondsSinceLastEvent: 1, resumes: 0, reconnects: 0)
        ]
    }
    func prometheusText() -> String { "aetheria_guilds 2\n" }

    /// The code `code-<user ID>` logs in as that user; every user is in both guilds of the stub.
    func exchangeCode(_ code: String, redirectURI: String) async throws -> String {
        guard code.hasPrefix("code-") else { throw InvalidGrant() }
        return "token-" + code.dropFirst(5)
    }

    func currentUser(accessToken: String) async throws -> User {
        let id = UInt64(accessToken.dropFirst(6)) ?? 0
        return User(id: UserID(id), username: "user\(id)")
    }

    func currentUserGuilds(accessToken: String) async throws -> [PartialGuild] {
        [Self.guildID, Self.otherGuildID].map {
            PartialGuild(id: $0, name: "Guild \($0)", owner: false, permissions: [])
        }
    }
}
