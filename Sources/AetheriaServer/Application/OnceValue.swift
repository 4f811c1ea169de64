import Synchronization

/// A value that becomes known once (the shards started, the demo's bot was built), awaited by whoever needs
/// it. Waiting after it is known returns at once; a cancelled wait throws `CancellationError`.
package final class OnceValue<Value: Sendable>: Sendable {
    private enum State {
        case waiting([Int: CheckedContinuation<Value, any Error>])
        case known(Value)
    }

    private let state = Mutex<(state: State, nextWaiter: Int)>((.waiting([:]), 0))

    package init() {}

    /// Makes the value known (only the first call counts) and resumes every waiter.
    package func set(_ value: Value) {
        let waiters = state.withLock { current -> [CheckedContinuation<Value, any Error>] in
            guard case .waiting(let waiters) = current.state else { return [] }
            current.state = .known(value)
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    package func value() async throws -> Value {
        let id = state.withLock { current in
            defer { current.nextWaiter += 1 }
            return current.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let outcome = state.withLock { current -> Result<Value, any Error>? in
                    switch current.state {
                    case .known(let value): return .success(value)
                    case .waiting(var waiters):
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[id] = continuation
                        current.state = .waiting(waiters)
                        return nil
                    }
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let cancelled = state.withLock { current -> CheckedContinuation<Value, any Error>? in
                guard case .waiting(var waiters) = current.state, let waiter = waiters.removeValue(forKey: id) else {
                    return nil
                }
                current.state = .waiting(waiters)
                return waiter
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }
}
