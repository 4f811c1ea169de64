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
    /// Tickets whose channel deletion is under way (a reopen would race it).
    var deletionsInProgress: Set<Int> = []
    /// The one timer for this guild's next automatic close (`GuildActor+CloseRequests.swift`).
    var automaticCloseTimer: Scheduled<Void>?
    /// The one timer for this guild's unfinished work (`GuildActor+Retries.swift`), and whether it is running.
    var retryTimer: Scheduled<Void>?
    var retriesRunning = false
    /// The end of the openings-limit window already reported in the log (once per window).
    var openingsLimitReportedUntil: Date?
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
    func keepIfBudgetAllows(_ envelope: GatewayEnvelope, frame: [UInt8]) {
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

    func keepUntilLoaded(_ envelope: GatewayEnvelope, frame: [UInt8]) {
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
    func leave() {
        if case .relinquished = phase { return }
        services.pendingEventBudget.release(pendingBytes)
        pendingBytes = 0
        pendingEvents = []
        Task {
            await self.stop()
            self.leftGuild(self)
        }
    }
}
