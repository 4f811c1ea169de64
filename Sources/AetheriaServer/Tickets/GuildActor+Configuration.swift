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
                TicketConfigProblem(.general, "this server's ticket data is not available right now")
            ])
        }
        await ensureDiscordGuild()
        guard let discord else {
            throw TicketConfigValidationError(problems: [
                TicketConfigProblem(.general, "the server is not available yet; try again in a moment")
            ])
        }
        let previous = tickets.config
        guard let (workflow, first) = try SettingsWorkflow.begin(config, by: userID, tickets: &tickets, guild: discord)
        else { return [] }
        var settings = workflow
        var effect: SettingsWorkflow.Effect? = first
        var storeError: (any Error)?
        while let current = effect {
            let outcome: SettingsWorkflow.Outcome
            switch current {
            case .store:
                do {
                    try await persist()
                    CrashPoint.reached(.configSaved)
                    refreshConfigProblems()
                    liftPause(because: "the settings were saved")
                    outcome = .succeeded
                } catch {
                    storeError = error
                    outcome = .failed
                }
            case .announce(let change):
                await audit(
                    AuditEntry.configChanged(by: change.byUserID, changes: change.changes, revision: change.revision))
                outcome = .succeeded
            case .storeQuietly:
                await persistQuietly("announcing settings revision \(settings.change.revision)")
                outcome = .succeeded
            }
            effect = settings.next(after: outcome, tickets: &tickets)
        }
        if settings.wasUndone, let storeError { throw storeError }
        // Posted panels follow in the background: up to 100 edits under Discord's per-channel limits must not
        // hold the admin's save.
        Task { await self.refreshPostedPanels(from: previous) }
        return settings.change.changes
    }

    /// After a restart: posts the moderation-log entry of a change stored before the crash, looking for the
    /// entry of the same revision first so it is never posted twice, then marks it announced.
    func announce(_ change: GuildTickets.SettingsChange, lookingFirst: Bool) async {
        let entry = AuditEntry.configChanged(by: change.byUserID, changes: change.changes, revision: change.revision)
        if lookingFirst { await auditOnce(entry, sameFooter: true) } else { await audit(entry) }
        tickets.settingsChangeAnnounced(revision: change.revision)
        await persistQuietly("announcing settings revision \(change.revision)")
    }
}
