public import AetheriaPorts
public import DiscordModels
import Foundation

/// Gateway sessions in Redis, one hash per shard under a hash-tagged key (`aetheria:{s:<shard>}:session`),
/// so a restarted process — or another process taking the shard over — resumes instead of identifying.
public struct RedisSessionStore: SessionStore {
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    static func key(shardID: Int, shardCount: Int) -> String {
        "aetheria:{s:\(shardID)}:session:\(shardCount)"
    }

    public func load(shardID: Int, shardCount: Int) async throws -> GatewaySessionSnapshot? {
        let reply = try await client.run(["HGETALL", Self.key(shardID: shardID, shardCount: shardCount)])
        guard let fields = reply.array, !fields.isEmpty else { return nil }
        var values: [String: String] = [:]
        for index in stride(from: 0, to: fields.count - 1, by: 2) {
            if let name = fields[index].string, let value = fields[index + 1].string { values[name] = value }
        }
        guard let sessionID = values["session_id"], let sequence = values["seq"].flatMap({ Int($0) }),
            let resumeURL = values["resume_url"]
        else { return nil }
        return GatewaySessionSnapshot(
            shardID: shardID, shardCount: shardCount, sessionID: sessionID, sequence: sequence, resumeURL: resumeURL)
    }

    public func save(_ snapshot: GatewaySessionSnapshot) async throws {
        let key = Self.key(shardID: snapshot.shardID, shardCount: snapshot.shardCount)
        let replies = try await client.pipeline([
            [
                "HSET", key, "session_id", snapshot.sessionID, "seq", snapshot.sequence, "resume_url",
                snapshot.resumeURL,
            ],
            // Discord keeps a session resumable for minutes, not days.
            ["EXPIRE", key, 3600],
        ])
        if case .error(let message)? = replies.first { throw RedisError(kind: .command, message: message) }
    }

    public func remove(shardID: Int, shardCount: Int) async throws {
        _ = try await client.run(["DEL", Self.key(shardID: shardID, shardCount: shardCount)])
    }
}
