import AetheriaPorts
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing

/// One contract for every `SessionStore`: what the gateway relies on to resume after a restart.
@Suite("SessionStore contract: in-memory, SQLite and Redis")
struct SessionStoreContractTests {
    /// Runs `body` with a fresh store of `implementation`, shut down afterwards.
    static func withStore<Result>(
        _ implementation: StoreImplementation, _ body: (any SessionStore) async throws -> Result
    ) async throws -> Result {
        try await ContractStores.with(
            implementation, inMemory: { InMemorySessionStore() as any SessionStore },
            sqlite: { try await SQLiteSessionStore(database: $0) }, redis: { RedisSessionStore(client: $0) }, body)
    }

    @Test(
        "save, load, overwrite with a later sequence, and remove; shard counts are separate",
        arguments: StoreImplementation.allCases)
    func contract(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
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
}
