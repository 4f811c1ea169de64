public import DiscordModels
public import TicketCore

/// Guild snapshots in Redis under `aetheria:{g:<guild>}:snapshot` (a hash: `version`, `fence`, `payload`),
/// written by a Lua script that refuses stale writers atomically.
public struct RedisGuildStore: GuildStore {
    public let client: RedisClient

    /// KEYS[1] snapshot hash; ARGV: fencing token, version, payload. Returns `OK` or `STALE <fence> <version>`.
    static let fencedWrite = RedisScript(
        """
        local stored = redis.call('HMGET', KEYS[1], 'fence', 'version')
        local fence = tonumber(stored[1]) or 0
        local version = tonumber(stored[2]) or 0
        local newFence = tonumber(ARGV[1])
        local newVersion = tonumber(ARGV[2])
        if stored[1] and (newFence < fence or (newFence == fence and newVersion <= version)) then
          return 'STALE ' .. fence .. ' ' .. version
        end
        redis.call('HSET', KEYS[1], 'fence', ARGV[1], 'version', ARGV[2], 'payload', ARGV[3])
        return 'OK'
        """)

    public init(client: RedisClient) {
        self.client = client
    }

    static func key(_ guildID: GuildID) -> String { "aetheria:{g:\(guildID)}:snapshot" }

    public func load(_ guildID: GuildID) async throws(GuildStoreError) -> StoredGuildSnapshot? {
        let reply: RedisValue
        do {
            reply = try await client.run(["HMGET", Self.key(guildID), "fence", "version", "payload"])
        } catch {
            throw .unavailable(error.description)
        }
        guard let fields = reply.array, fields.count == 3 else { throw .unavailable("unexpected reply to HMGET") }
        if fields.allSatisfy(\.isNull) { return nil }  // no snapshot
        // Something is stored: it reads completely or it is corrupt (and left alone), never "absent".
        guard let fence = fields[0].string.flatMap({ OutsideNumber.integer($0, in: UInt64(0)...UInt64.max) }),
            let version = fields[1].string.flatMap({ OutsideNumber.integer($0, in: UInt64(0)...UInt64.max) }),
            case .bytes(let payload) = fields[2]
        else { throw .corrupt(guildID: guildID, detail: "its fencing token, version or payload does not read") }
        return StoredGuildSnapshot(guildID: guildID, version: version, fencingToken: fence, payload: payload)
    }

    /// Walks the keyspace with `SCAN` (never `KEYS`, which would block Redis), at start-up only.
    public func storedGuildIDs() async throws(GuildStoreError) -> [GuildID] {
        var cursor = "0"
        var found: [GuildID] = []
        repeat {
            let reply: RedisValue
            do {
                reply = try await client.run(["SCAN", cursor, "MATCH", "aetheria:{g:*}:snapshot", "COUNT", "1000"])
            } catch {
                throw .unavailable(error.description)
            }
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array
            else { throw .unavailable("unexpected reply to SCAN: \(reply)") }
            for key in keys.compactMap(\.string) {
                let inner = key.dropFirst("aetheria:{g:".count).prefix { $0 != "}" }
                if let id = UInt64(inner) { found.append(GuildID(id)) }
            }
            cursor = next
        } while cursor != "0"
        return found
    }

    public func save(_ snapshot: StoredGuildSnapshot) async throws(GuildStoreError) {
        let reply: RedisValue
        do {
            reply = try await client.evaluate(
                Self.fencedWrite, keys: [Self.key(snapshot.guildID)],
                arguments: [String(snapshot.fencingToken), String(snapshot.version), snapshot.payload])
        } catch {
            throw .unavailable(error.description)
        }
        switch reply {
        case .status("OK"), .bytes(Array("OK".utf8)):
            return
        default:
            let parts = (reply.string ?? "").split(separator: " ")
            if parts.first == "STALE", parts.count == 3, let fence = UInt64(parts[1]), let version = UInt64(parts[2]) {
                throw .stale(guildID: snapshot.guildID, storedFencingToken: fence, storedVersion: version)
            }
            throw .unavailable("unexpected reply from the fenced write: \(reply)")
        }
    }
}
