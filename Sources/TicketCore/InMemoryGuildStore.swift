public import DiscordModels

/// A `GuildStore` in memory, with the same fencing rules as the real ones: for tests and the domain's
/// property tests.
public actor InMemoryGuildStore: GuildStore {
    private var snapshots: [GuildID: StoredGuildSnapshot] = [:]

    public init() {}

    public func load(_ guildID: GuildID) throws(GuildStoreError) -> StoredGuildSnapshot? {
        snapshots[guildID]
    }

    public func save(_ snapshot: StoredGuildSnapshot) throws(GuildStoreError) {
        if let stored = snapshots[snapshot.guildID], Self.isStale(snapshot, against: stored) {
            throw .stale(
                guildID: snapshot.guildID, storedFencingToken: stored.fencingToken, storedVersion: stored.version)
        }
        snapshots[snapshot.guildID] = snapshot
    }

    public func storedGuildIDs() throws(GuildStoreError) -> [GuildID] {
        Array(snapshots.keys)
    }

    /// The fencing rule every store applies: a lower token loses; the same token needs a newer version.
    public static func isStale(_ write: StoredGuildSnapshot, against stored: StoredGuildSnapshot) -> Bool {
        write.fencingToken < stored.fencingToken
            || (write.fencingToken == stored.fencingToken && write.version <= stored.version)
    }
}
