public import DiscordGateway
public import DiscordModels
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

    private struct RunState {
        var manager: ShardManager?
        var storesAvailable: (@Sendable () -> Bool)?
        var transcripts: (any TranscriptStore)?
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
            configuration: .init(baseURL: configuration.discordAPIURL, token: token), logger: logger)
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
        do {
            _ = try await rest.bulkOverwriteGlobalCommands(applicationID, [TicketMessages.setupCommand])
        } catch {
            logger.error("could not register /ticket-setup: \(error)")
        }
        let services = TicketServices(
            rest: rest, guildStore: stores.guilds, transcriptStore: stores.transcripts, botUserID: me.id,
            applicationID: applicationID, now: now, dashboardURL: configuration.dashboardPublicURL, logger: logger)
        let directory = guilds
        let router = GuildRouter<GuildActor>(makeHandler: { guildID, eventLoop in
            let actor = GuildActor(guildID: guildID, eventLoop: eventLoop, services: services)
            directory.register(actor)
            return actor
        })
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
        let manager = try await ShardManager.make(
            plan: plan, configuration: GatewayConfiguration(token: token), sessionStore: stores.sessions,
            consumer: router, eventLoopGroup: eventLoopGroup, logger: logger)
        state.withLock { $0.manager = manager }
        manager.start()
        logger.info("Aetheria is running as \(me.username) (\(me.id))")
        await runStaleReminders()
        logger.info("shutting down: closing shards resumably")
        await manager.shutdown()
    }

    /// Every `staleCheckInterval` until shutdown: one reminder per idle ticket.
    private func runStaleReminders() async {
        let interval = configuration.staleCheckInterval
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let sent = await guilds.sendStaleReminders()
            if sent > 0 { logger.info("posted \(sent) stale-ticket reminders") }
        }
    }
}
