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
    /// Whether the emulator listens (or failed to), and who waits to know.
    private struct Readiness {
        var outcome: Result<Endpoints, StartFailure>?
        var waiters: [UInt64: CheckedContinuation<Endpoints, any Error>] = [:]
        var nextWaiter: UInt64 = 0
    }
    private let ready = Mutex(Readiness())

    /// The emulator could not start listening, or stopped before it did.
    public struct StartFailure: Error, CustomStringConvertible, Sendable {
        public enum Listener: String, Sendable {
            case rest = "REST and control API"
            case gateway = "gateway"
        }
        /// The listener whose port was in use, when that was the reason.
        public var portInUse: (listener: Listener, host: String, port: Int)?
        public var description: String

        static func stopped() -> StartFailure {
            StartFailure(portInUse: nil, description: "the emulator stopped before it listened")
        }
    }

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

    /// Waits until the emulator listens, then returns its URLs. Throws `StartFailure` when it cannot listen
    /// (a port in use) or stopped first, and `CancellationError` when the waiting task is cancelled: nothing
    /// waits for an emulator that will never answer (a demo whose port was taken used to hang for good).
    public func endpoints() async throws -> Endpoints {
        let id = ready.withLock { ready -> UInt64 in
            defer { ready.nextWaiter += 1 }
            return ready.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let outcome = ready.withLock { ready -> Result<Endpoints, any Error>? in
                    if let outcome = ready.outcome { return outcome.mapError { $0 } }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    ready.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = ready.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Tells every waiter how the start went, once.
    private func settle(_ outcome: Result<Endpoints, StartFailure>) {
        let waiters = ready.withLock { ready -> [CheckedContinuation<Endpoints, any Error>] in
            if case .some = ready.outcome { return [] }
            ready.outcome = outcome
            defer { ready.waiters.removeAll() }
            return Array(ready.waiters.values)
        }
        for waiter in waiters { waiter.resume(with: outcome.mapError { $0 }) }
    }

    /// A bind error as one sentence naming the listener, the address and the port.
    private func startFailure(_ error: any Error, listener: StartFailure.Listener, port: Int) -> StartFailure {
        let text = "\(error)"
        let inUse = text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98")
        let address = "\(configuration.host):\(port)"
        return inUse
            ? StartFailure(
                portInUse: (listener, configuration.host, port),
                description: "the emulator's \(listener.rawValue) cannot listen on \(address): the port is in use")
            : StartFailure(
                portInUse: nil, description: "the emulator's \(listener.rawValue) cannot listen on \(address): \(text)")
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let gatewayChannel: any NIOCore.Channel
        do {
            gatewayChannel = try await GatewayServer(core: core, logger: logger).bind(
                host: configuration.host, port: configuration.gatewayPort, group: group)
        } catch {
            let failure = startFailure(error, listener: .gateway, port: configuration.gatewayPort)
            settle(.failure(failure))
            throw failure
        }
        let gatewayPort = gatewayChannel.localAddress?.port ?? configuration.gatewayPort
        let host = configuration.host
        let responder = EmulatorResponder(core: core, firehose: firehose)
        // Hummingbird's own lines about its shutdown ("Waiting on child channel: CancellationError()") are not
        // the operator's business: what fails to start is reported once, as a `StartFailure`.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "Discord Emulator"),
            onServerRunning: { [weak self] channel in
                let port = channel.localAddress?.port ?? 0
                self?.markReady(host: host, restPort: port, gatewayPort: gatewayPort)
            },
            eventLoopGroupProvider: .shared(group),
            logger: serverLogger)
        do {
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await application.run()
            } onCancelOrGracefulShutdown: {
                gatewayChannel.close(promise: nil)
            }
        } catch {
            firehose.stop()
            try? await gatewayChannel.close()
            // Before it listened, the REST listener could not bind; afterwards, the error is the server's own.
            guard ready.withLock({ $0.outcome.map { _ in false } ?? true }) else { throw error }
            let failure = startFailure(error, listener: .rest, port: configuration.port)
            settle(.failure(failure))
            throw failure
        }
        settle(.failure(.stopped()))  // for anyone who waited past a shutdown before listening
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
        settle(.success(endpoints))
    }

    /// A snapshot of the seeded world, for printing and for tests: guild IDs, names and their channels.
    public func guildSummaries() -> [(id: GuildID, name: String, channelCount: Int, memberCount: Int)] {
        core.withState { state in
            state.guilds.values.sorted { $0.id < $1.id }.map { ($0.id, $0.name, $0.channels.count, $0.members.count) }
        }
    }
}
