public import DiscordModels

extension GuildTickets {
    /// A settings change stored in the same write as the settings it describes, until its moderation-log
    /// entry is posted: a crash between the two finishes the entry after the restart instead of losing it.
    public struct SettingsChange: Sendable, Hashable, Codable {
        /// Counts the guild's saved changes (1, 2, …); the log entry shows it, which is how a restarted process
        /// tells whether this change's entry was already posted.
        public var revision: Int
        public var byUserID: UserID?
        public var changes: [String]
    }

    /// At most this many change lines are kept (the form has fewer fields than this).
    static let maximumSettingsChangeLines = 50

    /// How many settings changes this guild has saved.
    public var settingsRevision: Int { settingsRevisionStorage ?? 0 }
    /// The change whose moderation-log entry is not confirmed yet.
    public var pendingSettingsChange: SettingsChange? { pendingSettingsChangeStorage }

    /// Applies new settings and records the change as not yet announced, in one step.
    public mutating func changeSettings(
        to config: TicketConfig, by userID: UserID?, changes: [String]
    )
        -> SettingsChange
    {
        let change = SettingsChange(
            revision: settingsRevision + 1, byUserID: userID,
            changes: Array(changes.prefix(Self.maximumSettingsChangeLines)))
        // Before revisions were tracked for posted panels, they were edited during the save: they show the
        // settings as they are now.
        if panelsRevisionStorage == nil { panelsRevisionStorage = settingsRevision }
        self.config = config
        dropAnalyticsOfDeletedTypes()
        settingsRevisionStorage = change.revision
        pendingSettingsChangeStorage = change
        return change
    }

    /// Undoes `changeSettings` when its write failed (nothing was stored, so nothing is announced).
    public mutating func revertSettingsChange(to previous: TicketConfig, revision: Int) {
        guard pendingSettingsChangeStorage?.revision == revision else { return }
        config = previous
        settingsRevisionStorage = revision - 1 == 0 ? nil : revision - 1
        pendingSettingsChangeStorage = nil
    }

    /// The change's log entry is posted (or found already posted).
    public mutating func settingsChangeAnnounced(revision: Int) {
        if pendingSettingsChangeStorage?.revision == revision { pendingSettingsChangeStorage = nil }
    }
}
