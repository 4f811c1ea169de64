public import Foundation
import Hummingbird
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The dashboard as a service: Hummingbird on the configured address (loopback by default), with idle
/// timeouts so slow clients cannot hold connections forever.
public final class DashboardServer: Service, Sendable {
    public let configuration: DashboardConfiguration
    private let backend: any DashboardBackend
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let boundPort = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    public init(
        configuration: DashboardConfiguration, backend: any DashboardBackend, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.backend = backend
        self.logger = logger
        self.now = now
    }

    /// The port the server listens on, once it does (useful with port 0).
    public func port() async -> Int {
        await withCheckedContinuation { continuation in
            let known = boundPort.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    public func run() async throws {
        let application = Application(
            router: DashboardRouter.make(configuration: configuration, backend: backend, now: now),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Aetheria"),
            onServerRunning: { [weak self] channel in
                let port = channel.localAddress?.port ?? 0
                let waiters = self?.boundPort.withLock { state -> [CheckedContinuation<Int, Never>] in
                    state.port = port
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters ?? [] { waiter.resume(returning: port) }
            },
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
            logger: logger)
        do {
            try await application.runService()
        } catch {
            // A SIGTERM that lands while the server is still binding makes Hummingbird's own shutdown fail
            // ("already closed"): that is a shutdown, not a failure, and must not turn the exit status non-zero.
            guard Task.isShuttingDownGracefully || Task.isCancelled else { throw error }
            logger.debug("the dashboard stopped while starting: \(error)")
        }
    }
}
