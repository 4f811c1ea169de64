import DiscordModels
import EmulatorTestSupport
import Foundation
import Glibc
import Logging
import Storage
import Testing
import TicketCore

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
        try await server.kill()
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
        try await server.kill()
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
