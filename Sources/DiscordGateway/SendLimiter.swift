/// Discord's gateway send limit (120 payloads per 60 s per connection), with a few slots that only
/// heartbeats may use so that a burst of other payloads can never starve the heartbeat and kill the session.
struct SendLimiter: Sendable {
    let limit: Int
    let window: Duration
    let reservedForHeartbeats: Int
    private var sentAt: [ContinuousClock.Instant] = []

    init(limit: Int, window: Duration, reservedForHeartbeats: Int) {
        self.limit = limit
        self.window = window
        self.reservedForHeartbeats = reservedForHeartbeats
    }

    /// Records a send if one is allowed now; otherwise returns how long to wait.
    mutating func admit(isHeartbeat: Bool, now: ContinuousClock.Instant) -> Duration? {
        sentAt.removeAll { now - $0 >= window }
        let allowed = isHeartbeat ? limit : limit - reservedForHeartbeats
        guard sentAt.count < allowed else {
            return (sentAt.first.map { $0 + window - now }) ?? window
        }
        sentAt.append(now)
        return nil
    }

    mutating func reset() {
        sentAt.removeAll()
    }
}
