import AetheriaPorts
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

@Suite("ExpiringRecordStore contract: in-memory, SQLite and Redis (dashboard sessions)")
struct ExpiringRecordStoreContractTests {
    /// Runs `body` with a fresh store of `implementation`, shut down afterwards.
    static func withStore<Result>(
        _ implementation: StoreImplementation, _ body: (any ExpiringRecordStore) async throws -> Result
    ) async throws -> Result {
        try await ContractStores.with(
            implementation, inMemory: { InMemoryExpiringRecordStore() as any ExpiringRecordStore },
            sqlite: { try await SQLiteExpiringRecordStore(database: $0) },
            redis: { RedisExpiringRecordStore(client: $0) }, body)
    }

    @Test(
        "a record reads back until it expires; take returns it once; delete removes it",
        arguments: StoreImplementation.allCases)
    func lifecycle(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let key = "test-\(UUID().uuidString)"
            let now = Date()
            let value: [UInt8] = [0, 1, 2, 0xFF] + Array("session".utf8)
            try await store.put(key, value, expiresAt: now.addingTimeInterval(60))
            #expect(try await store.get(key, now: now) == value)
            #expect(try await store.take(key, now: now) == value)
            #expect(try await store.take(key, now: now) == nil, "a one-time token is used once")

            try await store.put(key, value, expiresAt: now.addingTimeInterval(60))
            try await store.delete(key)
            #expect(try await store.get(key, now: now) == nil)

            // Expiry: judged against `now` by the in-process stores, by Redis's own clock for Redis. A record whose
            // time has passed is gone, with no wait for a clock to move (a 300 ms TTL and a sleep failed under load).
            try await store.put(key, value, expiresAt: Date().addingTimeInterval(-5))
            #expect(try await store.get(key, now: Date()) == nil)
            #expect(try await store.take(key, now: Date()) == nil)
        }
    }
}
