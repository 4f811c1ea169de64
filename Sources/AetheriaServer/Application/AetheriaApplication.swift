public import Dashboard
public import DiscordGateway
import DiscordModels
import DiscordREST
public import Foundation
public import Logging
import Metrics
public import NIOCore
public import NIOPosix
public import Prometheus
public import ServiceLifecycle
public import TicketCore
public import UnixSignals

/// The composition root: one configuration value in, the services of one Aetheria process out, wired once.
/// `aetheria run`, `aetheria demo`, the load test's bot and the tests all build the process here.
///
/// The services run in this order, and shut down gracefully in reverse:
/// 1. the stores (closed last, after every writer stopped);
/// 2. the shards: wait for the store, learn the bot's identity, register `/ticket-setup`, take the shard
///    leases, run one guild actor per guild; on shutdown close the sessions resumably and flush every guild;
/// 3. the stale-ticket scheduler (reminders and transcript retention);
/// 4. the dashboard (stops accepting requests first).
/// Building opens local files and makes clients; it never waits on the network, so a Redis that is down at
/// start is waited for by the shards while the dashboard already reports it on `/healthz`.
public final class AetheriaApplication: Sendable {
    public let configuration: AetheriaConfiguration
    /// Every guild actor of this process, for the dashboard, the scheduler and the tests.
    public let guilds: GuildDirectory
    public let dashboard: DashboardServer
    let stores: BotStores
    let rest: DiscordRESTClient
    let shards: ShardService
    let scheduler: StaleReminderScheduler
    private let logger: Logger

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// What the process takes from its surroundings besides the configuration; tests replace the clock.
    public struct Environment: Sendable {
        public var logger: Logger
        /// Where the process's metrics go (`bootstrapMetrics()` routes swift-metrics into it).
        public var registry: PrometheusCollectorRegistry
        public var now: @Sendable () -> Date
        public var eventLoopGroup: any EventLoopGroup
        /// How long a member's roles are believed by the dashboard (how soon a demotion takes effect).
        public var memberRolesLifetime: Duration

        public init(
            logger: Logger, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
            now: @escaping @Sendable () -> Date = { Date() },
            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
            memberRolesLifetime: Duration = .seconds(60)
        ) {
            self.logger = logger
            self.registry = registry
            self.now = now
            self.eventLoopGroup = eventLoopGroup
            self.memberRolesLifetime = memberRolesLifetime
        }
    }

    /// Builds every part of the process from `configuration`. Throws `StartupError` (naming the key) when the
    /// configuration cannot run: no token, a store that cannot be opened.
    public static func build(
        _ configuration: AetheriaConfiguration, environment: Environment
    ) async throws -> AetheriaApplication {
        try StartupCheck.validate(configuration)
        guard let token = configuration.discordToken else {
            throw StartupError(description: "discord.token (DISCORD_TOKEN) is not set")
        }
        let logger = environment.logger
        let stores: BotStores
        do {
            stores = try await BotStores.open(configuration, logger: logger)
        } catch let error as BotStores.StartupError {
            throw StartupError(description: error.description)
        }
        let rest = DiscordRESTClient(
            configuration: .init(baseURL: configuration.discordAPIURL, token: token), rateLimits: stores.rateLimits,
            logger: logger)
        let guilds = GuildDirectory()
        let shards = ShardService(
            configuration: configuration, token: token, stores: stores, rest: rest, directory: guilds,
            eventLoopGroup: environment.eventLoopGroup, now: environment.now, logger: logger)
        let scheduler = StaleReminderScheduler(
            configuration: configuration, directory: guilds, records: stores.records, transcripts: stores.transcripts,
            guildsStarted: { try await shards.waitUntilStarted() }, now: environment.now, logger: logger)
        let backend = BotDashboardBackend(
            guilds: guilds, rest: rest, stores: stores, shardService: shards,
            clientID: configuration.discordClientID ?? "", clientSecret: configuration.discordClientSecret ?? "",
            registry: environment.registry, memberRoles: MemberRolesCache(lifetime: environment.memberRolesLifetime))
        let dashboard = DashboardServer(
            configuration: dashboardSettings(configuration), backend: backend, logger: logger, now: environment.now)
        return AetheriaApplication(
            configuration: configuration, guilds: guilds, dashboard: dashboard, stores: stores, rest: rest,
            shards: shards, scheduler: scheduler, logger: logger)
    }

    private init(
        configuration: AetheriaConfiguration, guilds: GuildDirectory, dashboard: DashboardServer, stores: BotStores,
        rest: DiscordRESTClient, shards: ShardService, scheduler: StaleReminderScheduler, logger: Logger
    ) {
        self.configuration = configuration
        self.guilds = guilds
        self.dashboard = dashboard
        self.stores = stores
        self.rest = rest
        self.shards = shards
        self.scheduler = scheduler
        self.logger = logger
    }

    private static func dashboardSettings(_ configuration: AetheriaConfiguration) -> DashboardConfiguration {
        let publicURL =
            configuration.dashboardPublicURL
            ?? URL(string: "http://\(configuration.dashboardHost):\(configuration.dashboardPort)")
            ?? URL(fileURLWithPath: "/")
        var settings = DashboardConfiguration(
            host: configuration.dashboardHost, port: configuration.dashboardPort, publicURL: publicURL,
            authorizeURL: configuration.dashboardAuthorizeURL, clientID: configuration.discordClientID ?? "",
            secureCookies: configuration.dashboardSecureCookies, metricsToken: configuration.metricsToken)
        settings.postsPerMinute = 30
        return settings
    }

    /// The process's services in start order (graceful shutdown runs them down in reverse).
    public var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        [
            .init(service: StoreService(stores: stores, logger: logger)),
            .init(service: shards),
            .init(service: scheduler),
            .init(service: dashboard),
        ]
    }

    /// The process as one service group; `gracefulShutdownSignals` for a real process (SIGINT, SIGTERM).
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal] = []) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }

    /// Runs the process until the calling task is cancelled, which shuts it down gracefully, in order (as
    /// SIGTERM would): a test that ends its bot this way leaves resumable sessions and flushed guilds behind.
    public func run() async throws {
        let group = serviceGroup()
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// Routes every swift-metrics metric of the process into one Prometheus registry (once per process).
    public static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// Shard statuses (empty until the shards start).
    public var shardStatuses: [ShardStatus] { shards.statuses }

    /// Closed tickets and their transcripts.
    public var transcripts: any TranscriptStore { stores.transcripts }

    /// Whether the store answers right now.
    public var isStoreAvailable: Bool { stores.isAvailable() }

    /// Deletes transcripts past their retention now (the scheduler does it with every sweep).
    public func purgeOldTranscripts() async { await scheduler.purgeOldTranscripts() }
}
