import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// One contract, every `GuildStore`: what the ticket system relies on, checked the same way for each.
@Suite("GuildStore contract: in-memory, SQLite and Redis")
struct GuildStoreContractTests {
    /// Runs `body` with a fresh store of `implementation`, shut down afterwards.
    static func withStore<Result>(
        _ implementation: StoreImplementation, _ body: (any GuildStore) async throws -> Result
    ) async throws -> Result {
        try await ContractStores.with(
            implementation, inMemory: { InMemoryGuildStore() as any GuildStore },
            sqlite: { try await SQLiteGuildStore(database: $0) }, redis: { RedisGuildStore(client: $0) }, body)
    }

    @Test(
        "a saved snapshot loads back byte for byte; an unknown guild loads as nil",
        arguments: StoreImplementation.allCases)
    func roundTrip(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            #expect(try await store.load(guildID) == nil)
            let payload: [UInt8] = [0, 1, 2, 0xFF, 0, 0x7F] + Array("tickets".utf8)
            let snapshot = StoredGuildSnapshot(guildID: guildID, version: 1, fencingToken: 1, payload: payload)
            try await store.save(snapshot)
            #expect(try await store.load(guildID) == snapshot)
            #expect(try await store.storedGuildIDs().contains(guildID), "a restarted process finds the guild again")
        }
    }

    @Test(
        "fencing: an old owner's write after a new owner's is refused as stale", arguments: StoreImplementation.allCases
    )
    func fencing(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            func save(version: UInt64, fence: UInt64) async throws(GuildStoreError) {
                try await store.save(
                    StoredGuildSnapshot(
                        guildID: guildID, version: version, fencingToken: fence,
                        payload: Array("v\(version)f\(fence)".utf8)
                    ))
            }
            try await save(version: 1, fence: 1)
            try await save(version: 2, fence: 1)
            // A replayed (not newer) write of the same owner is refused.
            await #expect(throws: GuildStoreError.stale(guildID: guildID, storedFencingToken: 1, storedVersion: 2)) {
                try await save(version: 2, fence: 1)
            }
            // A new owner wins even with a lower version…
            try await save(version: 1, fence: 2)
            // …and the paused old owner can no longer write.
            await #expect(throws: GuildStoreError.stale(guildID: guildID, storedFencingToken: 2, storedVersion: 1)) {
                try await save(version: 9, fence: 1)
            }
            #expect(try await store.load(guildID)?.payload == Array("v1f2".utf8))
        }
    }

    @Test("the embedded store keeps snapshots across a restart (a new process opening the same file)")
    func sqliteSurvivesReopen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "aetheria-\(UUID().uuidString)/store.sqlite"
        ).path
        let first = try SQLiteDatabase(path: path)
        let snapshot = StoredGuildSnapshot(guildID: 42, version: 3, fencingToken: 7, payload: Array("state".utf8))
        try await SQLiteGuildStore(database: first).save(snapshot)
        await first.shutdown()
        let reopened = try SQLiteDatabase(path: path)
        #expect(try await SQLiteGuildStore(database: reopened).load(42) == snapshot)
        await reopened.shutdown()
    }
}
