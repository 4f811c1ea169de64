public import DiscordModels
public import Foundation
public import TicketCore

/// Closed tickets and compressed transcripts in Redis. Every key of a guild shares its hash tag:
/// `aetheria:{g:<guild>}:transcript:<number>` (hash: `record`, `html`), and two sorted sets scored by the
/// closing time — all transcripts, and one per opener — for newest-first listing. Search is an inverted index:
/// one set per word, `aetheria:{g:<guild>}:word:<word>`, of the transcripts holding it; the hash keeps the
/// compressed search `text` for snippets and its `words`, so a replaced or deleted transcript leaves no word
/// behind. (A word is letters and digits only, so it can never break the key's hash tag.)
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
    static func wordKey(_ guildID: GuildID, _ word: String) -> String { "aetheria:{g:\(guildID)}:word:\(word)" }
    /// Sorted sets of transcripts scored by resolution time (milliseconds), for the exact median: the guild's,
    /// and one per ticket type.
    static func resolutionKey(_ guildID: GuildID, typeID: Int? = nil) -> String {
        "aetheria:{g:\(guildID)}:resolutions" + (typeID.map { ":type:\($0)" } ?? "")
    }
    /// Zero-padded so that members with equal scores sort by ticket number.
    static func member(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
    /// Dates in queries come from the dashboard's query string: clamped, never converted unchecked.
    static func milliseconds(_ date: Date) -> Int { Int(OutsideNumber.milliseconds(since1970: date)) }

    public func save(_ record: TranscriptRecord, html: [UInt8], searchText: String) async throws(TranscriptStoreError) {
        do {
            let encoded = try JSONEncoder().encode(record)
            let compressed = try TranscriptCompression.compress(html)
            let text = TranscriptSearch.bounded(searchText)
            let words = TranscriptSearch.words(in: text)
            let compressedText = try TranscriptCompression.compress(Array(text.utf8))
            let key = Self.recordKey(record.guildID, record.ticketNumber)
            // The words of the transcript being replaced (a retried save) leave the index; the script refuses
            // with RETRY if they changed in between, since every key it touches must be named up front.
            for _ in 0..<3 {
                let oldWords = try await client.run(["HGET", key, "words"]).string ?? ""
                let oldWordList = oldWords.split(separator: " ").map(String.init)
                let reply = try await client.evaluate(
                    Self.saveScript,
                    keys: [
                        key, Self.indexKey(record.guildID), Self.openerKey(record.guildID, record.openerID),
                        Self.resolutionKey(record.guildID),
                        Self.resolutionKey(record.guildID, typeID: record.typeID),
                    ] + (oldWordList + words).map { Self.wordKey(record.guildID, $0) },
                    arguments: [
                        String(record.channelID.rawValue), Array(encoded), compressed,
                        Self.milliseconds(record.closedAt), Self.member(record.ticketNumber), oldWords,
                        words.joined(separator: " "), compressedText, oldWordList.count,
                        Int(record.resolutionMilliseconds),
                    ])
                if reply.string == "RETRY" { continue }
                if reply.string == "CONFLICT" {
                    throw TranscriptStoreError.conflict(guildID: record.guildID, ticketNumber: record.ticketNumber)
                }
                guard reply.string == "OK" else { throw TranscriptStoreError("Redis refused the write: \(reply)") }
                return
            }
            throw TranscriptStoreError("the transcript kept changing while it was saved")
        } catch let error as TranscriptStoreError {
            throw error
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// KEYS: record, index, opener index, the guild's and the type's resolution sets (the same key twice for
    /// a record without a type), then the word sets of the old words and of the new ones.
    /// ARGV: channel ID, record JSON, compressed HTML, score, member, old words, new words, compressed search
    /// text, number of old words, resolution in milliseconds. Replaces only the same channel's transcript (records written before the
    /// `channel` field are matched on their JSON); another channel's is kept and `CONFLICT` returned.
    static let saveScript = RedisScript(
        """
        local existing = redis.call('HGET', KEYS[1], 'channel')
        if not existing then
          local old = redis.call('HGET', KEYS[1], 'record')
          if old and not string.find(old, '"channelID":"' .. ARGV[1] .. '"', 1, true) then return 'CONFLICT' end
        elseif existing ~= ARGV[1] then
          return 'CONFLICT'
        end
        if (redis.call('HGET', KEYS[1], 'words') or '') ~= ARGV[6] then return 'RETRY' end
        local old = tonumber(ARGV[9])
        for i = 6, 5 + old do redis.call('SREM', KEYS[i], ARGV[5]) end
        for i = 6 + old, #KEYS do redis.call('SADD', KEYS[i], ARGV[5]) end
        redis.call('ZADD', KEYS[4], ARGV[10], ARGV[5])
        redis.call('ZADD', KEYS[5], ARGV[10], ARGV[5])
        redis.call('HSET', KEYS[1], 'record', ARGV[2], 'html', ARGV[3], 'channel', ARGV[1], 'words', ARGV[7],
          'text', ARGV[8])
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
        var index = query.openerID.map { Self.openerKey(guildID, $0) } ?? Self.indexKey(guildID)
        var searchKey: String?
        if !query.indexWords.isEmpty {
            // The transcripts holding every word, scored by closing time (the word sets weigh nothing), in a
            // key of the guild's slot that expires by itself if this process dies before deleting it.
            let key = "aetheria:{g:\(guildID)}:search:\(UUID().uuidString)"
            let sources = [index] + query.indexWords.map { Self.wordKey(guildID, $0) }
            do {
                let intersect: [any RedisArgument] =
                    ["ZINTERSTORE", key, sources.count] + sources.map { $0 as any RedisArgument } + ["WEIGHTS", 1]
                    + query.indexWords.map { _ in 0 as any RedisArgument }
                _ = try await client.pipeline([intersect, ["PEXPIRE", key, 60_000]])
            } catch {
                throw TranscriptStoreError("\(error)")
            }
            index = key
            searchKey = key
        }
        defer {
            if let searchKey { Task { [client] in _ = try? await client.run(["DEL", searchKey]) } }
        }
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
            let oldWords = try await client.pipeline(
                old.map { ["HGET", Self.recordKey(guildID, $0.ticketNumber), "words"] })
            var commands: [[any RedisArgument]] = []
            for (record, words) in zip(old, oldWords) {
                let member = Self.member(record.ticketNumber)
                for word in (words.string ?? "").split(separator: " ") {
                    commands.append(["SREM", Self.wordKey(guildID, String(word)), member])
                }
                commands.append(["DEL", Self.recordKey(guildID, record.ticketNumber)])
                commands.append(["ZREM", Self.indexKey(guildID), member])
                commands.append(["ZREM", Self.openerKey(guildID, record.openerID), member])
                commands.append(["ZREM", Self.resolutionKey(guildID), member])
                if let typeID = record.typeID {
                    commands.append(["ZREM", Self.resolutionKey(guildID, typeID: typeID), member])
                }
            }
            _ = try await client.pipeline(commands)
            return old.count
        } catch let error as TranscriptStoreError {
            throw error
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    static func ratingsKey(_ guildID: GuildID) -> String { "aetheria:{g:\(guildID)}:ratings" }
    static func ratingTotalsKey(_ guildID: GuildID) -> String { "aetheria:{g:\(guildID)}:rating-totals" }

    /// KEYS: the ratings hash, the totals hash. ARGV: ticket member, rating JSON, stars, type field prefix (or
    /// empty), staff field prefix (or empty). The first rating of a ticket is kept and counted; a second is not.
    static let rateScript = RedisScript(
        """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        local stars = tonumber(ARGV[3])
        redis.call('HINCRBY', KEYS[2], 'all:sum', stars)
        redis.call('HINCRBY', KEYS[2], 'all:count', 1)
        for i = 4, 5 do
          if ARGV[i] ~= '' then
            redis.call('HINCRBY', KEYS[2], ARGV[i] .. ':sum', stars)
            redis.call('HINCRBY', KEYS[2], ARGV[i] .. ':count', 1)
          end
        end
        return 1
        """)

    public func rate(
        guildID: GuildID, ticketNumber: Int, _ rating: TicketRating
    ) async throws(TranscriptStoreError) -> Bool {
        do {
            let reply = try await client.evaluate(
                Self.rateScript, keys: [Self.ratingsKey(guildID), Self.ratingTotalsKey(guildID)],
                arguments: [
                    Self.member(ticketNumber), Array(try JSONEncoder().encode(rating)), rating.stars,
                    rating.typeID.map { "type:\($0)" } ?? "", rating.staffID.map { "staff:\($0)" } ?? "",
                ])
            return reply.integer == 1
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func rating(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> TicketRating? {
        do {
            let reply = try await client.run(["HGET", Self.ratingsKey(guildID), Self.member(ticketNumber)])
            guard case .bytes(let bytes) = reply else { return nil }
            return try JSONDecoder().decode(TicketRating.self, from: Data(bytes))
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// The totals hash holds `<scope>:sum` and `<scope>:count` per scope (`all`, `type:<id>`, `staff:<id>`):
    /// every field is read as outside input.
    public func ratingSummary(guildID: GuildID) async throws(TranscriptStoreError) -> RatingSummary {
        do {
            let reply = try await client.run(["HGETALL", Self.ratingTotalsKey(guildID)])
            let values = (reply.array ?? []).map { $0.string ?? "" }
            var tallies: [String: RatingSummary.Tally] = [:]
            for index in stride(from: 0, to: values.count - 1, by: 2) {
                let field = values[index]
                guard let number = OutsideNumber.integer(values[index + 1], in: 0...Int(Int32.max)) else { continue }
                if field.hasSuffix(":sum") { tallies[String(field.dropLast(4)), default: .init()].total = number }
                if field.hasSuffix(":count") { tallies[String(field.dropLast(6)), default: .init()].count = number }
            }
            var summary = RatingSummary()
            for (scope, tally) in tallies.prefix(2_000) {
                if scope == "all" {
                    summary.all = tally
                } else if scope.hasPrefix("type:"),
                    let id = OutsideNumber.integer(scope.dropFirst(5), in: TicketType.idRange)
                {
                    summary.byType[id] = tally
                } else if scope.hasPrefix("staff:"),
                    let id = OutsideNumber.integer(scope.dropFirst(6), in: UInt64(1)...UInt64.max)
                {
                    summary.byStaff[UserID(id)] = tally
                }
            }
            return summary
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// `ZCARD`, then the middle one or two members by rank: O(log n) whatever the guild's history.
    public func medianResolutionSeconds(
        guildID: GuildID, typeID: Int?
    ) async throws(TranscriptStoreError) -> Double? {
        let key = Self.resolutionKey(guildID, typeID: typeID)
        do {
            let count = Int(clamping: try await client.run(["ZCARD", key]).integer ?? 0)
            guard count > 0 else { return nil }
            let first = (count - 1) / 2
            let last = count % 2 == 0 ? first + 1 : first
            let reply = try await client.run(["ZRANGE", key, first, last, "WITHSCORES"])
            let scores = (reply.array ?? []).enumerated().compactMap { index, value -> Int64? in
                guard index % 2 == 1, let text = value.string else { return nil }
                return OutsideNumber.integer(text, in: Int64(0)...Int64.max)
            }
            return TranscriptRecord.median(ofSorted: scores)
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func searchTexts(
        guildID: GuildID, ticketNumbers: [Int]
    ) async throws(TranscriptStoreError) -> [Int: String] {
        do {
            let replies = try await client.pipeline(
                ticketNumbers.map { ["HGET", Self.recordKey(guildID, $0), "text"] })
            var texts: [Int: String] = [:]
            for (number, reply) in zip(ticketNumbers, replies) {
                guard case .bytes(let compressed) = reply else { continue }
                let text = try TranscriptCompression.decompress(
                    compressed, maximumSize: TranscriptSearch.maximumTextBytes)
                texts[number] = String(decoding: text, as: UTF8.self)
            }
            return texts
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
