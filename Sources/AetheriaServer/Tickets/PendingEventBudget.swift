import Synchronization

/// The bytes of gateway frames that loading guilds may hold, for the whole process. While the store is down,
/// every guild that receives an event waits in `loading` and keeps its events to apply them in order; without
/// a shared budget a long outage across thousands of guilds would end the process out of memory. Beyond it,
/// events are shed (counted, logged) instead: chatter first, since a loading guild learns its tickets'
/// messages again from the REST history.
final class PendingEventBudget: Sendable {
    let limitBytes: Int
    private let usedBytes = Atomic<Int>(0)

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    var used: Int { usedBytes.load(ordering: .relaxed) }

    /// Takes `bytes` from the budget, or returns `false` (and takes nothing) when they do not fit.
    func reserve(_ bytes: Int) -> Bool {
        var current = usedBytes.load(ordering: .relaxed)
        while true {
            guard current + bytes <= limitBytes else { return false }
            let (exchanged, original) = usedBytes.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func release(_ bytes: Int) {
        usedBytes.subtract(bytes, ordering: .relaxed)
    }
}
