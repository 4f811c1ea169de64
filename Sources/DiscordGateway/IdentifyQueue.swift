/// Paces IDENTIFY across all shards of this process: one per `shard_id % max_concurrency` bucket per window
/// (Discord: 5 s). Shards wait their turn instead of being refused with op 9.
public actor IdentifyQueue {
    public let maxConcurrency: Int
    public let window: Duration
    private var nextFreeAt: [Int: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()

    public init(maxConcurrency: Int, window: Duration = .seconds(5)) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.window = window
    }

    /// Waits until `shardID`'s bucket may identify, and takes the slot.
    public func acquire(shardID: Int) async throws {
        let bucket = shardID % maxConcurrency
        let now = clock.now
        let slot = max(now, nextFreeAt[bucket] ?? now)
        // Reserve before sleeping, so shards of one bucket line up in call order.
        nextFreeAt[bucket] = slot + window
        if slot > now {
            try await Task.sleep(until: slot, clock: clock)
        }
    }
}
