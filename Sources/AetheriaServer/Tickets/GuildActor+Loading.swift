import DiscordGateway
import DiscordModels
import Foundation
import TicketCore

/// Loading a guild's stored state: events wait meanwhile (within budgets), a snapshot that cannot be read
/// leaves the guild alone, and a guild learnt without GUILD_CREATE (after a resume) asks REST for itself only
/// when it must.
extension GuildActor {
    static let unreadableNotice =
        "⚠️ Aetheria cannot read this server's ticket data right now, so tickets are paused. The operators have been alerted."

    func load() async {
        var attempt = 0
        while true {
            do {
                let stored = try await services.guildStore.load(guildID)
                if let stored {
                    tickets = try GuildTicketsCodec.decode(stored.payload, guildID: guildID)
                    persistence.restore(version: stored.version)
                }
                await finishLoading()
                return
            } catch let error as SnapshotFormatError {
                becomeUnreadable(error)
                return
            } catch GuildStoreError.corrupt(_, let detail) {
                becomeUnreadable(SnapshotFormatError(guildID: guildID, reason: .corrupt(detail)))
                return
            } catch {
                if case .relinquished = phase { return }  // the process is shutting down
                attempt += 1
                if attempt == 1 { logger.warning("cannot load the guild's tickets yet, retrying: \(error)") }
                try? await Task.sleep(for: .milliseconds(min(5_000, 100 * (1 << min(attempt, 6)))))
            }
        }
    }

    /// The stored snapshot cannot be read: the guild is left alone (never reset), clicks get a clear answer.
    func becomeUnreadable(_ error: SnapshotFormatError) {
        logger.error("\(error)")
        services.metrics.failure("snapshot_unreadable")
        let pending = takePendingEvents()
        phase = .unreadable(error)
        for event in pending {
            switch event {
            case .frame(let envelope, let frame): receive(envelope, frame: frame)
            case .guildCreate(let snapshot): discord = snapshot ?? discord
            }
        }
    }

    func takePendingEvents() -> [PendingEvent] {
        services.pendingEventBudget.release(pendingBytes)
        pendingBytes = 0
        defer { pendingEvents = [] }
        return pendingEvents
    }

    func finishLoading() async {
        // A process that resumed its session gets no GUILD_CREATE: learn the guild from REST instead, so the
        // replayed events apply to a known guild and the records are reconciled after the restart too.
        // Only guilds with tickets, a click waiting or an unfinished settings change need their roles and channels now: chatter does not,
        // and a resumed process with 100,000 guilds would otherwise spend 200,000 REST calls (over an hour of the
        // global limit, ahead of every ticket's requests) learning guilds it only sees messages from.
        let hasInteraction = pendingEvents.contains {
            if case .frame(let envelope, _) = $0 { envelope.event == .interactionCreate } else { false }
        }
        // A settings change whose log entry a crash interrupted is finished by the reconciliation, too.
        let needsGuild = hasInteraction || !tickets.tickets.isEmpty || tickets.pendingSettingsChange != nil
        let hasGuildCreate = pendingEvents.contains {
            if case .guildCreate = $0 { true } else { false }
        }
        if needsGuild, !hasGuildCreate, discord == nil {
            await hydrateFromREST()
        }
        let pending = takePendingEvents()
        phase = .ready
        if discord != nil { reconcile() }
        // A sweep that ran while this guild was still loading (at start-up) skipped it: catch up now.
        if !tickets.dueReminders(now: services.now()).isEmpty { Task { _ = await self.sendStaleReminders() } }
        scheduleAutomaticCloses()
        scheduleRetries()
        for event in pending {
            switch event {
            case .frame(let envelope, let frame): apply(envelope, frame: frame)
            case .guildCreate(let snapshot): guildCreated(snapshot)
            }
        }
    }

    /// A guild activated at start-up without tickets learns its roles and channels only when someone needs
    /// them (the dashboard), not at start-up: that would cost two REST calls per guild.
    func ensureDiscordGuild() async {
        guard discord == nil, case .ready = phase else { return }
        await hydrateFromREST()
    }

    func hydrateFromREST() async {
        do {
            let guild = try await discordAPI.getGuild(guildID)
            let channels = try await discordAPI.getGuildChannels(guildID)
            var builder = GuildSnapshot.Builder()
            builder.setGuildName(guild.name ?? "")
            for role in guild.roles ?? [] {
                builder.addRole(
                    id: role.id, name: role.name, permissions: role.permissions, position: role.position,
                    color: role.color)
            }
            for channel in channels {
                builder.addChannel(
                    id: channel.id, type: channel.type.rawValue, name: channel.name ?? "",
                    position: channel.position ?? 0, parentID: channel.parentId,
                    topic: channel.topic.flatMap(TicketMarker.keptTopic),
                    overwrites: channel.permissionOverwrites ?? [])
            }
            discord = builder.build(
                id: guildID, ownerID: guild.ownerId ?? UserID(0), memberCount: guild.memberCount ?? 0)
        } catch {
            logger.warning("could not fetch the guild after a resume; waiting for GUILD_CREATE: \(error)")
        }
    }
}
