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
        // `run()`, not `runService()`: the latter installs its own SIGTERM/SIGINT handlers, so a signal stopped the
        // dashboard by itself before the process's service group began its ordered shutdown. The group then saw a
        // service end unexpectedly and cancelled the rest (gateway sessions and guild snapshots were not saved,
        // and the exit status was 1). Here the dashboard stops when its group tells it to, in order.
        try await application.run()
    }
}
