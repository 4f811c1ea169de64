public import AetheriaPorts
import DiscordModels
public import Foundation
public import TicketCore

/// Expiring records in the embedded SQLite file (expired rows are ignored, and swept on every write).
public struct SQLiteExpiringRecordStore: ExpiringRecordStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) async throws {
        self.database = database
        try await database.prepareSchema(
            "CREATE TABLE IF NOT EXISTS expiring_records (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at INTEGER NOT NULL)"
        )
    }

    public func put(_ key: String, _ value: [UInt8], expiresAt: Date) async throws {
        let now = Self.milliseconds(Date())
        try await database.withConnection { connection in
            _ = try SQLiteDatabase.query(
                connection, "DELETE FROM expiring_records WHERE expires_at <= ?", [.integer(now)])
            _ = try SQLiteDatabase.query(
                connection, "INSERT OR REPLACE INTO expiring_records (key, value, expires_at) VALUES (?, ?, ?)",
                [.text(key), .blob(value), .integer(Self.milliseconds(expiresAt))])
        }
    }

    public func get(_ key: String, now: Date) async throws -> [UInt8]? {
        try await database.withConnection { connection in
            let rows = try SQLiteDatabase.query(
                connection, "SELECT value FROM expiring_records WHERE key = ? AND expires_at > ?",
                [.text(key), .integer(Self.milliseconds(now))])
            guard case .blob(let value)? = rows.first?.first else { return nil }
            return value
        }
    }

    public func take(_ key: String, now: Date) async throws -> [UInt8]? {
        try await database.withConnection { connection in
            let rows = try SQLiteDatabase.query(
                connection, "DELETE FROM expiring_records WHERE key = ? RETURNING value, expires_at", [.text(key)])
            guard let row = rows.first, case .blob(let value) = row[0], case .integer(let expiry) = row[1],
                expiry > Self.milliseconds(now)
            else { return nil }
            return value
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { OutsideNumber.milliseconds(since1970: date) }

    public func delete(_ key: String) async throws {
        try await database.withConnection { connection in
            _ = try SQLiteDatabase.query(connection, "DELETE FROM expiring_records WHERE key = ?", [.text(key)])
        }
    }
}
