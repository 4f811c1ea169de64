import Foundation
import Synchronization
import TicketCore

/// The configured `ExpiringRecordStore` (SQLite or Redis), handed out before it is open: every call waits
/// until the bot has opened its stores. The dashboard's sessions therefore always live in the configured
/// store, never in a process-local fallback that a restart would lose.
final class DeferredRecordStore: ExpiringRecordStore, Sendable {
    private enum State {
        case waiting([CheckedContinuation<any ExpiringRecordStore, Never>])
        case open(any ExpiringRecordStore)
    }

    private let state = Mutex<State>(.waiting([]))

    /// The store is open: waiting calls go on.
    func open(_ store: any ExpiringRecordStore) {
        let waiters = state.withLock { state -> [CheckedContinuation<any ExpiringRecordStore, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .open(store)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: store) }
    }

    var isOpen: Bool {
        state.withLock { if case .open = $0 { true } else { false } }
    }

    /// Waits until the store is open.
    func store() async -> any ExpiringRecordStore {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> (any ExpiringRecordStore)? in
                switch state {
                case .open(let store): return store
                case .waiting(let waiters):
                    state = .waiting(waiters + [continuation])
                    return nil
                }
            }
            if let open { continuation.resume(returning: open) }
        }
    }

    func put(_ key: String, _ value: [UInt8], expiresAt: Date) async throws {
        try await store().put(key, value, expiresAt: expiresAt)
    }

    func get(_ key: String, now: Date) async throws -> [UInt8]? { try await store().get(key, now: now) }

    func take(_ key: String, now: Date) async throws -> [UInt8]? { try await store().take(key, now: now) }

    func delete(_ key: String) async throws { try await store().delete(key) }
}
