import DiscordModels
import Foundation
import Glibc
import Logging
import Storage
import Testing
import TicketCore

/// A redis-server of the test's own (so killing it disturbs no other test), with AOF as in config/redis.conf.
final class OwnRedisServer: @unchecked Sendable {
    let port: Int
    let directory: URL
    private var process: Process?

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aetheria-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Int.random(in: 30_000...60_000)
    }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--appendonly",
            "yes",
            "--appendfsync", "everysec", "--save", "",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Wait until it answers.
        for _ in 0..<100 {
            if let client = try? makeClient(retryWindow: .milliseconds(50)), (try? await client.run(["PING"])) != nil {
                await client.shutdown()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerDidNotStart(port: port)
    }

    /// SIGKILL: no shutdown, no final save.
    func kill() {
        guard let process else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    func makeClient(retryWindow: Duration) throws -> RedisClient {
        RedisClient(
            configuration: try RedisConfiguration(url: URL(string: "redis://127.0.0.1:\(port)/0")!),
            retryWindow: retryWindow,
            logger: Logger(label: "test.redis", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    struct ServerDidNotStart: Error {
        var port: Int
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("Redis failures: kill -9 and restart")
struct RedisRestartTests {
    @Test("kill -9 of redis-server and a restart with AOF lose nothing that was acknowledged")
    func killAndRestartKeepsAcknowledgedWrites() async throws {
        let server = try OwnRedisServer()
        try await server.start()
        let client = try server.makeClient(retryWindow: .seconds(5))
        let store = RedisGuildStore(client: client)
        for index in 1...200 {
            try await store.save(
                StoredGuildSnapshot(
                    guildID: GuildID(UInt64(index)), version: 1, fencingToken: 1, payload: Array("guild \(index)".utf8))
            )
        }
        server.kill()
        try await server.start()
        for index in 1...200 {
            #expect(try await store.load(GuildID(UInt64(index)))?.payload == Array("guild \(index)".utf8))
        }
        await client.shutdown()
    }

    @Test("while Redis restarts, a write waits and retries, then succeeds; the client reports the outage and recovers")
    func writesWaitAcrossARestart() async throws {
        let server = try OwnRedisServer()
        try await server.start()
        let client = try server.makeClient(retryWindow: .seconds(8))
        let store = RedisGuildStore(client: client)
        try await store.save(StoredGuildSnapshot(guildID: 1, version: 1, fencingToken: 1, payload: [1]))
        server.kill()
        let restart = Task {
            try await Task.sleep(for: .milliseconds(700))
            try await server.start()
        }
        // Issued while Redis is down: it must wait for the restart instead of failing.
        try await store.save(StoredGuildSnapshot(guildID: 1, version: 2, fencingToken: 1, payload: [2]))
        try await restart.value
        #expect(try await store.load(1)?.payload == [2])
        #expect(client.isAvailable)
        await client.shutdown()
    }
}
