public import Logging
import NIOPosix
import Synchronization

/// A small Redis client over hiredis: binary-safe argv commands, pipelines and `EVALSHA` scripts, run on a
/// dedicated thread pool so blocking I/O never occupies the Swift cooperative pool or an event loop.
/// Reconnects with backoff; while Redis is away, calls wait and retry for `retryWindow`, then fail with
/// `.unavailable`. The outage and the recovery are logged once each, not per request.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    /// How long a call keeps retrying while Redis is unreachable.
    public let retryWindow: Duration
    private let threadPool: NIOThreadPool
    private let idleConnections = Mutex<[ConnectionBox]>([])
    private let outageStartedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let loadedScripts = Mutex<Set<String>>([])
    private let logger: Logger

    /// Hands a connection from one pool thread to another; only one call uses it at a time.
    private final class ConnectionBox: @unchecked Sendable {
        let connection: RedisConnection
        init(_ connection: RedisConnection) { self.connection = connection }
    }

    public init(configuration: RedisConfiguration, retryWindow: Duration = .seconds(10), logger: Logger) {
        self.configuration = configuration
        self.retryWindow = retryWindow
        self.logger = logger
        threadPool = NIOThreadPool(numberOfThreads: max(1, configuration.connections))
        threadPool.start()
    }

    private let isShutDown = Mutex(false)

    /// Stops the thread pool and closes every connection; calling it again does nothing.
    public func shutdown() async {
        let first = isShutDown.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        try? await threadPool.shutdownGracefully()
        idleConnections.withLock { $0.removeAll() }
    }

    /// Whether Redis answered the last call (for `/healthz`).
    public var isAvailable: Bool { outageStartedAt.withLock { $0 == nil } }

    // MARK: - Commands

    public func run(_ arguments: [any RedisArgument]) async throws(RedisError) -> RedisValue {
        let argv = arguments.map(\.redisBytes)
        return try await withConnection { try $0.run(argv) }
    }

    /// Several commands in one round trip; replies in order.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws(RedisError) -> [RedisValue] {
        let argvs = commands.map { $0.map(\.redisBytes) }
        return try await withConnection { try $0.pipeline(argvs) }
    }

    /// Runs a Lua script by its SHA, which `SCRIPT LOAD` returns: loaded on first use and again when Redis
    /// forgot it (`NOSCRIPT`, after a restart or `SCRIPT FLUSH`).
    public func evaluate(
        _ script: RedisScript, keys: [String], arguments: [any RedisArgument]
    ) async throws(RedisError)
        -> RedisValue
    {
        let tail: [[UInt8]] = [keys.count.redisBytes] + keys.map(\.redisBytes) + arguments.map(\.redisBytes)
        return try await withConnection { connection in
            func load() throws -> String? {
                let loaded = try connection.run(["SCRIPT".redisBytes, "LOAD".redisBytes, script.source.redisBytes])
                guard let sha = loaded.string else { return nil }
                script.loadedSHA = sha
                return sha
            }
            guard let sha = try script.loadedSHA ?? load() else {
                return .error("ERR SCRIPT LOAD did not return a SHA")
            }
            let reply = try connection.run(["EVALSHA".redisBytes, sha.redisBytes] + tail)
            if case .error(let message) = reply, message.hasPrefix("NOSCRIPT"), let reloaded = try load() {
                return try connection.run(["EVALSHA".redisBytes, reloaded.redisBytes] + tail)
            }
            return reply
        }
    }

    // MARK: - Connections

    private func withConnection(
        _ body: @escaping @Sendable (RedisConnection) throws -> RedisValue
    )
        async throws(RedisError) -> RedisValue
    {
        try await withConnectionReturning { connection in [try body(connection)] }[0]
    }

    private func withConnection(
        _ body: @escaping @Sendable (RedisConnection) throws -> [RedisValue]
    )
        async throws(RedisError) -> [RedisValue]
    {
        try await withConnectionReturning(body)
    }

    /// Runs `body` with a pooled connection on the storage thread pool, reconnecting and retrying (within
    /// `retryWindow`) when the connection fails.
    private func withConnectionReturning(
        _ body: @escaping @Sendable (RedisConnection) throws -> [RedisValue]
    ) async throws(RedisError) -> [RedisValue] {
        let deadline = ContinuousClock.now + retryWindow
        var delay = Duration.milliseconds(50)
        while true {
            let configuration = self.configuration
            let result: Result<[RedisValue], RedisError>
            do {
                result = try await threadPool.runIfActive { () -> Result<[RedisValue], RedisError> in
                    let box: ConnectionBox
                    if let pooled = self.idleConnections.withLock({ $0.popLast() }) {
                        box = pooled
                    } else {
                        do throws(RedisError) {
                            box = ConnectionBox(try RedisConnection(configuration: configuration))
                        } catch {
                            return .failure(error)
                        }
                    }
                    do {
                        let values = try body(box.connection)
                        self.idleConnections.withLock { $0.append(box) }
                        // A Redis that just restarted answers LOADING until its data is back in memory: it is
                        // not there yet, like an unreachable one, so the call waits and retries.
                        if let loading = values.lazy.compactMap(\.stillLoading).first {
                            return .failure(RedisError(kind: .connection, message: loading))
                        }
                        return .success(values)
                    } catch let error as RedisError {
                        // A broken connection is dropped, not returned to the pool.
                        if error.kind != .connection { self.idleConnections.withLock { $0.append(box) } }
                        return .failure(error)
                    } catch {
                        self.idleConnections.withLock { $0.append(box) }
                        return .failure(RedisError(kind: .command, message: "\(error)"))
                    }
                }
            } catch {
                throw RedisError(kind: .unavailable, message: "the Redis thread pool is shut down")
            }
            switch result {
            case .success(let values):
                recovered()
                return values
            case .failure(let error) where error.kind == .connection:
                markOutage(error)
                guard ContinuousClock.now + delay < deadline else {
                    throw RedisError(
                        kind: .unavailable,
                        message: "Redis at \(configuration) unreachable for \(retryWindow): \(error.message)")
                }
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw RedisError(
                        kind: .unavailable, message: "cancelled while Redis at \(configuration) was unreachable")
                }
                delay = min(delay * 2, .seconds(1))
            case .failure(let error):
                throw error
            }
        }
    }

    private func markOutage(_ error: RedisError) {
        let first = outageStartedAt.withLock { started -> Bool in
            guard started == nil else { return false }
            started = .now
            return true
        }
        if first {
            logger.error(
                "Redis is unreachable; retrying", metadata: ["redis": "\(configuration)", "error": "\(error.message)"])
        }
    }

    private func recovered() {
        let since = outageStartedAt.withLock { started -> ContinuousClock.Instant? in
            defer { started = nil }
            return started
        }
        if let since {
            logger.notice(
                "Redis is back", metadata: ["redis": "\(configuration)", "outage": "\(ContinuousClock.now - since)"])
        }
    }
}

/// A Lua script, run with `EVALSHA` by the SHA-1 Redis gave when it was loaded (Redis computes it, so the
/// client needs no hash function of its own).
public final class RedisScript: Sendable {
    public let source: String
    private let sha = Mutex<String?>(nil)

    public init(_ source: String) {
        self.source = source
    }

    /// The SHA from the last `SCRIPT LOAD`, `nil` before the first use.
    public internal(set) var loadedSHA: String? {
        get { sha.withLock { $0 } }
        set { sha.withLock { $0 = newValue } }
    }
}

extension RedisValue {
    /// The error Redis answers while it loads its dataset after a start (`LOADING …`), if this is it.
    fileprivate var stillLoading: String? {
        if case .error(let message) = self, message.hasPrefix("LOADING") { return message }
        return nil
    }
}
