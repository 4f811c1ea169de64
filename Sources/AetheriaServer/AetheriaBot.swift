public import DiscordGateway
import DiscordModels
import DiscordREST
public import Foundation
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization
public import TicketCore

/// The bot as one service: opens the store, learns who it is, registers `/ticket-setup`, runs the shards
/// with one guild actor per guild, and runs the stale-ticket reminders; on graceful shutdown it closes the
/// shards resumably (so the next start resumes instead of identifying) and then the store.
public final class AetheriaBot: Service, Sendable {
    public let configuration: AetheriaConfiguration
    /// Every guild actor, for the dashboard and the scheduler.
    public let guilds = GuildDirectory()
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let state = Mutex<RunState>(RunState())
    private let deferredRecords = DeferredRecordStore()

    private struct RunState {
        var manager: ShardManager?
        var storesAvailable: (@Sendable () -> Bool)?
        var transcripts: (any TranscriptStore)?
        var rest: DiscordRESTClient?
    }

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(
        configuration: AetheriaConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.now = now
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// Shard statuses for the dashboard (empty until the shards start).
    public var shardStatuses: [ShardStatus] { state.withLock { $0.manager?.statuses ?? [] } }

    /// Short-lived shared records (dashboard sessions) in the configured store; calls made before it is open
    /// wait for it (there is no process-local fallback a restart would lose).
    var records: any ExpiringRecordStore { deferredRecords }

    /// Returns once the configured stores are open (the dashboard listens only then), or when cancelled.
    func storesOpened() async {
        while !deferredRecords.isOpen, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Discord's REST API as the bot (once started).
    var rest: DiscordRESTClient? { state.withLock { $0.rest } }

    /// Closed tickets and their transcripts (once the store is open).
    public var transcripts: (any TranscriptStore)? { state.withLock { $0.transcripts } }

    /// Whether the store answers right now.
    public var isStoreAvailable: Bool { state.withLock { $0.storesAvailable?() ?? false } }

    public func run() async throws {
        guard let token = configuration.discordToken else {
            throw StartupError(description: "discord.token (DISCORD_TOKEN) is not set")
        }
        let stores = try await BotStores.open(configuration, logger: logger)
        logger.info("storage: \(stores.description)")
        state.withLock {
            $0.storesAvailable = stores.isAvailable
            $0.transcripts = stores.transcripts
        }
        deferredRecords.open(stores.records)
        do {
            try await runShards(token: token, stores: stores)
        } catch {
            await stores.shutdown()
            throw error
        }
        await stores.shutdown()
    }

    private func runShards(token: String, stores: BotStores) async throws {
        let rest = DiscordRESTClient(
            configuration: .init(baseURL: configuration.discordAPIURL, token: token), rateLimits: stores.rateLimits,
            logger: logger)
        state.withLock { $0.rest = rest }
        let me: User
        do {
            me = try await rest.getCurrentUser()
        } catch {
            throw StartupError(
                description: error.kind == .unauthorized
                    ? "discord.token (DISCORD_TOKEN) was refused by Discord (401): check the bot token"
                    : "cannot reach Discord at \(configuration.discordAPIURL.absoluteString): \(error)")
        }
        let applicationID = ApplicationID(UInt64(configuration.discordClientID ?? "") ?? me.id.rawValue)
        await registerCommands(rest: rest, applicationID: applicationID)
        let gatewayBot = try await rest.getGatewayBot()
        let plan = try ShardManager.plan(
            gatewayBot: gatewayBot,
            shardCount: {
                switch configuration.shardCount {
                case .automatic: .automatic
                case .fixed(let count): .fixed(count)
                }
            }(),
            shardRange: configuration.shardRange, gatewayURLOverride: configuration.discordGatewayURL?.absoluteString)
        let keeper = stores.leases.map {
            ShardLeaseKeeper(store: $0, instanceID: configuration.instanceID, logger: logger)
        }
        if let keeper {
            try await keeper.acquire(shardIDs: plan.shardIDs, totalShards: plan.totalShards)
            logger.info("holding the leases of shards \(plan.shardIDs.lowerBound)-\(plan.shardIDs.upperBound)")
        }
        let services = TicketServices(
            rest: rest, guildStore: stores.guilds, transcriptStore: stores.transcripts, botUserID: me.id,
            applicationID: applicationID, fencingToken: { guildID in keeper?.fencingToken(for: guildID) ?? 1 },
            now: now, dashboardURL: configuration.dashboardPublicURL,
            activityFlushDelay: configuration.activityFlushDelay, logger: logger)
        let directory = guilds
        let router = GuildRouter<GuildActor>(makeHandler: { guildID, eventLoop in
            let actor = GuildActor(
                guildID: guildID, eventLoop: eventLoop, services: services,
                leftGuild: { actor in directory.unregister(actor) })
            directory.register(actor)
            return actor
        })
        var gatewayConfiguration = GatewayConfiguration(token: token)
        gatewayConfiguration.compression = configuration.gatewayCompression
        let manager = try await ShardManager.make(
            plan: plan, configuration: gatewayConfiguration, sessionStore: stores.sessions,
            consumer: router, eventLoopGroup: eventLoopGroup, logger: logger)
        state.withLock { $0.manager = manager }
        await activateStoredGuilds(stores: stores, router: router, manager: manager)
        manager.start()
        logger.info("Aetheria is running as \(me.username) (\(me.id))")
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let keeper { group.addTask { try await keeper.keepRenewing() } }
                group.addTask { await self.runStaleReminders() }
                // The reminders end at shutdown; a lost lease ends everything at once.
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            // Cancelled rather than shut down gracefully: still close resumably and release the leases.
        } catch {
            logger.critical("\(error)")
            await manager.shutdown()
            throw error
        }
        logger.info("shutting down: closing shards resumably")
        // Shutdown work must finish even when the bot was cancelled: run it in a task cancellation cannot reach.
        await Task {
            await manager.shutdown()
            await directory.stopAll()
            await keeper?.releaseAll()
        }.value
    }

    /// Deletes transcripts older than the retention period, guild by guild.
    public func purgeOldTranscripts() async {
        guard let days = configuration.transcriptRetentionDays, let store = transcripts else { return }
        let cutoff = now().addingTimeInterval(-Double(days) * 86_400)
        var deleted = 0
        for guildID in guilds.guildIDs {
            do {
                deleted += try await store.deleteClosed(before: cutoff, guildID: guildID)
            } catch {
                logger.warning("could not apply transcript retention in guild \(guildID): \(error)")
            }
        }
        if deleted > 0 { logger.info("deleted \(deleted) transcripts older than \(days) days") }
    }

    /// Registers `/ticket-setup` unless Discord already has it as it should be: the commands bucket is small
    /// (a few writes per 20 s), and a fleet of processes restarting together would otherwise exhaust it.
    private func registerCommands(rest: DiscordRESTClient, applicationID: ApplicationID) async {
        let wanted = [TicketMessages.setupCommand]
        func shape(_ command: ApplicationCommand) -> String {
            "\(command.name)|\(command.description)|\(command.defaultMemberPermissions?.rawValue ?? 0)"
        }
        do {
            let existing = try await rest.getGlobalCommands(applicationID)
            guard existing.map(shape).sorted() != wanted.map(shape).sorted() else { return }
            _ = try await rest.bulkOverwriteGlobalCommands(applicationID, wanted)
            logger.info("registered /\(TicketMessages.setupCommandName)")
        } catch {
            logger.error("could not register /\(TicketMessages.setupCommandName): \(error)")
        }
    }

    /// Guilds with stored state get their actor now: a process that resumes its sessions receives no
    /// GUILD_CREATE, yet their deletions and reminders are due all the same.
    private func activateStoredGuilds(stores: BotStores, router: GuildRouter<GuildActor>, manager: ShardManager) async {
        let stored: [GuildID]
        do {
            stored = try await stores.guilds.storedGuildIDs()
        } catch {
            logger.error("could not list the stored guilds; they load on their first event instead: \(error)")
            return
        }
        let shards = Dictionary(uniqueKeysWithValues: manager.shards.map { ($0.identity.id, $0) })
        let total = UInt64(manager.plan.totalShards)
        var activated = 0
        for guildID in stored {
            guard let shard = shards[Int((guildID.rawValue >> 22) % total)],
                let actor = try? await router.prepare(guildID, shardID: shard.identity.id, eventLoop: shard.eventLoop)
                    .get()
            else { continue }
            await actor.activate()
            activated += 1
        }
        if activated > 0 { logger.info("activated \(activated) guilds with stored tickets") }
    }

    /// Every `staleCheckInterval` until shutdown: one reminder per idle ticket. The next sweep's due time is
    /// stored (per shard range, so several processes each sweep their own guilds): a process restarted more
    /// often than the interval still sweeps, at once when the stored time has passed.
    private func runStaleReminders() async {
        let interval = configuration.staleCheckInterval
        let intervalSeconds = Double(interval.components.seconds)
        let key =
            "aetheria:stale-sweep:\(configuration.shardRange.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "all")"
        let store = deferredRecords
        var due = now()  // never swept before: sweep at once
        if let stored = try? await store.get(key, now: now()),
            let seconds = Double(String(decoding: stored, as: UTF8.self)),
            seconds.isFinite
        {
            // Stored by an earlier run; never more than one interval ahead, whatever the store says.
            due = min(Date(timeIntervalSince1970: seconds), now().addingTimeInterval(intervalSeconds))
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let wait = max(0, due.timeIntervalSince(now()))
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(wait * 1_000))) }
            } catch {
                return
            }
            let sent = await guilds.sendStaleReminders()
            if sent > 0 { logger.info("posted \(sent) stale-ticket reminders") }
            await purgeOldTranscripts()
            due = now().addingTimeInterval(intervalSeconds)
            try? await store.put(
                key, Array(String(due.timeIntervalSince1970).utf8),
                expiresAt: due.addingTimeInterval(intervalSeconds * 4))
        }
    }
}
