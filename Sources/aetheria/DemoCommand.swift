import AetheriaServer
import ArgumentParser
import DiscordEmulator
import DiscordModels
import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

/// `aetheria demo`: the main job. Runs the local Discord with seeded guilds, the bot on the embedded store,
/// and simulated members who open tickets and chat while staff answer and close them, so every number moves.
///
/// The demo reads the same environment as `aetheria run` (`DASHBOARD_PORT`, `DASHBOARD_HOST`,
/// `AETHERIA_DATA_DIR`, `AETHERIA_LOG_LEVEL`, `REDIS_URL`, …); its options win over the environment. What
/// points at Discord (token, API URL, OAuth2) always points at its own emulator.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: the local Discord, the bot on the embedded store, and simulated support traffic.")

    @OptionGroup var options: EmulatorOptions
    @Option(help: "Port of the staff dashboard (default: DASHBOARD_PORT, else 8080; 0 picks a free port).")
    var dashboardPort: Int?
    @Option(help: "Where the demo's store lives (default: AETHERIA_DATA_DIR, else ./data/demo).")
    var dataDirectory: String?
    @Option(help: "Seconds between simulated member actions.")
    var actionInterval = 1.5
    @Option(help: "Stop after this many seconds (0 runs until Ctrl-C).")
    var duration = 0.0
    @Option(help: "Log level (default: AETHERIA_LOG_LEVEL, else notice).")
    var logLevel: Logger.Level?

    func validate() throws {
        guard actionInterval.isFinite, actionInterval > 0, duration.isFinite, duration >= 0 else {
            throw ValidationError("--action-interval must be above 0 and --duration 0 or more (seconds)")
        }
    }

    func run() async throws {
        StandardOutput.flushEveryLine()
        var configuration: AetheriaConfiguration
        do {
            configuration = try ConfigurationLoader().load(file: nil, defaults: Self.defaults)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if let dashboardPort { configuration.dashboardPort = dashboardPort }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let logLevel { configuration.logLevel = logLevel.rawValue }
        let logger = Logging.bootstrapped(
            level: Logger.Level(rawValue: configuration.logLevel) ?? .notice, label: "aetheria.demo")
        // The OAuth2 redirect names the dashboard's port, so a free one is chosen now rather than by the listener.
        if configuration.dashboardPort == 0 {
            configuration.dashboardPort = try await Self.freePort(host: configuration.dashboardHost)
        }
        configuration.discordToken = options.botToken
        configuration.dashboardPublicURL = URL(
            string: "http://\(configuration.dashboardHost):\(configuration.dashboardPort)")

        let settled = configuration
        let interval = actionInterval
        let emulator = LocalDiscord(configuration: options.configuration, logger: logger)
        let bot = DemoBot(
            emulator: emulator, configuration: configuration, registry: AetheriaApplication.bootstrapMetrics(),
            logger: logger)
        let activity = DemoActivity(
            bot: bot, endpoints: { try await emulator.endpoints() },
            interval: OutsideNumber.duration(seconds: actionInterval, maximum: .seconds(3_600)) ?? .seconds(1),
            logger: logger)
        // Shutdown runs in reverse: the members stop, then the bot (saving its sessions), then the emulator.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: emulator), .init(service: bot), .init(service: activity),
        ]
        if duration > 0 {
            services.append(
                .init(
                    service: StopAfter(
                        duration: OutsideNumber.duration(seconds: duration, maximum: .seconds(366 * 86_400)) ?? .zero),
                    successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        // The URLs are printed once they are real (the bot built, the dashboard listening); the demo ends when its
        // service group does.
        do {
            try await runPrintingURLs(group: group, emulator: emulator, bot: bot, settled: settled, interval: interval)
        } catch {
            try StartupFailures.report(error, command: "demo")
        }
    }

    /// Runs the demo's group, printing the URLs once they are real; a listener that cannot start ends it.
    private func runPrintingURLs(
        group: ServiceGroup, emulator: LocalDiscord, bot: DemoBot, settled: AetheriaConfiguration, interval: Double
    ) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return true
            }
            tasks.addTask {
                let endpoints = try await emulator.endpoints()
                let application = try await bot.application()
                let dashboard = "http://\(settled.dashboardHost):\(try await application.dashboard.port())"
                print(
                    EmulatorAnnouncer.announcement(heading: "Aetheria demo", endpoints: endpoints, emulator: emulator))
                print("  Dashboard    \(dashboard)/   (log in through the emulator: pick an Admin member)")
                print("  Health       \(dashboard)/healthz   Metrics /metrics   Shards /shards")
                print("  Data         \(settled.redisURL == nil ? settled.dataDirectory : "Redis")")
                print(
                    "  Activity     simulated members open tickets every ~\(interval) s; a summary prints every 30 s"
                )
                return false
            }
            while let groupEnded = try await tasks.next() {
                if groupEnded { tasks.cancelAll() }
            }
        }
    }

    /// The demo's own defaults, which the environment and then the options override.
    static var defaults: AetheriaConfiguration {
        var configuration = AetheriaConfiguration()
        configuration.dataDirectory = "./data/demo"
        configuration.staleCheckInterval = .seconds(600)
        configuration.logLevel = "notice"
        // Plain HTTP on loopback: the only case where cookies go without `Secure`.
        configuration.dashboardSecureCookies = false
        return configuration
    }

    /// A port nobody listens on right now, from the kernel.
    static func freePort(host: String) async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: host, port: 0)
            .get()
        defer { channel.close(promise: nil) }
        return channel.localAddress?.port ?? 8080
    }
}

/// The bot of the demo, built once the emulator listens (it needs the emulator's address, whatever port it
/// got) through the same composition root as `aetheria run`, and run as a service group inside the demo's.
final class DemoBot: Service, Sendable {
    let emulator: LocalDiscord
    let configuration: AetheriaConfiguration
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    private let built = OnceValue<AetheriaApplication>()

    init(
        emulator: LocalDiscord, configuration: AetheriaConfiguration, registry: PrometheusCollectorRegistry,
        logger: Logger
    ) {
        self.emulator = emulator
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
    }

    /// The bot, once built.
    func application() async throws -> AetheriaApplication { try await built.value() }

    func run() async throws {
        var configuration = configuration
        let endpoints = try await emulator.endpoints()
        configuration.discordAPIURL = endpoints.restBaseURL
        configuration.dashboardAuthorizeURL = endpoints.origin.appendingPathComponent("oauth2/authorize")
        // The emulator serves uploaded files at CDN-style URLs of its own origin: Discord's CDN, in the demo.
        configuration.transcriptAttachmentOrigins.append(endpoints.origin.absoluteString)
        configuration.discordClientID = EmulatorConfiguration.botUserID.description
        configuration.discordClientSecret = EmulatorConfiguration.developmentClientSecret
        let application = try await AetheriaApplication.build(
            configuration, environment: .init(logger: logger, registry: registry))
        built.set(application)
        // A group inside the demo's group: the demo's graceful shutdown runs the bot's services down in order.
        try await application.serviceGroup().run()
    }
}

/// Ends the demo after a fixed time (for scripted runs and CI smoke tests).
struct StopAfter: Service {
    let duration: Duration

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
