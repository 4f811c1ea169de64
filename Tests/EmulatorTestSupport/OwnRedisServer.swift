public import Foundation
import Glibc
import Logging
public import Storage

/// A redis-server of the test's own, on a free loopback port with its own directory and AOF on (as in
/// config/redis.conf), so a test can kill and restart it, or share it between bot processes, without disturbing
/// any other test.
public final class OwnRedisServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let lock = NSLock()
    private var process: Process?

    public var url: URL { URL(string: "redis://127.0.0.1:\(port)/0")! }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aetheria-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreeLoopbackPort.pick()
    }

    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public var port: Int
        public var description: String { "redis-server did not answer on 127.0.0.1:\(port)" }
    }

    /// Starts the server (again, after `kill`, on the same port and data) and waits until it answers PING.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path,
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { self.process = process }
        for _ in 0..<200 {
            guard process.isRunning else { break }
            let client = try makeClient(retryWindow: .milliseconds(50))
            let answered = (try? await client.run(["PING"])) != nil
            await client.shutdown()
            if answered { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ServerDidNotStart(port: port)
    }

    /// SIGKILL: no shutdown, no final save.
    public func kill() async throws {
        guard let process = lock.withLock({ self.process.take() }) else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        try await process.exited()
    }

    public func makeClient(retryWindow: Duration = .seconds(5)) throws -> RedisClient {
        RedisClient(
            configuration: try RedisConfiguration(url: url), retryWindow: retryWindow,
            logger: Logger(label: "test.redis", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    deinit {
        // No waiting here: the signal is enough for a server nobody uses any more.
        if let process = lock.withLock({ self.process.take() }) {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
