import AetheriaPorts
import DiscordModels
import EmulatorTestSupport
import Foundation
import Logging
import Storage
import Testing

@Suite("Redis client over hiredis (real redis-server)")
struct RedisClientTests {
    @Test("binary-safe values round-trip, including NUL bytes and non-UTF-8")
    func binarySafe() async throws {
        let client = try TestRedis.client()
        let key = TestRedis.prefix() + "binary"
        let value: [UInt8] = [0x00, 0xFF, 0x0A, 0x0D, 0x00, 0x80, 0x41]
        #expect(try await client.run(["SET", key, value]) == .status("OK"))
        #expect(try await client.run(["GET", key]) == .bytes(value))
        #expect(try await client.run(["GET", key + ":missing"]) == .null)
        await client.shutdown()
    }

    @Test("a pipeline sends many commands in one round trip and keeps reply order")
    func pipelining() async throws {
        let client = try TestRedis.client()
        let key = TestRedis.prefix() + "counter"
        let replies = try await client.pipeline((0..<100).map { _ in ["INCR", key] })
        #expect(replies == (1...100).map { RedisValue.integer(Int64($0)) })
        await client.shutdown()
    }

    @Test("a script is loaded on first use, runs by the SHA Redis gave, and is loaded again after SCRIPT FLUSH")
    func scripts() async throws {
        let client = try TestRedis.client()
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        let key = TestRedis.prefix() + "script"
        #expect(script.loadedSHA == nil)
        #expect(try await client.evaluate(script, keys: [key], arguments: [5]) == .integer(5))
        let sha = try #require(script.loadedSHA)
        #expect(try await client.run(["SCRIPT", "EXISTS", sha]) == .array([.integer(1)]))
        // Redis restarted or flushed: NOSCRIPT, then loaded again, and the call still counts once.
        _ = try await client.run(["SCRIPT", "FLUSH"])
        #expect(try await client.evaluate(script, keys: [key], arguments: [2]) == .integer(7))
        #expect(try await client.evaluate(script, keys: [key], arguments: [1]) == .integer(8))
        await client.shutdown()
    }

    @Test(
        "Redis errors come back as error values; an unreachable Redis fails with .unavailable, naming it without the password"
    )
    func errorsAndUnreachable() async throws {
        let client = try TestRedis.client()
        let key = TestRedis.prefix() + "string"
        _ = try await client.run(["SET", key, "x"])
        guard case .error(let message) = try await client.run(["INCR", key]) else {
            Issue.record("INCR on a string should be an error reply")
            return
        }
        #expect(message.contains("not an integer"))
        await client.shutdown()

        let unreachable = RedisClient(
            configuration: try RedisConfiguration(url: URL(string: "redis://user:hunter2@127.0.0.1:1/0")!),
            retryWindow: .milliseconds(300), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            _ = try await unreachable.run(["PING"])
            Issue.record("PING to a closed port succeeded")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("127.0.0.1:1"))
            #expect(!error.description.contains("hunter2"))
        }
        #expect(!unreachable.isAvailable)
        await unreachable.shutdown()
    }

    @Test("URLs with credentials and a database parse; the password never shows")
    func configurationParsing() throws {
        let configuration = try RedisConfiguration(url: URL(string: "redis://aetheria:s3cret@redis.internal:6380/2")!)
        #expect(configuration.host == "redis.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.username == "aetheria")
        #expect(configuration.password == "s3cret")
        #expect(configuration.database == 2)
        #expect(configuration.description == "redis://aetheria:***@redis.internal:6380/2")
        #expect(throws: RedisConfiguration.InvalidURL.self) { try RedisConfiguration(url: URL(string: "http://x")!) }
        #expect(throws: RedisConfiguration.InvalidURL.self) {
            try RedisConfiguration(url: URL(string: "redis://h/db")!)
        }
    }

    @Test("gateway sessions saved by one process are loaded by the next, under hash-tagged keys")
    func sessionStore() async throws {
        let client = try TestRedis.client()
        let store = RedisSessionStore(client: client)
        let shardID = Int.random(in: 10_000...1_000_000)
        let snapshot = GatewaySessionSnapshot(
            shardID: shardID, shardCount: 16, sessionID: "abc123", sequence: 4242, resumeURL: "wss://resume.example")
        try await store.save(snapshot)
        let restarted = RedisSessionStore(client: try TestRedis.client())
        #expect(try await restarted.load(shardID: shardID, shardCount: 16) == snapshot)
        #expect(try await restarted.load(shardID: shardID, shardCount: 32) == nil)
        let keys = try await client.run(["KEYS", "aetheria:{s:\(shardID)}:*"])
        #expect(keys.array?.count == 1)
        try await restarted.remove(shardID: shardID, shardCount: 16)
        #expect(try await store.load(shardID: shardID, shardCount: 16) == nil)
        await client.shutdown()
        await restarted.client.shutdown()
    }
}
