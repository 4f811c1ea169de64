import AetheriaPorts
import DiscordModels
import Foundation
import Storage
import Testing

/// One contract for every `SessionStore`: what the gateway relies on to resume after a restart.
@Suite("SessionStore contract: in-memory, SQLite and Redis")
struct SessionStoreContractTests {
    enum Implementation: String, CaseIterable, Sendable {
        case inMemory
        case sqlite
        case redis
    }

    static func make(_ implementation: Implementation) async throws -> any SessionStore {
        switch implementation {
        case .inMemory: InMemorySessionStore()
        case .sqlite:
            try await SQLiteSessionStore(
                database: try SQLiteDatabase(
                    path: FileManager.default.temporaryDirectory.appendingPathComponent(
                        "aetheria-\(UUID().uuidString)/store.sqlite"
                    ).path))
        case .redis: RedisSessionStore(client: try TestRedis.client())
        }
    }

    @Test(
        "save, load, overwrite with a later sequence, and remove; shard counts are separate",
        arguments: Implementation.allCases)
    func contract(_ implementation: Implementation) async throws {
        let store = try await Self.make(implementation)
        let shardID = Int.random(in: 1...1_000_000)
        #expect(try await store.load(shardID: shardID, shardCount: 4) == nil)
        var snapshot = GatewaySessionSnapshot(
            shardID: shardID, shardCount: 4, sessionID: "s-1", sequence: 10, resumeURL: "wss://resume.example")
        try await store.save(snapshot)
        #expect(try await store.load(shardID: shardID, shardCount: 4) == snapshot)
        snapshot.sequence = 99
        try await store.save(snapshot)
        #expect(try await store.load(shardID: shardID, shardCount: 4)?.sequence == 99)
        #expect(try await store.load(shardID: shardID, shardCount: 8) == nil)
        try await store.remove(shardID: shardID, shardCount: 4)
        #expect(try await store.load(shardID: shardID, shardCount: 4) == nil)
    }
}
