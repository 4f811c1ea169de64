public import AetheriaPorts
import DiscordModels
public import Foundation
public import TicketCore

/// Expiring records in Redis under `aetheria:record:<key>` with a millisecond TTL (`SET … PXAT`); `take` is
/// `GETDEL`, so a one-time token is used once across every process.
public struct RedisExpiringRecordStore: ExpiringRecordStore {
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    static func key(_ key: String) -> String { "aetheria:record:\(key)" }

    public func put(_ key: String, _ value: [UInt8], expiresAt: Date) async throws {
        let milliseconds = Int(OutsideNumber.milliseconds(since1970: expiresAt))
        _ = try await client.run(["SET", Self.key(key), value, "PXAT", String(milliseconds)])
    }

    public func get(_ key: String, now: Date) async throws -> [UInt8]? {
        guard case .bytes(let value) = try await client.run(["GET", Self.key(key)]) else { return nil }
        return value
    }

    public func take(_ key: String, now: Date) async throws -> [UInt8]? {
        guard case .bytes(let value) = try await client.run(["GETDEL", Self.key(key)]) else { return nil }
        return value
    }

    public func delete(_ key: String) async throws {
        _ = try await client.run(["DEL", Self.key(key)])
    }
}
