public import DiscordModels

/// What a shard needs to resume its gateway session after a restart: stored through a `SessionStore`.
public struct GatewaySessionSnapshot: Sendable, Hashable, Codable {
    public var shardID: Int
    public var shardCount: Int
    public var sessionID: String
    /// The last sequence whose event was handed to its consumer.
    public var sequence: Int
    public var resumeURL: String

    public init(shardID: Int, shardCount: Int, sessionID: String, sequence: Int, resumeURL: String) {
        self.shardID = shardID
        self.shardCount = shardCount
        self.sessionID = sessionID
        self.sequence = sequence
        self.resumeURL = resumeURL
    }
}

/// The port through which shards save and restore their sessions. Implementations: in memory (tests),
/// SQLite and Redis (the persistence issue).
public protocol SessionStore: Sendable {
    func load(shardID: Int, shardCount: Int) async throws -> GatewaySessionSnapshot?
    func save(_ snapshot: GatewaySessionSnapshot) async throws
    func remove(shardID: Int, shardCount: Int) async throws
}
