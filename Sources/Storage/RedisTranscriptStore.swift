public import DiscordModels
public import Foundation
public import TicketCore

/// Closed tickets and compressed transcripts in Redis. Every key of a guild shares its hash tag:
/// `aetheria:{g:<guild>}:transcript:<number>` (hash: `record`, `html`), and two sorted sets scored by the
/// closing time — all transcripts, and one per opener — for newest-first listing.
public struct RedisTranscriptStore: TranscriptStore {
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    static func recordKey(_ guildID: GuildID, _ number: Int) -> String {
        "aetheria:{g:\(guildID)}:transcript:\(number)"
    }
    static func indexKey(_ guildID: GuildID) -> String { "aetheria:{g:\(guildID)}:transcripts" }
    static func openerKey(_ guildID: GuildID, _ opener: UserID) -> String {
        "aetheria:{g:\(guildID)}:transcripts:opener:\(opener)"
    }
    /// Zero-padded so that members with equal scores sort by ticket number.
    static func member(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
    /// Dates in queries come from the dashboard's query string: clamped, never converted unchecked.
    static func milliseconds(_ date: Date) -> Int { Int(OutsideNumber.milliseconds(since1970: date)) }

    public func save(_ record: TranscriptRecord, html: [UInt8]) async throws(TranscriptStoreError) {
        do {
            let encoded = try JSONEncoder().encode(record)
            let compressed = try TranscriptCompression.compress(html)
            let score = Self.milliseconds(record.closedAt)
            let member = Self.member(record.ticketNumber)
            let reply = try await client.evaluate(
                Self.saveScript,
                keys: [
                    Self.recordKey(record.guildID, record.ticketNumber), Self.indexKey(record.guildID),
                    Self.openerKey(record.guildID, record.openerID),
                ],
                arguments: [String(record.channelID.rawValue), Array(encoded), compressed, score, member])
            if reply.string == "CONFLICT" {
                throw TranscriptStoreError.conflict(guildID: record.guildID, ticketNumber: record.ticketNumber)
            }
            guard reply.string == "OK" else { throw TranscriptStoreError("Redis refused the write: \(reply)") }
        } catch let error as TranscriptStoreError {
            throw error
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// KEYS: record, index, opener index. ARGV: channel ID, record JSON, compressed HTML, score, member.
    /// Replaces only the same channel's transcript (records written before the `channel` field are matched on
    /// their JSON); another channel's is kept and `CONFLICT` returned.
    static let saveScript = RedisScript(
        """
        local existing = redis.call('HGET', KEYS[1], 'channel')
        if not existing then
          local old = redis.call('HGET', KEYS[1], 'record')
          if old and not string.find(old, '"channelID":"' .. ARGV[1] .. '"', 1, true) then return 'CONFLICT' end
        elseif existing ~= ARGV[1] then
          return 'CONFLICT'
        end
        redis.call('HSET', KEYS[1], 'record', ARGV[2], 'html', ARGV[3], 'channel', ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
        return 'OK'
        """)

    public func record(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> TranscriptRecord? {
        try await records(guildID: guildID, numbers: [ticketNumber]).first
    }

    public func html(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> [UInt8]? {
        do {
            let reply = try await client.run(["HGET", Self.recordKey(guildID, ticketNumber), "html"])
            guard case .bytes(let compressed) = reply else { return nil }
            return try TranscriptCompression.decompress(compressed)
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func list(guildID: GuildID, query: TranscriptQuery) async throws(TranscriptStoreError) -> [TranscriptRecord]
    {
        let index = query.openerID.map { Self.openerKey(guildID, $0) } ?? Self.indexKey(guildID)
        let maximum = min(
            query.closedUntil.map(Self.milliseconds) ?? Int.max,
            query.after.map { Self.milliseconds($0.closedAt) } ?? Int.max)
        let minimum = query.closedFrom.map(Self.milliseconds)
        var found: [TranscriptRecord] = []
        var offset = 0
        let batch = 100
        do {
            while found.count < query.limit {
                let reply = try await client.run([
                    "ZREVRANGEBYSCORE", index, maximum == Int.max ? "+inf" : String(maximum),
                    minimum.map(String.init) ?? "-inf", "LIMIT", offset, batch,
                ])
                let numbers = (reply.array ?? []).compactMap { $0.string.flatMap { Int($0) } }
                if numbers.isEmpty { break }
                offset += numbers.count
                let candidates = try await records(guildID: guildID, numbers: numbers)
                found += candidates.filter(query.matches)
                if numbers.count < batch { break }
            }
        } catch let error as TranscriptStoreError {
            throw error
        } catch {
            throw TranscriptStoreError("\(error)")
        }
        return Array(found.sorted(by: TranscriptQuery.newestFirst).prefix(query.limit))
    }

    public func deleteClosed(before cutoff: Date, guildID: GuildID) async throws(TranscriptStoreError) -> Int {
        do {
            let reply = try await client.run([
                "ZRANGEBYSCORE", Self.indexKey(guildID), "-inf", "(\(Self.milliseconds(cutoff))",
            ])
            let numbers = (reply.array ?? []).compactMap { $0.string.flatMap { Int($0) } }
            guard !numbers.isEmpty else { return 0 }
            let old = try await records(guildID: guildID, numbers: numbers)
            var commands: [[any RedisArgument]] = []
            for record in old {
                let member = Self.member(record.ticketNumber)
                commands.append(["DEL", Self.recordKey(guildID, record.ticketNumber)])
                commands.append(["ZREM", Self.indexKey(guildID), member])
                commands.append(["ZREM", Self.openerKey(guildID, record.openerID), member])
            }
            _ = try await client.pipeline(commands)
            return old.count
        } catch let error as TranscriptStoreError {
            throw error
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// The records of `numbers`, fetched in one pipeline; missing ones are skipped.
    private func records(guildID: GuildID, numbers: [Int]) async throws(TranscriptStoreError) -> [TranscriptRecord] {
        do {
            let replies = try await client.pipeline(numbers.map { ["HGET", Self.recordKey(guildID, $0), "record"] })
            return try replies.compactMap { reply in
                guard case .bytes(let bytes) = reply else { return nil }
                return try JSONDecoder().decode(TranscriptRecord.self, from: Data(bytes))
            }
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }
}
