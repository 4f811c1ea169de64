import AetheriaPorts
import DiscordModels
import Foundation
import Logging
import Synchronization

/// Holds this process's shard leases when several processes share the shards through Redis: takes each
/// shard's lease before running it (waiting while another process holds it), renews them, and supplies the
/// fencing token that guards every snapshot write for the shard's guilds.
final class ShardLeaseKeeper: Sendable {
    struct LeaseLost: Error, CustomStringConvertible {
        var shardID: Int
        var description: String {
            "the lease on shard \(shardID) was lost (another process owns it now); stopping so no two processes act for its guilds"
        }
    }

    let store: any ShardLeaseStore
    let owner: String
    let timeToLive: Duration
    private let leases = Mutex<[Int: ShardLease]>([:])
    private let shardCount = Mutex(1)
    private let logger: Logger

    /// `instanceID` names the worker across restarts (`shards.instanceID`): a restart under the same name takes
    /// its leases over at once, with new fencing tokens. Without one, the owner is unique to this run.
    init(store: any ShardLeaseStore, instanceID: String?, timeToLive: Duration = .seconds(30), logger: Logger) {
        self.store = store
        self.owner =
            instanceID.map { "instance:\($0)" }
            ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.timeToLive = timeToLive
        self.logger = logger
    }

    /// Takes every lease in `shardIDs`, waiting for shards another process still holds.
    func acquire(shardIDs: ClosedRange<Int>, totalShards: Int) async throws {
        shardCount.withLock { $0 = totalShards }
        for shardID in shardIDs {
            var waited = false
            while true {
                if let lease = try await store.acquire(shardID: shardID, owner: owner, timeToLive: timeToLive) {
                    leases.withLock { $0[shardID] = lease }
                    break
                }
                if !waited {
                    logger.warning("shard \(shardID) is held by another process; waiting for its lease")
                    waited = true
                }
                try await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// The fencing token for a guild's snapshot writes: its shard's lease token.
    func fencingToken(for guildID: GuildID) -> UInt64 {
        let total = UInt64(max(1, shardCount.withLock { $0 }))
        let shardID = Int((guildID.rawValue >> 22) % total)
        return leases.withLock { $0[shardID]?.fencingToken } ?? 0
    }

    /// Renews every lease a third of the way through its lifetime until cancelled; throws when one is lost.
    func keepRenewing() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: timeToLive / 3)
            for lease in leases.withLock({ Array($0.values) }) {
                do {
                    guard try await store.renew(lease, timeToLive: timeToLive) != nil else {
                        throw LeaseLost(shardID: lease.shardID)
                    }
                } catch let error as LeaseLost {
                    throw error
                } catch {
                    // Redis briefly away: the lease lives for the rest of its TTL; try again next round.
                    logger.warning("could not renew the lease on shard \(lease.shardID): \(error)")
                }
            }
        }
    }

    func releaseAll() async {
        for lease in leases.withLock({ Array($0.values) }) {
            try? await store.release(lease)
        }
        leases.withLock { $0.removeAll() }
    }
}
