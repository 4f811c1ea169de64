public import DiscordModels
import Synchronization
public import TicketCore

/// Every guild actor of this process by guild ID, for the scheduler and the dashboard. The gateway path
/// does not use it (the router holds each shard's actors on its loop).
public final class GuildDirectory: Sendable {
    private let actors = Mutex<[GuildID: GuildActor]>([:])

    public init() {}

    func register(_ actor: GuildActor) {
        actors.withLock { $0[actor.guildID] = actor }
    }

    /// Forgets `actor` if it is still the one registered for its guild (a newer one may have replaced it).
    func unregister(_ actor: GuildActor) {
        actors.withLock { actors in
            if actors[actor.guildID] === actor { actors[actor.guildID] = nil }
        }
    }

    func actor(for guildID: GuildID) -> GuildActor? {
        actors.withLock { $0[guildID] }
    }

    var all: [GuildActor] { actors.withLock { Array($0.values) } }

    public var count: Int { actors.withLock { $0.count } }

    public func contains(_ guildID: GuildID) -> Bool { actors.withLock { $0[guildID] != nil } }

    public var guildIDs: [GuildID] { actors.withLock { Array($0.keys) } }

    /// The guild's tickets as the dashboard shows them, or `nil` when the bot is not in the guild here.
    public func overview(of guildID: GuildID) async -> GuildTicketsOverview? {
        guard let actor = actor(for: guildID) else { return nil }
        return await actor.overview()
    }

    /// The guild's unfinished work (closes, openings and deliveries waiting for a retry), for the dashboard.
    public func pendingWork(of guildID: GuildID) async -> [PendingWork]? {
        guard let actor = actor(for: guildID) else { return nil }
        return await actor.pendingWork
    }

    /// Applies a dashboard configuration change through the guild's actor. Returns the changes made.
    public func updateConfig(_ config: TicketConfig, for guildID: GuildID, by userID: UserID?) async throws -> [String]
    {
        guard let actor = actor(for: guildID) else {
            throw TicketConfigValidationError(problems: [
                TicketConfigProblem(.general, "Aetheria is not in this server")
            ])
        }
        return try await actor.updateConfig(config, by: userID)
    }

    public func postPanel(
        _ panelID: Int, in channelID: ChannelID, for guildID: GuildID, by userID: UserID?
    )
        async throws
    {
        guard let actor = actor(for: guildID) else {
            throw TicketConfigValidationError(problems: [
                TicketConfigProblem(.general, "Aetheria is not in this server")
            ])
        }
        try await actor.postPanel(panelID, in: channelID, by: userID)
    }

    /// Writes every guild's unsaved activity and stops the actors (at shutdown, before the store closes).
    func stopAll() async {
        for actor in all { await actor.stop() }
    }

    /// Closes the tickets due to close by themselves in every guild (each guild also has its own timer; the
    /// periodic sweep calls this as a safety net); returns how many began closing.
    public func closeDueTickets() async -> Int {
        var total = 0
        for actor in all { total += await actor.closeDueTickets() }
        return total
    }

    /// Runs the stale-ticket reminders in every guild; returns how many reminders were posted.
    public func sendStaleReminders() async -> Int {
        var total = 0
        for actor in all { total += await actor.sendStaleReminders() }
        return total
    }
}
