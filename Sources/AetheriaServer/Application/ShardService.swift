import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TicketCore

/// The bot's connection to Discord, as one service: waits for the store, learns who it is, registers
/// `/ticket-setup`, takes its shard leases (when processes share shards), then runs the shards with one guild
/// actor per guild until shutdown. On shutdown it closes the shards resumably (the next start resumes instead
/// of identifying), lets every guild actor write what it has not written, and releases the leases; the store
/// closes after it (it comes before this service in the group).
final class ShardService: Service, Sendable {
    private let configuration: AetheriaConfiguration
    private let token: String
    private let stores: BotStores
    private let rest: DiscordRESTClient
    private let directory: GuildDirectory
    private let eventLoopGroup: any EventLoopGroup
    private let now: @Sendable () -> Date
    private let logger: Logger
    /// The running shards: state of the service (empty before it connects), not wiring.
    private let manager = Mutex<ShardManager?>(nil)
    /// Resumed once the shards run (the scheduler's first sweep waits for it).
    private let started = OnceValue<Void>()

    init(
        configuration: AetheriaConfiguration, token: String, stores: BotStores, rest: DiscordRESTClient,
        directory: GuildDirectory, eventLoopGroup: any EventLoopGroup, now: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.configuration = configuration
        self.token = token
        self.stores = stores
        self.rest = rest
        self.directory = directory
        self.eventLoopGroup = eventLoopGroup
        self.now = now
        self.logger = logger
    }

    /// Shard statuses for the dashboard (empty until the shards start).
    var statuses: [ShardStatus] { manager.withLock { $0?.statuses ?? [] } }

    /// Returns once the shards run (stored guilds activated), or throws when cancelled first.
    func waitUntilStarted() async throws { try await started.value() }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.stores.waitUntilReachable(self.logger) }
        } catch is CancellationError {
            return  // shut down before the store ever answered: nothing was started
        }
        // Learning the bot's identity, its commands and the shard plan asks Discord: a SIGTERM meanwhile stops
        // the process at once (an unreachable Discord used to hold it for a minute per request).
        let me: User
        let applicationID: ApplicationID
        let plan: ShardManager.Plan
        do {
            (me, applicationID, plan) = try await cancelWhenGracefulShutdown { try await self.learnFromDiscord() }
        } catch is CancellationError {
            return
        }
        let keeper = stores.leases.map {
            ShardLeaseKeeper(store: $0, instanceID: configuration.instanceID, logger: logger)
        }
        if let keeper {
            do {
                try await cancelWhenGracefulShutdown {
                    try await keeper.acquire(shardIDs: plan.shardIDs, totalShards: plan.totalShards)
                }
            } catch is CancellationError {
                await keeper.releaseAll()
                return
            }
            logger.info("holding the leases of shards \(plan.shardIDs.lowerBound)-\(plan.shardIDs.upperBound)")
        }
        let services = TicketServices(
            discordAPI: RESTDiscordActions(client: rest), guildStore: stores.guilds,
            transcriptStore: stores.transcripts, botUserID: me.id,
            applicationID: applicationID, fencingToken: { guildID in keeper?.fencingToken(for: guildID) ?? 1 },
            now: now, dashboardURL: configuration.dashboardPublicURL,
            activityFlushDelay: configuration.activityFlushDelay,
            attachments: AttachmentFetcher(
                allowedOrigins: configuration.transcriptAttachmentOrigins,
                budgetBytes: configuration.transcriptAttachmentBudgetBytes),
            retrySchedule: configuration.retrySchedule, logger: logger)
        let directory = directory
        let feedback = FeedbackDesk(services: services, directory: directory)
        let (resumedSessions, resumed) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let router = GuildRouter<GuildActor>(
            makeHandler: { guildID, eventLoop in
                let actor = GuildActor(
                    guildID: guildID, eventLoop: eventLoop, services: services,
                    leftGuild: { actor in directory.unregister(actor) })
                directory.register(actor)
                return actor
            },
            unrouted: { _, envelope, frame in
                // A resumed session replays no GUILD_CREATE: the guilds it serves are learned from REST.
                if envelope.event == .resumed { resumed.yield() }
                feedback.handle(envelope, frame: frame)
            })
        var gatewayConfiguration = GatewayConfiguration(
            token: token,
            intents: configuration.memberEvents ? GatewayIntents.ticketBot.union(.guildMembers) : .ticketBot)
        gatewayConfiguration.compression = configuration.gatewayCompression
        let manager = try await ShardManager.make(
            plan: plan, configuration: gatewayConfiguration, sessionStore: stores.sessions,
            consumer: router, eventLoopGroup: eventLoopGroup, logger: logger)
        self.manager.withLock { $0 = manager }
        await activateStoredGuilds(router: router, manager: manager)
        manager.start()
        // Owned by this service: cancelled and awaited before the shards close.
        let discovery = Task {
            for await _ in resumedSessions.prefix(1) {
                await self.serveEveryGuild(router: router, manager: manager)
            }
        }
        started.set(())
        logger.info("Aetheria is running as \(me.username) (\(me.id))")
        var failure: (any Error)?
        do {
            // Renewing the leases is this service's loop; without leases it waits for shutdown. A lost lease
            // ends the process at once, so no two processes act for the same guilds.
            if let keeper {
                try await cancelWhenGracefulShutdown { try await keeper.keepRenewing() }
            } else {
                try await gracefulShutdown()
            }
        } catch is CancellationError {
            // Shut down, gracefully or not: close resumably and release the leases all the same.
        } catch {
            logger.critical("\(error)")
            failure = error
        }
        logger.info("shutting down: closing shards resumably")
        // Shutdown work must finish even when the service was cancelled: a task cancellation cannot reach.
        resumed.finish()
        discovery.cancel()
        await discovery.value
        await Task {
            await manager.shutdown()
            await directory.stopAll()
            await keeper?.releaseAll()
        }.value
        if let failure { throw failure }
    }

    /// The bot's identity (which also checks the token), its slash commands, and the shard plan.
    private func learnFromDiscord() async throws -> (User, ApplicationID, ShardManager.Plan) {
        let me: User
        do {
            me = try await rest.getCurrentUser()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw AetheriaApplication.StartupError(
                description: error.kind == .unauthorized
                    ? "discord.token (DISCORD_TOKEN) was refused by Discord (401): check the bot token"
                    : "cannot reach Discord at \(configuration.discordAPIURL.absoluteString): \(error)")
        }
        let applicationID = ApplicationID(UInt64(configuration.discordClientID ?? "") ?? me.id.rawValue)
        await registerCommands(applicationID: applicationID)
        try Task.checkCancellation()
        let plan = try ShardManager.plan(
            gatewayBot: try await rest.getGatewayBot(),
            shardCount: {
                switch configuration.shardCount {
                case .automatic: .automatic
                case .fixed(let count): .fixed(count)
                }
            }(),
            shardRange: configuration.shardRange, gatewayURLOverride: configuration.discordGatewayURL?.absoluteString)
        return (me, applicationID, plan)
    }

    /// Registers `/ticket-setup` unless Discord already has it as it should be: the commands bucket is small
    /// (a few writes per 20 s), and a fleet of processes restarting together would otherwise exhaust it.
    private func registerCommands(applicationID: ApplicationID) async {
        let wanted = [TicketMessages.setupCommand, StaffCommand.registration]
        // Compared as values, options included (an empty option list and none are the same to Discord), so a
        // changed option re-registers and an unchanged command costs one read.
        func normalized(_ options: [ApplicationCommand.Option]?) -> [ApplicationCommand.Option] {
            (options ?? []).map { option in
                var option = option
                option.options = option.options.flatMap { $0.isEmpty ? nil : normalized($0) }
                return option
            }
        }
        func same(_ lhs: ApplicationCommand, _ rhs: ApplicationCommand) -> Bool {
            lhs.name == rhs.name && lhs.description == rhs.description
                && lhs.defaultMemberPermissions == rhs.defaultMemberPermissions
                && normalized(lhs.options) == normalized(rhs.options)
        }
        do {
            let existing = try await rest.getGlobalCommands(applicationID)
            let unchanged =
                existing.count == wanted.count
                && wanted.allSatisfy { command in existing.contains { same($0, command) } }
            guard !unchanged else { return }
            _ = try await rest.bulkOverwriteGlobalCommands(applicationID, wanted)
            logger.info("registered /\(TicketMessages.setupCommandName) and /\(StaffCommand.commandName)")
        } catch {
            logger.error("could not register the slash commands: \(error)")
        }
    }

    /// After a resume, every guild of this process's shards gets its actor, learned from Discord's list of the
    /// bot's guilds (200 per request): a resumed session replays no GUILD_CREATE, so a guild with nothing
    /// stored yet would otherwise not be served (its dashboard a 404, `/readyz` short) until something
    /// happened in it. Guilds that already have an actor are left alone.
    private func serveEveryGuild(router: GuildRouter<GuildActor>, manager: ShardManager) async {
        let shards = Dictionary(uniqueKeysWithValues: manager.shards.map { ($0.identity.id, $0) })
        let total = UInt64(manager.plan.totalShards)
        var after: GuildID?
        var added = 0
        while !Task.isCancelled {
            let page: [PartialGuild]
            do {
                page = try await rest.getBotGuilds(after: after)
            } catch {
                logger.warning(
                    "could not list the bot's guilds after a resume; they load on their first event: \(error)")
                return
            }
            for guild in page where directory.actor(for: guild.id) == nil {
                guard let shard = shards[Int((guild.id.rawValue >> 22) % total)],
                    let actor = try? await router.prepare(
                        guild.id, shardID: shard.identity.id, eventLoop: shard.eventLoop
                    )
                    .get()
                else { continue }
                await actor.activate()
                added += 1
            }
            guard page.count == 200, let last = page.map(\.id).max() else { break }
            after = last
        }
        if added > 0 { logger.info("serving \(added) more guilds learned from Discord after the resume") }
    }

    /// Guilds with stored state get their actor now: a process that resumes its sessions receives no
    /// GUILD_CREATE, yet their deletions and reminders are due all the same.
    private func activateStoredGuilds(router: GuildRouter<GuildActor>, manager: ShardManager) async {
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
}
