public import DiscordModels

/// Shard leases in Redis: `aetheria:{s:<shard>}:lease` (hash: `owner`, `token`, with a TTL) and the shard's
/// fencing counter `aetheria:{s:<shard>}:fence`, changed only by Lua scripts so checks and writes are atomic.
public struct RedisShardLeaseStore: ShardLeaseStore {
    public let client: RedisClient

    /// KEYS: lease, fence. ARGV: owner, ttl ms. Returns the token, or nil while someone else holds the lease.
    static let acquireScript = RedisScript(
        """
        local owner = redis.call('HGET', KEYS[1], 'owner')
        if owner and owner ~= ARGV[1] then return nil end
        if owner then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return tonumber(redis.call('HGET', KEYS[1], 'token'))
        end
        local token = redis.call('INCR', KEYS[2])
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return token
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
    static func fenceKey(_ shardID: Int) -> String { "aetheria:{s:\(shardID)}:fence" }
    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    public func acquire(shardID: Int, owner: String, timeToLive: Duration) async throws -> ShardLease? {
        let reply = try await client.evaluate(
            Self.acquireScript, keys: [Self.leaseKey(shardID), Self.fenceKey(shardID)],
            arguments: [owner, Self.milliseconds(timeToLive)])
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
