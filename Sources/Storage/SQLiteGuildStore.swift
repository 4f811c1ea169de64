public import DiscordModels
public import TicketCore

/// Guild snapshots in the embedded SQLite file, fenced like the Redis store: the check and the write happen
/// in one transaction on the database's thread.
public struct SQLiteGuildStore: GuildStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) async throws {
        self.database = database
        try await database.prepareSchema(
            """
            CREATE TABLE IF NOT EXISTS guild_snapshots (
                guild_id INTEGER PRIMARY KEY, version INTEGER NOT NULL, fencing_token INTEGER NOT NULL,
                payload BLOB NOT NULL)
            """)
    }

    public func load(_ guildID: GuildID) async throws(GuildStoreError) -> StoredGuildSnapshot? {
        let row: [SQLiteValue]?
        do {
            row = try await database.withConnection { connection in
                try SQLiteDatabase.query(
                    connection, "SELECT version, fencing_token, payload FROM guild_snapshots WHERE guild_id = ?",
                    [.integer(Int64(bitPattern: guildID.rawValue))]
                ).first
            }
        } catch {
            throw .unavailable("\(error)")
        }
        guard let row else { return nil }  // no snapshot
        // A stored row reads completely or it is corrupt (and left alone), never "absent".
        guard row.count == 3, let version = row[0].integer, let fence = row[1].integer, case .blob(let payload) = row[2]
        else { throw .corrupt(guildID: guildID, detail: "its fencing token, version or payload does not read") }
        return StoredGuildSnapshot(
            guildID: guildID, version: UInt64(bitPattern: version), fencingToken: UInt64(bitPattern: fence),
            payload: payload)
    }

    public func storedGuildIDs() async throws(GuildStoreError) -> [GuildID] {
        do {
            return try await database.withConnection { connection in
                try SQLiteDatabase.query(connection, "SELECT guild_id FROM guild_snapshots", []).compactMap { row in
                    row[0].integer.map { GuildID(UInt64(bitPattern: $0)) }
                }
            }
        } catch {
            throw .unavailable("\(error)")
        }
    }

    public func save(_ snapshot: StoredGuildSnapshot) async throws(GuildStoreError) {
        let outcome: StoredGuildSnapshot?
        do {
            outcome = try await database.withConnection { connection -> StoredGuildSnapshot? in
                try SQLiteDatabase.execute(connection, "BEGIN IMMEDIATE")
                do {
                    let rows = try SQLiteDatabase.query(
                        connection, "SELECT version, fencing_token FROM guild_snapshots WHERE guild_id = ?",
                        [.integer(Int64(bitPattern: snapshot.guildID.rawValue))])
                    if let row = rows.first, let version = row[0].integer, let fence = row[1].integer {
                        let stored = StoredGuildSnapshot(
                            guildID: snapshot.guildID, version: UInt64(bitPattern: version),
                            fencingToken: UInt64(bitPattern: fence), payload: [])
                        if InMemoryGuildStore.isStale(snapshot, against: stored) {
                            try SQLiteDatabase.execute(connection, "ROLLBACK")
                            return stored
                        }
                    }
                    _ = try SQLiteDatabase.query(
                        connection,
                        "INSERT OR REPLACE INTO guild_snapshots (guild_id, version, fencing_token, payload) VALUES (?, ?, ?, ?)",
                        [
                            .integer(Int64(bitPattern: snapshot.guildID.rawValue)),
                            .integer(Int64(bitPattern: snapshot.version)),
                            .integer(Int64(bitPattern: snapshot.fencingToken)), .blob(snapshot.payload),
                        ])
                    try SQLiteDatabase.execute(connection, "COMMIT")
                    return nil
                } catch {
                    try? SQLiteDatabase.execute(connection, "ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw .unavailable("\(error)")
        }
        if let stored = outcome {
            throw .stale(
                guildID: snapshot.guildID, storedFencingToken: stored.fencingToken, storedVersion: stored.version)
        }
    }
}
