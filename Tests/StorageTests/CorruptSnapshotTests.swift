import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore

@testable import Storage

/// A snapshot whose fencing token or version does not read must not look like "no snapshot": the guild would
/// start empty and its next write would overwrite what was there.
@Suite("Stored snapshots whose fence or version does not read: SQLite and Redis")
struct CorruptSnapshotTests {
    @Test("SQLite: a row with an unreadable version is refused as corrupt, and stays")
    func sqlite() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "aetheria-\(UUID().uuidString)/store.sqlite"
        ).path
        let database = try SQLiteDatabase(path: path)
        let store = try await SQLiteGuildStore(database: database)
        try await database.withConnection { connection in
            _ = try SQLiteDatabase.query(
                connection,
                "INSERT INTO guild_snapshots (guild_id, version, fencing_token, payload) VALUES (?, ?, ?, ?)",
                [.integer(42), .text("seven"), .integer(1), .blob([1, 2, 3])])
        }
        await #expect(
            throws: GuildStoreError.corrupt(guildID: 42, detail: "its fencing token, version or payload does not read")
        ) {
            try await store.load(42)
        }
        #expect(try await store.load(43) == nil, "an absent guild is still absent")
        await database.shutdown()
    }

    @Test("Redis: a hash with an unreadable fence is refused as corrupt, and stays")
    func redis() async throws {
        let client = try TestRedis.client()
        let store = RedisGuildStore(client: client)
        let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
        _ = try await client.run(["HSET", RedisGuildStore.key(guildID), "fence", "x1", "version", "7", "payload", "p"])
        await #expect(throws: GuildStoreError.self) { try await store.load(guildID) }
        let fence = try await client.run(["HGET", RedisGuildStore.key(guildID), "fence"])
        #expect(fence.string == "x1", "left untouched")
        #expect(try await store.load(GuildID(guildID.rawValue + 1)) == nil)
        _ = try await client.run(["DEL", RedisGuildStore.key(guildID)])
        await client.shutdown()
    }
}
