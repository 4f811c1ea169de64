import AetheriaPorts
import Dashboard
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Prometheus
import TicketCore

/// The dashboard's view of the running bot: guild actors, stores, shards and Discord's API (for OAuth2 and
/// for members' roles, fetched with the bot's own token).
struct BotDashboardBackend: DashboardBackend {
    let guilds: GuildDirectory
    let rest: DiscordRESTClient
    let stores: BotStores
    let shardService: ShardService
    let clientID: String
    let clientSecret: String
    let registry: PrometheusCollectorRegistry
    let memberRoles: MemberRolesCache

    func hasGuild(_ guildID: GuildID) -> Bool { guilds.contains(guildID) }

    func overview(of guildID: GuildID) async -> GuildTicketsOverview? { await guilds.overview(of: guildID) }

    func updateConfig(_ config: TicketConfig, for guildID: GuildID, by userID: UserID) async throws -> [String] {
        try await guilds.updateConfig(config, for: guildID, by: userID)
    }

    func postPanel(_ panelID: Int, in channelID: ChannelID, for guildID: GuildID, by userID: UserID) async throws {
        try await guilds.postPanel(panelID, in: channelID, for: guildID, by: userID)
    }

    func memberRoles(of userID: UserID, in guildID: GuildID) async -> [RoleID]? {
        let now = ContinuousClock.now
        if let cached = memberRoles.roles(of: userID, in: guildID, now: now) { return cached }
        do {
            let roles = try await rest.accountable(to: guildID).getGuildMember(guildID, userID).roles
            memberRoles.store(roles, of: userID, in: guildID, now: now)
            return roles
        } catch  where error.kind == .other && error.status == 404 {
            memberRoles.store(nil, of: userID, in: guildID, now: now)  // not a member: remembered too
            return nil
        } catch {
            return nil  // Discord unreachable: no access now, asked again next time
        }
    }

    func searchMembers(_ query: String, in guildID: GuildID) async -> [DashboardMember]? {
        let found = try? await rest.accountable(to: guildID).searchGuildMembers(
            guildID, query: query, limit: DashboardMember.searchLimit)
        return found?.compactMap(DashboardMember.init)
    }

    func member(_ userID: UserID, in guildID: GuildID) async -> DashboardMemberLookup {
        do {
            let member = try await rest.accountable(to: guildID).getGuildMember(guildID, userID)
            return DashboardMember(member).map(DashboardMemberLookup.found) ?? .unknown
        } catch  where error.code == 10007 || error.code == 10013 || error.status == 404 {
            return .notAMember
        } catch {
            return .unknown
        }
    }

    var transcripts: any TranscriptStore { stores.transcripts }

    var sessionStore: any ExpiringRecordStore { stores.records }

    func health() -> DashboardHealth {
        let statuses = shardService.statuses
        return DashboardHealth(
            storeAvailable: stores.isAvailable(), shardsConnected: statuses.count { $0.state == "connected" },
            shardsTotal: statuses.count, guilds: guilds.count)
    }

    func shards() -> [DashboardShardRow] {
        shardService.statuses.map { status in
            DashboardShardRow(
                shard: "\(status.shard.id)/\(status.shard.count)", state: status.state,
                heartbeatLatencyMilliseconds: status.heartbeatLatency.map {
                    Double($0.components.seconds) * 1_000 + Double($0.components.attoseconds) / 1e15
                }, guilds: status.guildCount,
                secondsSinceLastEvent: status.lastEventAt.map {
                    let elapsed = ContinuousClock.now - $0
                    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }, resumes: status.resumes, reconnects: status.reconnects)
        }
    }

    func prometheusText() -> String {
        // Process figures are read when scraped, so they are current without a timer.
        registry.makeGauge(
            descriptor: .init(
                namespace: "process", metricName: "resident_memory", unitName: "bytes",
                helpText: "Resident set size of the process.")
        ).set(Int64(ProcessStatistics.residentBytes()))
        registry.makeGauge(
            descriptor: .init(
                namespace: "aetheria", metricName: "heap_in_use", unitName: "bytes",
                helpText: "Bytes allocated with malloc and not yet freed.")
        ).set(Int64(ProcessStatistics.heapBytesInUse()))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    func exchangeCode(_ code: String, redirectURI: String) async throws -> String {
        try await rest.exchangeAuthorizationCode(
            code: code, redirectURI: redirectURI, clientID: clientID, clientSecret: clientSecret
        ).accessToken
    }

    func currentUser(accessToken: String) async throws -> User {
        try await rest.getCurrentUser(bearerToken: accessToken)
    }

    func currentUserGuilds(accessToken: String) async throws -> [PartialGuild] {
        try await rest.getCurrentUserGuilds(bearerToken: accessToken)
    }
}
