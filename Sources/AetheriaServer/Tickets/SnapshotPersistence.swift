/// Keeps a guild's snapshot writes in order: one write in flight at a time, each with a larger version, and
/// callers that arrive while one is in flight share the next write (a burst of changes costs one or two
/// writes, not one each). Owned by the guild actor; holds no I/O itself.
struct SnapshotPersistence {
    /// The version of the last write the store accepted.
    private(set) var storedVersion: UInt64 = 0
    /// The largest version any caller waits for.
    private(set) var requestedVersion: UInt64 = 0
    /// The version being written now.
    var inFlightVersion: UInt64?
    private var waiters: [(version: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    /// An activity-only change is waiting for the coalesced flush.
    var activityFlushScheduled = false

    mutating func restore(version: UInt64) {
        storedVersion = version
        requestedVersion = version
    }

    /// Registers a change that must be written: returns the version whose write will include it (the write
    /// after the one in flight, whose state was taken before the change).
    mutating func requestWrite() -> UInt64 {
        let version = (inFlightVersion ?? storedVersion) + 1
        requestedVersion = max(requestedVersion, version)
        return version
    }

    var hasUnwrittenChanges: Bool { requestedVersion > storedVersion }

    mutating func wait(for version: UInt64, _ continuation: CheckedContinuation<Void, any Error>) {
        waiters.append((version, continuation))
    }

    /// The store accepted `version`: returns the callers it satisfies.
    mutating func written(_ version: UInt64) -> [CheckedContinuation<Void, any Error>] {
        storedVersion = max(storedVersion, version)
        inFlightVersion = nil
        let done = waiters.filter { $0.version <= version }.map(\.continuation)
        waiters.removeAll { $0.version <= version }
        return done
    }

    /// The write failed: every waiting caller hears it (the next change tries again).
    mutating func failed() -> [CheckedContinuation<Void, any Error>] {
        inFlightVersion = nil
        requestedVersion = storedVersion
        defer { waiters = [] }
        return waiters.map(\.continuation)
    }
}
