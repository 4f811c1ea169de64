import AetheriaServer
import ArgumentParser
import DiscordEmulator
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// `aetheria demo`: the main job. Runs the local Discord with seeded guilds, the bot on the embedded store,
/// and simulated members who open tickets and chat while staff answer and close them, so every number moves.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: the local Discord, the bot on the embedded store, and simulated support traffic.")

    @OptionGroup var options: EmulatorOptions
    @Option(help: "Port of the staff dashboard (on 127.0.0.1).")
    var dashboardPort = 8080
    @Option(help: "Where the demo's SQLite store lives.")
    var dataDirectory = "./data/demo"
    @Option(help: "Seconds between simulated member actions.")
    var actionInterval = 1.5
    @Option(help: "Stop after this many seconds (0 runs until Ctrl-C).")
    var duration = 0.0
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        let logger = Logging.bootstrapped(level: logLevel, label: "aetheria.demo")
        let emulator = LocalDiscord(configuration: options.configuration, logger: logger)
        let registry = AetheriaBot.bootstrapMetrics()
        let bot = DemoBot(emulator: emulator, configuration: botConfiguration(), registry: registry, logger: logger)
        let activity = DemoActivity(
            bot: bot, endpoints: { await emulator.endpoints() }, interval: .milliseconds(Int(actionInterval * 1000)),
            logger: logger)
        // Shutdown runs in reverse: the members stop, then the bot (saving its sessions), then the emulator.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: emulator), .init(service: bot), .init(service: activity),
        ]
        if duration > 0 {
            services.append(
                .init(service: StopAfter(seconds: duration), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let endpoints = await emulator.endpoints()
            print(EmulatorAnnouncer.announcement(heading: "Aetheria demo", endpoints: endpoints, emulator: emulator))
            print(
                "  Dashboard    http://127.0.0.1:\(dashboardPort)/   (log in through the emulator: pick an Admin member)"
            )
            print("  Health       http://127.0.0.1:\(dashboardPort)/healthz   Metrics /metrics   Shards /shards")
            print("  Data         \(dataDirectory)/aetheria.sqlite (embedded store)")
            print(
                "  Activity     simulated members open tickets every ~\(actionInterval) s; a summary prints every 30 s")
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    private func botConfiguration() -> AetheriaConfiguration {
        var configuration = AetheriaConfiguration()
        configuration.discordToken = options.botToken
        configuration.dataDirectory = dataDirectory
        configuration.staleCheckInterval = .seconds(600)
        configuration.discordClientID = EmulatorConfiguration.botUserID.description
        configuration.discordClientSecret = EmulatorConfiguration.developmentClientSecret
        configuration.dashboardPort = dashboardPort
        configuration.dashboardPublicURL = URL(string: "http://127.0.0.1:\(dashboardPort)")
        // Plain HTTP on loopback: the only case where cookies go without `Secure`.
        configuration.dashboardSecureCookies = false
        return configuration
    }
}

/// The bot, started once the emulator listens (its first act is a REST call there, on whatever port the
/// emulator got).
final class DemoBot: Service, Sendable {
    let emulator: LocalDiscord
    let configuration: AetheriaConfiguration
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    private let started = Mutex<AetheriaBot?>(nil)

    init(
        emulator: LocalDiscord, configuration: AetheriaConfiguration, registry: PrometheusCollectorRegistry,
        logger: Logger
    ) {
        self.emulator = emulator
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
    }

    /// The running bot, once started.
    var bot: AetheriaBot? { started.withLock { $0 } }

    func run() async throws {
        var configuration = configuration
        let endpoints = await emulator.endpoints()
        configuration.discordAPIURL = endpoints.restBaseURL
        configuration.dashboardAuthorizeURL = endpoints.origin.appendingPathComponent("oauth2/authorize")
        let bot = AetheriaBot(configuration: configuration, logger: logger)
        started.withLock { $0 = bot }
        let dashboard = bot.dashboard(registry: registry, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await bot.run() }
            group.addTask { try await dashboard.run() }
            try await group.next()
            group.cancelAll()
        }
    }
}

/// Ends the demo after a fixed time (for scripted runs and CI smoke tests).
struct StopAfter: Service {
    let seconds: Double

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
    }
}
