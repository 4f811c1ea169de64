public import DiscordModels

/// A guild's persisted state as the store sees it: an encoded snapshot (the ticket domain owns its format),
/// its version, and the fencing token of the process that owns the guild.
public struct StoredGuildSnapshot: Sendable, Hashable {
    public var guildID: GuildID
    /// Increases with every write of the same owner.
    public var version: UInt64
    /// Issued with the shard lease; a newer owner always holds a larger token.
    public var fencingToken: UInt64
    public var payload: [UInt8]

    public init(guildID: GuildID, version: UInt64, fencingToken: UInt64, payload: [UInt8]) {
        self.guildID = guildID
        self.version = version
        self.fencingToken = fencingToken
        self.payload = payload
    }
}

/// Why a snapshot write was refused.
public enum GuildStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A newer owner (larger fencing token), or a newer version from this owner, is already stored: this
    /// process must stop acting for the guild.
    case stale(guildID: GuildID, storedFencingToken: UInt64, storedVersion: UInt64)
    /// The store could not be reached or answered with an error.
    case unavailable(String)
    /// A snapshot is stored but its version or fencing token does not read: it is left untouched (the guild
    /// pauses), never taken for "no snapshot" and overwritten.
    case corrupt(guildID: GuildID, detail: String)

    public var description: String {
        switch self {
        case .stale(let guildID, let token, let version):
            "snapshot of guild \(guildID) is stale: the store holds fencing token \(token), version \(version)"
        case .unavailable(let message): "guild store unavailable: \(message)"
        case .corrupt(let guildID, let detail): "the stored snapshot of guild \(guildID) is unreadable: \(detail)"
        }
    }
}

/// The port through which a guild actor persists its state. Every write is fenced: a write whose fencing
/// token is lower than the stored one, or whose version is not newer for the same token, is refused with
/// `.stale`, so a paused or partitioned old owner can never overwrite a newer one.
public protocol GuildStore: Sendable {
    func load(_ guildID: GuildID) async throws(GuildStoreError) -> StoredGuildSnapshot?
    func save(_ snapshot: StoredGuildSnapshot) async throws(GuildStoreError)
    /// Every guild with a stored snapshot, so a restarted process that resumes its sessions (and so gets no
    /// GUILD_CREATE) still knows which guilds have tickets, reminders and deletions due.
    func storedGuildIDs() async throws(GuildStoreError) -> [GuildID]
}
