import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import NIOCore
import TicketCore

/// Owns one guild: its Discord view (roles, channels), its tickets, and every workflow that changes them.
///
/// The actor runs on its shard's event loop (a NIO `EventLoop` is a `SerialExecutor`), so the router hands it
/// each gateway event synchronously, in gateway order, with no task and no thread hop. Rules are checked and
/// recorded in one synchronous turn through `GuildTickets`; the I/O they call for (REST, the store) happens
/// afterwards in tasks that run on the same loop.
actor GuildActor: GuildEventHandling {
    nonisolated let guildID: GuildID
    nonisolated let eventLoop: any EventLoop
    private nonisolated let executor: any SerialExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    let services: TicketServices
    /// Discord for this guild's work: its invalid responses count against this guild's budget, so a guild that
    /// took a permission from the bot cannot exhaust the process's (DESIGN.md §10).
    var discordAPI: any DiscordActions { services.discordAPI.accountable(to: guildID) }
    /// Made when something is logged (rare), not stored: a stored logger with guild metadata would cost every
    /// idle guild a few hundred bytes.
    var logger: Logger {
        var logger = services.logger
        logger[metadataKey: "guild"] = "\(guildID)"
        return logger
    }

    /// Where the guild's stored state is.
    enum Phase {
        /// Nothing received yet.
        case idle
        /// Loading from the store; events wait in `pendingEvents`, in order.
        case loading
        case ready
        /// The stored snapshot cannot be read: the guild is left alone, never reset.
        case unreadable(SnapshotFormatError)
        /// A newer owner holds the guild (fencing): this process stops acting for it.
        case relinquished
    }

    /// An event that arrived while the guild was loading, kept to be applied in order afterwards.
    enum PendingEvent {
        case frame(GatewayEnvelope, [UInt8])
        /// GUILD_CREATE is decoded on arrival: the compact snapshot is what the guild keeps anyway, and holding
        /// thousands of raw GUILD_CREATE frames through a start-up burst left megabytes of allocator slack.
        case guildCreate(GuildSnapshot?)
    }

    var phase: Phase = .idle
    var pendingEvents: [PendingEvent] = []
    /// Bytes of `pendingEvents`, taken from the process's `PendingEventBudget`.
    var pendingBytes = 0
    /// Chatter kept while loading; beyond this count it is shed.
    static let pendingChatterLimit = 2_000
    /// Any event kept while loading (lifecycle events and clicks); beyond it, and beyond the process's byte
    /// budget, events are shed too: a guild whose store stays down cannot grow without end.
    static let pendingEventLimit = 10_000
    /// Roles and channels as Discord last reported them (GUILD_CREATE, then updates).
    var discord: GuildSnapshot?
    var tickets = GuildTickets()
    /// Problems with the configuration's role and channels, for the dashboard and the audit log.
    var configProblems: [TicketConfigProblem] = []
    /// Ticket channels' messages as the gateway showed them, including later edits and deletions.
    var captured: [ChannelID: [MessageID: TranscriptMessage]] = [:]
    var capturedPeople: [UserID: TranscriptDocument.Person] = [:]
    /// Ticket channels whose capture reached its limit and was logged once.
    var captureLimitReported: Set<ChannelID> = []
    var deletionTimers: [Int: Scheduled<Void>] = [:]
    /// Workflows running now, so a second reconciliation (start-up activation, then GUILD_CREATE) never
    /// starts the same step twice.
    var openingsInProgress: Set<Int> = []
    var closesInProgress: Set<Int> = []
    var remindersInProgress: Set<Int> = []
    var persistence = SnapshotPersistence()
    /// The guild's own brake when Discord keeps refusing the bot here (DESIGN.md §10: blast radius is one guild).
    var pause = GuildPause()

    /// Called once when the bot was removed from the guild (GUILD_DELETE without `unavailable`), after the
    /// actor stopped: the directory forgets it, so a re-invite's new actor is the only one acting for the guild.
    nonisolated let leftGuild: @Sendable (GuildActor) -> Void

    init(
        guildID: GuildID, eventLoop: any EventLoop, services: TicketServices,
        leftGuild: @escaping @Sendable (GuildActor) -> Void = { _ in }
    ) {
        self.guildID = guildID
        self.eventLoop = eventLoop
        self.executor = eventLoop.executor
        self.services = services
        self.leftGuild = leftGuild
    }

    /// Loads the guild's stored state before any event arrives (start-up, for guilds with stored snapshots).
    func activate() {
        guard case .idle = phase else { return }
        phase = .loading
        Task { await self.load() }
    }

    // MARK: - Gateway intake (on the shard's loop)

    nonisolated func handle(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        assumeIsolated { guild in guild.receive(envelope, frame: frame) }
    }

    func receive(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        if envelope.event == .guildDelete, !GuildRouter<GuildActor>.isOutage(payload(frame, envelope)) {
            leave()
            return
        }
        if envelope.event == .guildCreate, envelope.isReplayed {
            // A GUILD_CREATE replayed after a RESUME lists the channels of when the session began, hours ago
            // perhaps: reconciling against it would archive live tickets. The guild learns itself from REST
            // instead (when it has tickets, at load), and later events keep it current.
            return
        }
        switch phase {
        case .idle:
            phase = .loading
            keepIfBudgetAllows(envelope, frame: frame)
            Task { await self.load() }
        case .loading:
            keepIfBudgetAllows(envelope, frame: frame)
        case .ready:
            apply(envelope, frame: frame)
        case .unreadable(let error):
            if envelope.event == .interactionCreate, let interaction = decodePayload(Interaction.self, frame, envelope)
            {
                reply(to: interaction, TicketMessages.ephemeral(Self.unreadableNotice))
                logger.error("refused an interaction: \(error)")
            } else if envelope.event == .guildCreate {
                discord = GuildCreateDecoder.decode(
                    payload(frame, envelope), keepingTopicsContaining: TicketMarker.namespace)
            }
        case .relinquished:
            break
        }
    }

    /// Keeps an event for after the load, within the guild's counts and the process's byte budget.
    private func keepIfBudgetAllows(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        let isChatter = envelope.event == .messageCreate || envelope.event == .other
        let limit = isChatter ? Self.pendingChatterLimit : Self.pendingEventLimit
        let bytes = envelope.event == .guildCreate ? 0 : frame.count  // decoded on arrival, frame not kept
        guard pendingEvents.count < limit, services.pendingEventBudget.reserve(bytes) else {
            services.metrics.shed(isChatter ? "pending_chatter" : "pending_event")
            if pendingEvents.count == limit || !isChatter {
                logger.warning(
                    "shedding gateway events while the guild's stored state is unavailable (\(pendingEvents.count) kept, \(services.pendingEventBudget.used) bytes held by loading guilds)"
                )
            }
            return
        }
        pendingBytes += bytes
        keepUntilLoaded(envelope, frame: frame)
    }

    private func keepUntilLoaded(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        if envelope.event == .guildCreate {
            pendingEvents.append(
                .guildCreate(
                    GuildCreateDecoder.decode(payload(frame, envelope), keepingTopicsContaining: TicketMarker.namespace)
                ))
        } else {
            pendingEvents.append(.frame(envelope, frame))
        }
    }

    /// The bot was removed from the guild: stop every timer and workflow, keep the stored state (a re-invite
    /// picks it up), give back the pending-event budget and leave the directory.
    private func leave() {
        if case .relinquished = phase { return }
        services.pendingEventBudget.release(pendingBytes)
        pendingBytes = 0
        pendingEvents = []
        Task {
            await self.stop()
            self.leftGuild(self)
        }
    }

    static let unreadableNotice =
        "⚠️ Aetheria cannot read this server's ticket data right now, so tickets are paused. The operators have been alerted."

    private func load() async {
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
    private func becomeUnreadable(_ error: SnapshotFormatError) {
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

    private func takePendingEvents() -> [PendingEvent] {
        services.pendingEventBudget.release(pendingBytes)
        pendingBytes = 0
        defer { pendingEvents = [] }
        return pendingEvents
    }

    private func finishLoading() async {
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

    private func hydrateFromREST() async {
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

    // MARK: - Events

    private func guildCreated(_ snapshot: GuildSnapshot?) {
        guard let snapshot else {
            logger.error("GUILD_CREATE could not be decoded")
            return
        }
        discord = snapshot
        reconcile()
    }

    private func apply(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        switch envelope.event {
        case .guildCreate:
            guildCreated(
                GuildCreateDecoder.decode(payload(frame, envelope), keepingTopicsContaining: TicketMarker.namespace))
        case .channelCreate, .channelUpdate:
            if let channel = decodePayload(DiscordModels.Channel.self, frame, envelope) { channelChanged(channel) }
        case .channelDelete:
            if let channel = decodePayload(DiscordModels.Channel.self, frame, envelope) { channelDeleted(channel.id) }
        case .guildRoleCreate, .guildRoleUpdate:
            if let event = decodePayload(RoleEvent.self, frame, envelope), let role = event.role { roleChanged(role) }
        case .guildRoleDelete:
            if let event = decodePayload(RoleEvent.self, frame, envelope), let roleID = event.roleId {
                roleDeleted(roleID)
            }
        case .messageCreate, .messageUpdate, .messageDelete:
            // Only ticket channels matter; everything else is dropped after a look at the guild's few tickets,
            // before any JSON is decoded.
            guard let event = envelope.event, let rawChannelID = envelope.channelID,
                tickets.ticket(inChannel: ChannelID(rawChannelID)) != nil
            else { return }
            messageEvent(event, channelID: ChannelID(rawChannelID), frame: frame, envelope: envelope)
        case .interactionCreate:
            guard let interaction = decodePayload(Interaction.self, frame, envelope) else {
                logger.warning("INTERACTION_CREATE could not be decoded")
                return
            }
            interactionReceived(interaction)
            // A guild learnt without GUILD_CREATE (after a resume) and without tickets fetches its roles and
            // channels at its first click, for the checks of the steps that follow the acknowledgement.
            if discord == nil { Task { await self.ensureDiscordGuild() } }
        default:
            break
        }
    }

    struct RoleEvent: Decodable {
        var role: Role?
        var roleId: RoleID?
    }

    func payload(_ frame: [UInt8], _ envelope: GatewayEnvelope) -> ArraySlice<UInt8> {
        envelope.payloadRange.map { frame[$0] } ?? []
    }

    func decodePayload<Value: Decodable>(_ type: Value.Type, _ frame: [UInt8], _ envelope: GatewayEnvelope) -> Value? {
        guard let range = envelope.payloadRange else { return nil }
        return try? DiscordJSON.decode(type, from: Data(frame[range]))
    }

    private func channelChanged(_ channel: DiscordModels.Channel) {
        liftPause(because: "a channel changed")
        guard let current = discord else { return }
        var builder = current.builder(excludingChannel: channel.id)
        builder.addChannel(
            id: channel.id, type: channel.type.rawValue, name: channel.name ?? "", position: channel.position ?? 0,
            parentID: channel.parentId, topic: channel.topic.flatMap(TicketMarker.keptTopic),
            overwrites: channel.permissionOverwrites ?? [])
        discord = builder.build(id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
        if let topic = channel.topic, let marker = TicketMarker(topic: topic),
            let owner = tickets.ticket(number: marker.ticketNumber), owner.openerID == marker.openerID,
            let recorded = owner.channelID, recorded != channel.id
        {
            // A late answer to a request from before a crash made a second channel for a ticket that has one.
            Task { await self.deleteDuplicate(channel.id, of: owner) }
            return
        }
        // A ticket channel that appears for an interrupted opening (created, then we crashed or timed out).
        if let topic = channel.topic, let marker = TicketMarker(topic: topic),
            tickets.ticket(number: marker.ticketNumber)?.state == .opening,
            tickets.ticket(number: marker.ticketNumber)?.openerID == marker.openerID
        {
            if let ticket = tickets.confirmChannel(
                number: marker.ticketNumber, channelID: channel.id, name: channel.name ?? "")
            {
                Task {
                    await self.persistQuietly("adopting channel of ticket #\(ticket.number)")
                    // The workflow that asked for the channel posts the welcome unless it died meanwhile.
                    if !self.openingsInProgress.contains(ticket.number) { await self.ensureWelcome(ticket) }
                }
            }
        }
    }

    private func channelDeleted(_ channelID: ChannelID) {
        if let current = discord {
            discord = current.builder(excludingChannel: channelID).build(
                id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
        }
        captured[channelID] = nil
        captureLimitReported.remove(channelID)
        guard let ticket = tickets.channelVanished(channelID, now: services.now()) else {
            refreshConfigProblems()
            return
        }
        deletionTimers.removeValue(forKey: ticket.number)?.cancel()
        if ticket.state == .open || ticket.state == .closing {
            services.metrics.closed.increment()
        }
        let reason = ticket.state == .closed ? "closed ticket" : "deleted by hand before the ticket was closed"
        Task {
            await self.persistQuietly("archiving ticket #\(ticket.number)")
            await self.audit(AuditEntry.deleted(ticket, reason: reason))
        }
    }

    private func roleChanged(_ role: Role) {
        liftPause(because: "a role changed")
        guard let current = discord else { return }
        var builder = current.builder(excludingRole: role.id)
        builder.addRole(
            id: role.id, name: role.name, permissions: role.permissions, position: role.position, color: role.color)
        discord = builder.build(id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
    }

    private func roleDeleted(_ roleID: RoleID) {
        guard let current = discord else { return }
        discord = current.builder(excludingRole: roleID).build(
            id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
        refreshConfigProblems()
    }

    /// Recomputes the configuration's broken references and tells the moderation log about new ones.
    func refreshConfigProblems() {
        guard let discord else { return }
        let problems = tickets.config.referenceProblems(in: discord)
        let new = problems.filter { !configProblems.contains($0) }
        configProblems = problems
        guard !new.isEmpty else { return }
        for problem in new { services.metrics.failure("config_\(problem.field.rawValue)") }
        logger.warning("ticket configuration has broken references: \(new.map(\.description).joined(separator: "; "))")
        let detail = new.map { "\($0.field.rawValue.replacingOccurrences(of: "_", with: " ")): \($0.message)" }
            .joined(separator: "\n")
        Task {
            await self.audit(
                AuditEntry.problem("Ticket settings need attention", detail: detail + "\nFix them on the dashboard."))
        }
    }
}
