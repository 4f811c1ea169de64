import DequeModule

/// Which sequence number a shard may store as its resume position, and when.
///
/// A restarted process resumes from the stored position and Discord replays everything after it. Storing the
/// newest sequence at once would skip events whose effects were not yet stored (a click recorded in memory,
/// its snapshot write still in flight): a crash would lose them. Storing only at READY, as before, replays the
/// whole session. So the position stored is the one seen `lag` ago: every guild's writes for events that old
/// have been made (lifecycle changes are written at once, activity within 5 s), and what came later is
/// replayed, which the workflows make harmless (handled interactions are remembered, replayed GUILD_CREATEs
/// are not trusted). Saves happen at most every `saveInterval`. Pure: times come in as arguments.
public struct DurableResumePosition: Sendable {
    public let lag: Duration
    public let saveInterval: Duration
    /// At most one entry per second of traffic, oldest first.
    private var checkpoints: Deque<(at: ContinuousClock.Instant, sequence: Int)> = []
    private var settled: Int?
    private var lastSaved: Int?
    private var lastSaveAt: ContinuousClock.Instant?

    public init(lag: Duration = .seconds(10), saveInterval: Duration = .seconds(5)) {
        self.lag = lag
        self.saveInterval = saveInterval
    }

    /// A dispatch with `sequence` was handed to its guild at `now` (or time passed: `sequence` nil). Returns
    /// the sequence to store now, if any.
    public mutating func observe(sequence: Int?, now: ContinuousClock.Instant) -> Int? {
        if let sequence, checkpoints.last.map({ now - $0.at >= .seconds(1) }) ?? true {
            checkpoints.append((now, sequence))
        } else if let sequence, !checkpoints.isEmpty {
            checkpoints[checkpoints.count - 1].sequence = max(checkpoints[checkpoints.count - 1].sequence, sequence)
        }
        var consumed = 0
        for checkpoint in checkpoints where now - checkpoint.at >= lag {
            settled = max(settled ?? checkpoint.sequence, checkpoint.sequence)
            consumed += 1
        }
        if consumed > 0 { checkpoints.removeFirst(consumed) }
        guard let settled, settled > (lastSaved ?? Int.min),
            lastSaveAt.map({ now - $0 >= saveInterval }) ?? true
        else { return nil }
        lastSaved = settled
        lastSaveAt = now
        return settled
    }

    /// A new session (READY) or a resumed one starts the bookkeeping afresh.
    public mutating func reset() {
        checkpoints = []
        settled = nil
        lastSaved = nil
        lastSaveAt = nil
    }
}
