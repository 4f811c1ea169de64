public import DiscordModels
public import Foundation
import Hummingbird
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A faithful local Discord: REST under `/api/v10`, the gateway, OAuth2, and a control API for tests,
/// benchmarks and the demo. Run it as a `Service`; `endpoints()` waits until both listeners are bound.
public final class LocalDiscord: Service, Sendable {
    /// Where the emulator can be reached once it runs.
    public struct Endpoints: Sendable, Hashable {
        /// `http://HOST:PORT`
        public var origin: URL
        /// `http://HOST:PORT/api/v10`
        public var restBaseURL: URL
        /// `ws://HOST:GATEWAY_PORT`
        public var gatewayURL: URL
        /// `http://HOST:PORT/_emulator`
        public var controlURL: URL
    }

    public let configuration: EmulatorConfiguration
    let core: EmulatorCore
    let firehose: Firehose
    private let logger: Logger
    private let ready = Mutex<(endpoints: Endpoints?, waiters: [CheckedContinuation<Endpoints, Never>])>((nil, []))

    public init(configuration: EmulatorConfiguration = EmulatorConfiguration(), logger: Logger? = nil) {
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "aetheria.emulator")
        let core = EmulatorCore(configuration: configuration)
        self.core = core
        self.firehose = Firehose(core: core)
        core.withState { state in
            var seeder = WorldSeeder(seed: configuration.seed)
            seeder.seed(&state)
        }
    }

    /// Waits until the emulator listens, then returns its URLs.
    public func endpoints() async -> Endpoints {
        await withCheckedContinuation { continuation in
            let endpoints = ready.withLock { ready -> Endpoints? in
                if let endpoints = ready.endpoints { return endpoints }
                ready.waiters.append(continuation)
                return nil
            }
            if let endpoints { continuation.resume(returning: endpoints) }
        }
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let gatewayChannel = try await GatewayServer(core: core, logger: logger).bind(
            host: configuration.host, port: configuration.gatewayPort, group: group)
        let gatewayPort = gatewayChannel.localAddress?.port ?? configuration.gatewayPort
        let host = configuration.host
        let responder = EmulatorResponder(core: core, firehose: firehose)
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "Discord Emulator"),
            onServerRunning: { [weak self] channel in
                let port = channel.localAddress?.port ?? 0
                self?.markReady(host: host, restPort: port, gatewayPort: gatewayPort)
            },
            eventLoopGroupProvider: .shared(group),
            logger: logger)
        do {
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await application.run()
            } onCancelOrGracefulShutdown: {
                gatewayChannel.close(promise: nil)
            }
        } catch {
            firehose.stop()
            try? await gatewayChannel.close()
            throw error
        }
        firehose.stop()
        core.withState { $0.closeAllConnections(code: .unknownError) }
        try? await gatewayChannel.close()
    }

    private func markReady(host: String, restPort: Int, gatewayPort: Int) {
        // IPv6 literals need brackets in URLs.
        let urlHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let origin = URL(string: "http://\(urlHost):\(restPort)") ?? URL(fileURLWithPath: "/")
        let gateway = "ws://\(urlHost):\(gatewayPort)"
        let endpoints = Endpoints(
            origin: origin, restBaseURL: origin.appendingPathComponent("api/v10"),
            gatewayURL: URL(string: gateway) ?? origin, controlURL: origin.appendingPathComponent("_emulator"))
        core.setURLs(restBase: origin.absoluteString, gateway: gateway)
        core.withState {
            $0.gatewayURLForClients = gateway
            $0.originForClients = origin.absoluteString
        }
        let waiters = ready.withLock { ready in
            ready.endpoints = endpoints
            defer { ready.waiters.removeAll() }
            return ready.waiters
        }
        for waiter in waiters { waiter.resume(returning: endpoints) }
    }

    /// A snapshot of the seeded world, for printing and for tests: guild IDs, names and their channels.
    public func guildSummaries() -> [(id: GuildID, name: String, channelCount: Int, memberCount: Int)] {
        core.withState { state in
            state.guilds.values.sorted { $0.id < $1.id }.map { ($0.id, $0.name, $0.channels.count, $0.members.count) }
        }
    }
}
