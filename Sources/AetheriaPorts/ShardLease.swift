public import DiscordModels

/// Ownership of one shard by one process, for as long as it keeps renewing. The fencing token grows with
/// every new owner and guards every write the owner makes for the shard's guilds.
public struct ShardLease: Sendable, Hashable {
    public var shardID: Int
    public var owner: String
    public var fencingToken: UInt64

    public init(shardID: Int, owner: String, fencingToken: UInt64) {
        self.shardID = shardID
        self.owner = owner
        self.fencingToken = fencingToken
    }
}

/// The port through which processes share shards: at most one live owner per shard (Discord itself would
/// happily accept two sessions for the same shard).
public protocol ShardLeaseStore: Sendable {
    /// Takes the shard if it is free, or held under the same owner name (a restart of the same worker), with
    /// a fencing token larger than any before; `nil` while another owner holds it.
    func acquire(shardID: Int, owner: String, timeToLive: Duration) async throws -> ShardLease?
    /// Extends our lease; `nil` when it was lost (expired and taken, or never ours): stop acting for the shard.
    func renew(_ lease: ShardLease, timeToLive: Duration) async throws -> ShardLease?
    func release(_ lease: ShardLease) async throws
}
