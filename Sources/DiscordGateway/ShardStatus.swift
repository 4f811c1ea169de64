import Synchronization

/// What an operator sees for one shard (dashboard shard page, `/metrics`).
public struct ShardStatus: Sendable, Equatable {
    public var shard: ShardIdentity
    public var state: String
    public var heartbeatLatency: Duration?
    public var guildCount = 0
    public var lastEventAt: ContinuousClock.Instant?
    /// Dispatches received, indexed by `GatewayEventName.rawValue` (an array: this is updated per event).
    var eventCounts = [Int](repeating: 0, count: GatewayEventName.allCases.count)
    public var dispatchCount = 0
    public var identifies = 0
    public var resumes = 0
    public var reconnects = 0
    public var sequence: Int?
    public var fatalError: GatewayFatalError?

    public init(shard: ShardIdentity) {
        self.shard = shard
        self.state = "idle"
    }

    /// Dispatches received by event name (`OTHER` for events Aetheria does not decode).
    public var eventsByType: [String: Int] {
        var counts: [String: Int] = [:]
        for event in GatewayEventName.allCases where eventCounts[Int(event.rawValue)] > 0 {
            counts[event.description] = eventCounts[Int(event.rawValue)]
        }
        return counts
    }
}

/// The shard's status, written on its event loop and read from anywhere.
final class ShardStatusBox: Sendable {
    private let mutex: Mutex<ShardStatus>

    init(_ status: ShardStatus) {
        mutex = Mutex(status)
    }

    func withLock<Result>(_ body: (inout ShardStatus) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
