public import AetheriaPorts
public import DiscordModels

/// Gateway sessions in the embedded SQLite file, so a restarted process resumes without Redis.
public struct SQLiteSessionStore: SessionStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) async throws {
        self.database = database
        try await database.prepareSchema(
            """
            CREATE TABLE IF NOT EXISTS gateway_sessions (
                shard_id INTEGER NOT NULL, shard_count INTEGER NOT NULL, session_id TEXT NOT NULL,
                sequence INTEGER NOT NULL, resume_url TEXT NOT NULL, PRIMARY KEY (shard_id, shard_count))
            """)
    }

    public func load(shardID: Int, shardCount: Int) async throws -> GatewaySessionSnapshot? {
        try await database.withConnection { connection in
            let rows = try SQLiteDatabase.query(
                connection,
                "SELECT session_id, sequence, resume_url FROM gateway_sessions WHERE shard_id = ? AND shard_count = ?",
                [.integer(Int64(shardID)), .integer(Int64(shardCount))])
            guard let row = rows.first, let sessionID = row[0].text, let sequence = row[1].integer,
                let resumeURL = row[2].text
            else { return nil }
            return GatewaySessionSnapshot(
                shardID: shardID, shardCount: shardCount, sessionID: sessionID, sequence: Int(sequence),
                resumeURL: resumeURL)
        }
    }

    public func save(_ snapshot: GatewaySessionSnapshot) async throws {
        try await database.withConnection { connection in
            _ = try SQLiteDatabase.query(
                connection,
                "INSERT OR REPLACE INTO gateway_sessions (shard_id, shard_count, session_id, sequence, resume_url) VALUES (?, ?, ?, ?, ?)",
                [
                    .integer(Int64(snapshot.shardID)), .integer(Int64(snapshot.shardCount)), .text(snapshot.sessionID),
                    .integer(Int64(snapshot.sequence)), .text(snapshot.resumeURL),
                ])
        }
    }

    public func remove(shardID: Int, shardCount: Int) async throws {
        try await database.withConnection { connection in
            _ = try SQLiteDatabase.query(
                connection, "DELETE FROM gateway_sessions WHERE shard_id = ? AND shard_count = ?",
                [.integer(Int64(shardID)), .integer(Int64(shardCount))])
        }
    }
}
