public import DiscordModels
public import TicketCore

extension GuildActor {
    func overview() async -> GuildTicketsOverview {
        await ensureDiscordGuild()
        var unreadable: String?
        if case .unreadable(let error) = phase { unreadable = error.description }
        return GuildTicketsOverview(
            guildID: guildID, discord: discord, tickets: tickets, configProblems: configProblems,
            unreadableReason: unreadable)
    }

    /// Validates and applies a new configuration (it applies to new tickets at once), stores it, and logs
    /// what changed. `by` is the dashboard user.
    func updateConfig(_ config: TicketConfig, by userID: UserID?) async throws -> [String] {
        guard case .ready = phase else {
            throw TicketConfigValidationError(problems: [
                TicketConfigProblem(.staffRole, "this server's ticket data is not available right now")
            ])
        }
        await ensureDiscordGuild()
        guard let discord else {
            throw TicketConfigValidationError(problems: [
                TicketConfigProblem(.staffRole, "the server is not available yet; try again in a moment")
            ])
        }
        try config.validate(in: discord)
        let changes = Self.describeChanges(from: tickets.config, to: config, in: discord)
        guard !changes.isEmpty else { return [] }
        let previous = tickets.config
        // The change and its log entry-to-be are stored in one write (the guild's outbox): a crash before the
        // entry is posted finishes it after the restart.
        let change = tickets.changeSettings(to: config, by: userID, changes: changes)
        do {
            try await persist()
        } catch {
            tickets.revertSettingsChange(to: previous, revision: change.revision)
            throw error
        }
        CrashPoint.reached(.configSaved)
        refreshConfigProblems()
        liftPause(because: "the settings were saved")
        await announce(change, lookingFirst: false)
        return changes
    }

    /// Posts a settings change's moderation-log entry, then marks it announced. After a restart
    /// (`lookingFirst`), the log is searched for the entry of the same revision first, so it is never posted
    /// twice.
    func announce(_ change: GuildTickets.SettingsChange, lookingFirst: Bool) async {
        let entry = AuditEntry.configChanged(by: change.byUserID, changes: change.changes, revision: change.revision)
        if lookingFirst { await auditOnce(entry, sameFooter: true) } else { await audit(entry) }
        tickets.settingsChangeAnnounced(revision: change.revision)
        await persistQuietly("announcing settings revision \(change.revision)")
    }

    static func describeChanges(from old: TicketConfig, to new: TicketConfig, in discord: GuildSnapshot) -> [String] {
        func role(_ id: RoleID?) -> String {
            id.map { "@" + (discord.role($0).map(discord.name(of:)) ?? "\($0)") } ?? "none"
        }
        func channel(_ id: ChannelID?) -> String {
            id.map { "#" + (discord.channel($0).map(discord.name(of:)) ?? "\($0)") } ?? "none"
        }
        var changes: [String] = []
        func note<Value: Equatable>(_ label: String, _ old: Value, _ new: Value, _ show: (Value) -> String) {
            if old != new { changes.append("\(label): \(show(old)) → \(show(new))") }
        }
        note("Staff role", old.staffRoleID, new.staffRoleID, role)
        note("Category", old.parentCategoryID, new.parentCategoryID, channel)
        note("Name template", old.nameTemplate, new.nameTemplate) { "`\($0)`" }
        note("Log channel", old.logChannelID, new.logChannelID, channel)
        note("Open tickets per member", old.maximumOpenTicketsPerUser, new.maximumOpenTicketsPerUser) { "\($0)" }
        note("Cooldown", old.openCooldownSeconds, new.openCooldownSeconds) { "\($0) s" }
        note("Who can close", old.closePolicy, new.closePolicy) { $0.rawValue }
        note("Delete delay", old.deleteDelaySeconds, new.deleteDelaySeconds) { "\($0) s" }
        note("Stale after", old.staleAfterHours, new.staleAfterHours) { "\($0) h" }
        return changes
    }
}
