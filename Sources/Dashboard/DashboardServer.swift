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
    private let boundPort = Mutex<(port: Result<Int, StartFailure>?, waiters: [CheckedContinuation<Int, any Error>])>(
        (nil, []))

    /// The dashboard could not listen: one sentence naming the address, the port and the setting.
    public struct StartFailure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(
        configuration: DashboardConfiguration, backend: any DashboardBackend, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.backend = backend
        self.logger = logger
        self.now = now
    }

    /// The port the server listens on, once it does (useful with port 0); throws `StartFailure` when it
    /// cannot listen, so nothing waits for a dashboard that will never answer.
    public func port() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known = boundPort.withLock { state -> Result<Int, StartFailure>? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(with: known.mapError { $0 }) }
        }
    }

    private func settle(_ outcome: Result<Int, StartFailure>) {
        let waiters = boundPort.withLock { state -> [CheckedContinuation<Int, any Error>] in
            if case .some = state.port { return [] }
            state.port = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: outcome.mapError { $0 }) }
    }

    public func run() async throws {
        let application = Application(
            router: DashboardRouter.make(configuration: configuration, backend: backend, now: now),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Aetheria"),
            onServerRunning: { [weak self] channel in
                self?.settle(.success(channel.localAddress?.port ?? 0))
            },
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
            logger: logger)
        // `run()`, not `runService()`: the latter installs its own SIGTERM/SIGINT handlers, so a signal stopped the
        // dashboard by itself before the process's service group began its ordered shutdown. The group then saw a
        // service end unexpectedly and cancelled the rest (gateway sessions and guild snapshots were not saved,
        // and the exit status was 1). Here the dashboard stops when its group tells it to, in order.
        do {
            try await application.run()
        } catch {
            let listened = boundPort.withLock { state in state.port.map { _ in true } ?? false }
            guard !listened else { throw error }
            let text = "\(error)"
            let address = "\(configuration.host):\(configuration.port)"
            let failure = StartFailure(
                description: text.contains("Address already in use") || text.contains("errno: 98")
                    ? "dashboard.port (DASHBOARD_PORT): the dashboard cannot listen on \(address): the port is in use; choose another port"
                    : "dashboard.host / dashboard.port: the dashboard cannot listen on \(address): \(text)")
            settle(.failure(failure))
            throw failure
        }
        settle(.failure(StartFailure(description: "the dashboard stopped before it listened")))
    }
}
