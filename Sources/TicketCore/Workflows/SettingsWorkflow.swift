public import DiscordModels

/// Saving a guild's settings from the dashboard, as a pure state machine (see `CloseWorkflow`): validated
/// against the guild as Discord has it, described in words, applied together with its moderation-log entry
/// (the guild's outbox) in one stored write, then announced. A failed write undoes the change, so nothing that
/// was not stored is ever announced; a crash after the write announces it after the restart.
public struct SettingsWorkflow: Sendable {
    public enum Effect: Sendable, Hashable {
        /// Store the new settings and their pending log entry in one write.
        case store
        /// Post the change's moderation-log entry.
        case announce(GuildTickets.SettingsChange)
        /// Store that the entry was posted (a failure only means it is looked for after a restart).
        case storeQuietly
    }

    public enum Outcome: Sendable, Hashable {
        case succeeded
        case failed
    }

    public let change: GuildTickets.SettingsChange
    private let previous: TicketConfig
    private var stage = Stage.storing
    /// The write failed and the change was undone: the caller reports the failure.
    public private(set) var wasUndone = false

    private enum Stage: Sendable { case storing, announcing, confirming, finished }

    /// Validates `config` (every problem at once) and applies it; `nil` when nothing changes.
    public static func begin(
        _ config: TicketConfig, by userID: UserID?, tickets: inout GuildTickets, guild: GuildSnapshot
    ) throws(TicketConfigValidationError) -> (SettingsWorkflow, Effect)? {
        try config.validate(in: guild)
        let changes = TicketConfig.describeChanges(from: tickets.config, to: config, in: guild)
        guard !changes.isEmpty else { return nil }
        let previous = tickets.config
        let change = tickets.changeSettings(to: config, by: userID, changes: changes)
        return (SettingsWorkflow(change: change, previous: previous), .store)
    }

    private init(change: GuildTickets.SettingsChange, previous: TicketConfig) {
        self.change = change
        self.previous = previous
    }

    public mutating func next(after outcome: Outcome, tickets: inout GuildTickets) -> Effect? {
        switch stage {
        case .storing:
            guard outcome == .succeeded else {
                tickets.revertSettingsChange(to: previous, revision: change.revision)
                wasUndone = true
                stage = .finished
                return nil
            }
            stage = .announcing
            return .announce(change)
        case .announcing:
            tickets.settingsChangeAnnounced(revision: change.revision)
            stage = .confirming
            return .storeQuietly
        case .confirming, .finished:
            stage = .finished
            return nil
        }
    }
}
