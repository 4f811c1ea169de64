public import DiscordModels
public import Foundation

/// Short-lived records that must survive a restart and be shared by every process (the dashboard's sessions
/// and OAuth2 login states): opaque bytes under a key, gone after their expiry.
public protocol ExpiringRecordStore: Sendable {
    func put(_ key: String, _ value: [UInt8], expiresAt: Date) async throws
    /// The value, or `nil` when absent or expired at `now`.
    func get(_ key: String, now: Date) async throws -> [UInt8]?
    /// Removes and returns the value (a one-time token is used once, even with several processes).
    func take(_ key: String, now: Date) async throws -> [UInt8]?
    func delete(_ key: String) async throws
}

/// The in-memory `ExpiringRecordStore`, for tests.
public actor InMemoryExpiringRecordStore: ExpiringRecordStore {
    private var records: [String: (value: [UInt8], expiresAt: Date)] = [:]

    public init() {}

    public func put(_ key: String, _ value: [UInt8], expiresAt: Date) {
        records[key] = (value, expiresAt)
    }

    public func get(_ key: String, now: Date) -> [UInt8]? {
        guard let record = records[key], record.expiresAt > now else { return nil }
        return record.value
    }

    public func take(_ key: String, now: Date) -> [UInt8]? {
        guard let record = records.removeValue(forKey: key), record.expiresAt > now else { return nil }
        return record.value
    }

    public func delete(_ key: String) {
        records[key] = nil
    }
}
