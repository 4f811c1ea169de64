import AetheriaPorts
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Synchronization
import Testing
import TicketCore

@Suite("Shard leases in Redis: one owner at a time, fencing tokens that only grow")
struct ShardLeaseTests {
    @Test(
        "a second process cannot take a held shard; after expiry it can, with a larger token, and the old owner is fenced out"
    )
    func handOver() async throws {
        let client = try TestRedis.client()
        let leases = RedisShardLeaseStore(client: client)
        let shardID = Int.random(in: 1_000_000...9_000_000)
        let first = try #require(
            try await leases.acquire(shardID: shardID, owner: "process-a", timeToLive: .seconds(30)))
        #expect(try await leases.acquire(shardID: shardID, owner: "process-b", timeToLive: .seconds(5)) == nil)
        #expect(try await leases.renew(first, timeToLive: .seconds(30)) == first)

        // Process A pauses past its TTL (its last renewal was short); B takes over with a larger fencing token
        // as soon as the lease expires in Redis, however loaded the machine is.
        #expect(try await leases.renew(first, timeToLive: .milliseconds(20)) == first)
        let taken = Mutex<ShardLease?>(nil)
        try await eventually("B takes the expired lease") {
            let lease = try await leases.acquire(shardID: shardID, owner: "process-b", timeToLive: .seconds(5))
            taken.withLock { $0 = lease }
            return lease != nil
        }
        let second = try #require(taken.withLock { $0 })
        #expect(second.fencingToken > first.fencingToken)
        #expect(try await leases.renew(first, timeToLive: .seconds(1)) == nil)
        try await leases.release(first)  // A's late release must not free B's lease
        #expect(try await leases.acquire(shardID: shardID, owner: "process-c", timeToLive: .seconds(1)) == nil)

        // The guild snapshots follow the same tokens: A's late write loses to B's.
        let guilds = RedisGuildStore(client: client)
        let guildID = GuildID(UInt64(shardID) << 22)
        try await guilds.save(
            StoredGuildSnapshot(
                guildID: guildID, version: 1, fencingToken: second.fencingToken, payload: Array("b".utf8)))
        await #expect(throws: GuildStoreError.self) {
            try await guilds.save(
                StoredGuildSnapshot(
                    guildID: guildID, version: 9, fencingToken: first.fencingToken, payload: Array("a".utf8)))
        }
        try await leases.release(second)
        #expect(try await leases.acquire(shardID: shardID, owner: "process-c", timeToLive: .seconds(1)) != nil)
        await client.shutdown()
    }

    @Test(
        "a worker restarted under the same instance ID retakes its lease at once, and its previous run is fenced out"
    )
    func restartUnderTheSameName() async throws {
        let client = try TestRedis.client()
        let leases = RedisShardLeaseStore(client: client)
        let shardID = Int.random(in: 1_000_000...9_000_000)
        let killed = try #require(
            try await leases.acquire(shardID: shardID, owner: "instance:worker-1", timeToLive: .seconds(30)))
        // Another worker still waits for the TTL; the same worker, restarted, does not.
        #expect(try await leases.acquire(shardID: shardID, owner: "instance:worker-2", timeToLive: .seconds(30)) == nil)
        let restarted = try #require(
            try await leases.acquire(shardID: shardID, owner: "instance:worker-1", timeToLive: .seconds(30)))
        #expect(restarted.fencingToken > killed.fencingToken)
        #expect(try await leases.renew(killed, timeToLive: .seconds(30)) == nil, "the previous run is fenced out")
        #expect(try await leases.renew(restarted, timeToLive: .seconds(30)) == restarted)
        try await leases.release(restarted)
        await client.shutdown()
    }
}
