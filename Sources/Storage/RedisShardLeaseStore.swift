public import AetheriaPorts
public import DiscordModels

/// Shard leases in Redis: `aetheria:{s:<shard>}:lease` (hash: `owner`, `token`, with a TTL), changed only by
/// Lua scripts so checks and writes are atomic. Fencing tokens come from one counter for all shards,
/// `aetheria:{fence}:counter`, so a token is larger than every token issued before it, for any shard: when the
/// shard count changes and a guild moves to another shard, its new owner still out-fences the old one.
public struct RedisShardLeaseStore: ShardLeaseStore {
    public let client: RedisClient

    /// KEYS: lease. ARGV: owner, ttl ms, a freshly issued token. Returns the new token, or nil while someone
    /// else holds the lease. A lease already held under the same owner name is taken over with the new token:
    /// that is a restarted worker with the same instance ID, and whatever is left of its previous run is
    /// fenced out (its renewals and snapshot writes carry the old token and are refused).
    static let acquireScript = RedisScript(
        """
        local owner = redis.call('HGET', KEYS[1], 'owner')
        if owner and owner ~= ARGV[1] then return nil end
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return tonumber(ARGV[3])
        """)

    /// KEYS: lease. ARGV: owner, token, ttl ms. Returns 1 when renewed, 0 when the lease is not ours.
    static let renewScript = RedisScript(
        """
        if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'token') == ARGV[2] then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return 1
        end
        return 0
        """)

    /// KEYS: lease. ARGV: owner, token.
    static let releaseScript = RedisScript(
        """
        if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'token') == ARGV[2] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """)

    public init(client: RedisClient) {
        self.client = client
    }

    static func leaseKey(_ shardID: Int) -> String { "aetheria:{s:\(shardID)}:lease" }
    static let fenceCounterKey = "aetheria:{fence}:counter"
    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    public func acquire(shardID: Int, owner: String, timeToLive: Duration) async throws -> ShardLease? {
        // The counter lives in its own slot; a token issued for a failed attempt is simply never used.
        guard let issued = try await client.run(["INCR", Self.fenceCounterKey]).integer else {
            throw RedisError(kind: .command, message: "INCR of the fencing counter did not return an integer")
        }
        let reply = try await client.evaluate(
            Self.acquireScript, keys: [Self.leaseKey(shardID)],
            arguments: [owner, Self.milliseconds(timeToLive), String(issued)])
        guard let token = reply.integer else { return nil }
        return ShardLease(shardID: shardID, owner: owner, fencingToken: UInt64(token))
    }

    public func renew(_ lease: ShardLease, timeToLive: Duration) async throws -> ShardLease? {
        let reply = try await client.evaluate(
            Self.renewScript, keys: [Self.leaseKey(lease.shardID)],
            arguments: [lease.owner, String(lease.fencingToken), Self.milliseconds(timeToLive)])
        return reply.integer == 1 ? lease : nil
    }

    public func release(_ lease: ShardLease) async throws {
        _ = try await client.evaluate(
            Self.releaseScript, keys: [Self.leaseKey(lease.shardID)],
            arguments: [lease.owner, String(lease.fencingToken)])
    }
}
