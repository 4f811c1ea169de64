public import DiscordModels

/// A `SessionStore` that lives as long as the process: for tests and for runs without persistence.
public actor InMemorySessionStore: SessionStore {
    private var snapshots: [String: GatewaySessionSnapshot] = [:]

    public init() {}

    public func load(shardID: Int, shardCount: Int) -> GatewaySessionSnapshot? {
        snapshots["\(shardID)/\(shardCount)"]
    }

    public func save(_ snapshot: GatewaySessionSnapshot) {
        snapshots["\(snapshot.shardID)/\(snapshot.shardCount)"] = snapshot
    }

    public func remove(shardID: Int, shardCount: Int) {
        snapshots["\(shardID)/\(shardCount)"] = nil
    }

    public var all: [GatewaySessionSnapshot] { Array(snapshots.values) }
}
