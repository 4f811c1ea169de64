public import DiscordModels
public import Foundation
public import TicketCore

/// Closed tickets and compressed transcripts in the embedded SQLite file. Their search text lives in an FTS5
/// table whose rowid is the transcript's: `words` holds `TranscriptSearch.words` (so both stores match the
/// same words), `text` the compressed text the result snippets are cut from.
public struct SQLiteTranscriptStore: TranscriptStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) async throws {
        self.database = database
        try await database.prepareSchema(
            """
            CREATE TABLE IF NOT EXISTS transcripts (
                guild_id INTEGER NOT NULL, ticket_number INTEGER NOT NULL, closed_at_ms INTEGER NOT NULL,
                opener_id INTEGER NOT NULL, record TEXT NOT NULL, html BLOB NOT NULL,
                PRIMARY KEY (guild_id, ticket_number));
            CREATE INDEX IF NOT EXISTS transcripts_by_time ON transcripts (guild_id, closed_at_ms, ticket_number);
            CREATE VIRTUAL TABLE IF NOT EXISTS transcript_search USING fts5(
                words, text UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE IF NOT EXISTS ratings (
                guild_id INTEGER NOT NULL, ticket_number INTEGER NOT NULL, stars INTEGER NOT NULL,
                type_id INTEGER, staff_id INTEGER, rating TEXT NOT NULL,
                PRIMARY KEY (guild_id, ticket_number));
            """)
    }

    private static func id(_ value: UInt64) -> SQLiteValue { .integer(Int64(bitPattern: value)) }
    /// Dates in queries come from the dashboard's query string: clamped, never converted unchecked.
    private static func milliseconds(_ date: Date) -> Int64 { OutsideNumber.milliseconds(since1970: date) }

    public func save(_ record: TranscriptRecord, html: [UInt8], searchText: String) async throws(TranscriptStoreError) {
        do {
            let encoded = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
            let compressed = try TranscriptCompression.compress(html)
            let text = TranscriptSearch.bounded(searchText)
            let words = TranscriptSearch.words(in: text).joined(separator: " ")
            let compressedText = try TranscriptCompression.compress(Array(text.utf8))
            let kept = try await database.withConnection { connection in
                try SQLiteDatabase.transaction(connection) {
                    // Replaces only the same channel's transcript (a retried save); another channel's is kept.
                    _ = try SQLiteDatabase.query(
                        connection,
                        """
                        INSERT INTO transcripts (guild_id, ticket_number, closed_at_ms, opener_id, record, html)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (guild_id, ticket_number) DO UPDATE SET closed_at_ms = excluded.closed_at_ms,
                            opener_id = excluded.opener_id, record = excluded.record, html = excluded.html
                        WHERE json_extract(transcripts.record, '$.channelID') = json_extract(excluded.record, '$.channelID')
                        """,
                        [
                            Self.id(record.guildID.rawValue), .integer(Int64(record.ticketNumber)),
                            .integer(Self.milliseconds(record.closedAt)), Self.id(record.openerID.rawValue),
                            .text(encoded),
                            .blob(compressed),
                        ])
                    let row = try SQLiteDatabase.query(
                        connection,
                        "SELECT record = ?, rowid FROM transcripts WHERE guild_id = ? AND ticket_number = ?",
                        [.text(encoded), Self.id(record.guildID.rawValue), .integer(Int64(record.ticketNumber))]
                    ).first
                    guard row?.first?.integer == 1, let rowID = row?.last?.integer else { return false }
                    _ = try SQLiteDatabase.query(
                        connection, "DELETE FROM transcript_search WHERE rowid = ?", [.integer(rowID)])
                    _ = try SQLiteDatabase.query(
                        connection, "INSERT INTO transcript_search (rowid, words, text) VALUES (?, ?, ?)",
                        [.integer(rowID), .text(words), .blob(compressedText)])
                    return true
                }
            }
            guard kept else {
                throw TranscriptStoreError.conflict(guildID: record.guildID, ticketNumber: record.ticketNumber)
            }
        } catch let error as TranscriptStoreError {
            throw error
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func record(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> TranscriptRecord? {
        try await list(
            "SELECT record FROM transcripts WHERE guild_id = ? AND ticket_number = ?",
            [Self.id(guildID.rawValue), .integer(Int64(ticketNumber))]
        ).first
    }

    public func html(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> [UInt8]? {
        do {
            let rows = try await database.withConnection { connection in
                try SQLiteDatabase.query(
                    connection, "SELECT html FROM transcripts WHERE guild_id = ? AND ticket_number = ?",
                    [Self.id(guildID.rawValue), .integer(Int64(ticketNumber))])
            }
            guard case .blob(let compressed)? = rows.first?.first else { return nil }
            return try TranscriptCompression.decompress(compressed)
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// Words and dates in SQL; a person's role is checked on the rows (their name's words already narrowed
    /// them through the search index), a page at a time, at most 20 pages per call.
    public func list(guildID: GuildID, query: TranscriptQuery) async throws(TranscriptStoreError) -> [TranscriptRecord]
    {
        let limit = max(1, min(query.limit, 500))
        guard query.person != nil else {
            return try await page(guildID: guildID, query, after: query.after, limit: limit)
        }
        var found: [TranscriptRecord] = []
        var cursor = query.after
        for _ in 0..<20 {
            let rows = try await page(guildID: guildID, query, after: cursor, limit: 100)
            found += rows.filter(query.matches)
            guard found.count < limit, rows.count == 100, let last = rows.last else { break }
            cursor = (last.closedAt, last.ticketNumber)
        }
        return Array(found.prefix(limit))
    }

    private func page(
        guildID: GuildID, _ query: TranscriptQuery, after: (closedAt: Date, ticketNumber: Int)?, limit: Int
    ) async throws(TranscriptStoreError) -> [TranscriptRecord] {
        var sql = "SELECT record FROM transcripts WHERE guild_id = ?"
        var bindings: [SQLiteValue] = [Self.id(guildID.rawValue)]
        if let opener = query.openerID {
            sql += " AND opener_id = ?"
            bindings.append(Self.id(opener.rawValue))
        }
        if let from = query.closedFrom {
            sql += " AND closed_at_ms >= ?"
            bindings.append(.integer(Self.milliseconds(from)))
        }
        if let until = query.closedUntil {
            sql += " AND closed_at_ms <= ?"
            bindings.append(.integer(Self.milliseconds(until)))
        }
        let words = query.indexWords
        if !words.isEmpty {
            // Each word quoted: FTS5's query syntax (NEAR, *, -, column filters) never reaches it from a search box.
            sql += " AND rowid IN (SELECT rowid FROM transcript_search WHERE transcript_search MATCH ?)"
            bindings.append(.text(words.map { "\"\($0.filter { $0 != "\"" })\"" }.joined(separator: " ")))
        }
        if let after {
            sql += " AND (closed_at_ms, ticket_number) < (?, ?)"
            bindings += [.integer(Self.milliseconds(after.closedAt)), .integer(Int64(after.ticketNumber))]
        }
        sql += " ORDER BY closed_at_ms DESC, ticket_number DESC LIMIT ?"
        bindings.append(.integer(Int64(limit)))
        return try await list(sql, bindings)
    }

    public func searchTexts(
        guildID: GuildID, ticketNumbers: [Int]
    ) async throws(TranscriptStoreError) -> [Int: String] {
        guard !ticketNumbers.isEmpty else { return [:] }
        do {
            let rows = try await database.withConnection { connection in
                try SQLiteDatabase.query(
                    connection,
                    """
                    SELECT transcripts.ticket_number, transcript_search.text FROM transcripts
                    JOIN transcript_search ON transcript_search.rowid = transcripts.rowid
                    WHERE transcripts.guild_id = ? AND transcripts.ticket_number IN (SELECT value FROM json_each(?))
                    """,
                    [Self.id(guildID.rawValue), .text("[\(ticketNumbers.map(String.init).joined(separator: ","))]")])
            }
            var texts: [Int: String] = [:]
            for row in rows {
                guard let number = row.first?.integer, case .blob(let compressed)? = row.last else { continue }
                let text = try TranscriptCompression.decompress(
                    compressed, maximumSize: TranscriptSearch.maximumTextBytes)
                texts[Int(clamping: number)] = String(decoding: text, as: UTF8.self)
            }
            return texts
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// Counts, then reads only the middle one or two values in order: SQLite sorts the guild's resolution
    /// times (from the stored records' dates) on the database's own thread.
    public func medianResolutionSeconds(
        guildID: GuildID, typeID: Int?
    ) async throws(TranscriptStoreError) -> Double? {
        let resolution = """
            MAX(0, CAST(ROUND((json_extract(record, '$.closedAt') - json_extract(record, '$.openedAt')) * 1000)
                AS INTEGER))
            """
        let filter = "guild_id = ? AND (? IS NULL OR json_extract(record, '$.typeID') = ?)"
        let type: SQLiteValue = typeID.map { .integer(Int64($0)) } ?? .null
        let bindings = [Self.id(guildID.rawValue), type, type]
        do {
            let middle = try await database.withConnection { connection -> [Int64] in
                let count =
                    try SQLiteDatabase.query(
                        connection, "SELECT COUNT(*) FROM transcripts WHERE \(filter)", bindings
                    ).first?.first?.integer ?? 0
                guard count > 0 else { return [] }
                return try SQLiteDatabase.query(
                    connection,
                    "SELECT \(resolution) AS ms FROM transcripts WHERE \(filter) ORDER BY ms LIMIT ? OFFSET ?",
                    bindings + [.integer(count % 2 == 0 ? 2 : 1), .integer((count - 1) / 2)]
                ).compactMap { $0.first?.integer }
            }
            return TranscriptRecord.median(ofSorted: middle)
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func rate(
        guildID: GuildID, ticketNumber: Int, _ rating: TicketRating
    ) async throws(TranscriptStoreError) -> Bool {
        do {
            let encoded = String(decoding: try JSONEncoder().encode(rating), as: UTF8.self)
            return try await database.withConnection { connection in
                let inserted = try SQLiteDatabase.query(
                    connection,
                    """
                    INSERT INTO ratings (guild_id, ticket_number, stars, type_id, staff_id, rating)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1
                    """,
                    [
                        Self.id(guildID.rawValue), .integer(Int64(ticketNumber)), .integer(Int64(rating.stars)),
                        rating.typeID.map { .integer(Int64($0)) } ?? .null,
                        rating.staffID.map { Self.id($0.rawValue) } ?? .null, .text(encoded),
                    ])
                return !inserted.isEmpty
            }
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func rating(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> TicketRating? {
        do {
            let text = try await database.withConnection { connection in
                try SQLiteDatabase.query(
                    connection, "SELECT rating FROM ratings WHERE guild_id = ? AND ticket_number = ?",
                    [Self.id(guildID.rawValue), .integer(Int64(ticketNumber))]
                ).first?.first?.text
            }
            return try text.map { try JSONDecoder().decode(TicketRating.self, from: Data($0.utf8)) }
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    /// Three grouped sums over the guild's ratings (stars are checked on the way in and clamped on the way out).
    public func ratingSummary(guildID: GuildID) async throws(TranscriptStoreError) -> RatingSummary {
        do {
            let guild = Self.id(guildID.rawValue)
            let (all, types, staff) = try await database.withConnection { connection in
                let ratedRows = "FROM ratings WHERE guild_id = ? AND stars BETWEEN 1 AND 5"
                return (
                    try SQLiteDatabase.query(connection, "SELECT SUM(stars), COUNT(*) \(ratedRows)", [guild]),
                    try SQLiteDatabase.query(
                        connection,
                        "SELECT type_id, SUM(stars), COUNT(*) \(ratedRows) AND type_id IS NOT NULL GROUP BY type_id",
                        [guild]),
                    try SQLiteDatabase.query(
                        connection,
                        "SELECT staff_id, SUM(stars), COUNT(*) \(ratedRows) AND staff_id IS NOT NULL GROUP BY staff_id LIMIT 1000",
                        [guild])
                )
            }
            func tally(_ row: ArraySlice<SQLiteValue>) -> RatingSummary.Tally {
                RatingSummary.Tally(
                    total: Int(clamping: row.first?.integer ?? 0),
                    count: Int(clamping: row.dropFirst().first?.integer ?? 0))
            }
            var summary = RatingSummary()
            if let row = all.first { summary.all = tally(row[...]) }
            for row in types {
                guard let id = row.first?.integer, let typeID = Int(exactly: id) else { continue }
                summary.byType[typeID] = tally(row.dropFirst())
            }
            for row in staff {
                guard let id = row.first?.integer, id != 0 else { continue }
                summary.byStaff[UserID(UInt64(bitPattern: id))] = tally(row.dropFirst())
            }
            return summary
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    public func deleteClosed(before cutoff: Date, guildID: GuildID) async throws(TranscriptStoreError) -> Int {
        do {
            return try await database.withConnection { connection in
                try SQLiteDatabase.transaction(connection) {
                    let count =
                        try SQLiteDatabase.query(
                            connection, "SELECT COUNT(*) FROM transcripts WHERE guild_id = ? AND closed_at_ms < ?",
                            [Self.id(guildID.rawValue), .integer(Self.milliseconds(cutoff))]
                        ).first?.first?.integer ?? 0
                    _ = try SQLiteDatabase.query(
                        connection,
                        """
                        DELETE FROM transcript_search WHERE rowid IN
                            (SELECT rowid FROM transcripts WHERE guild_id = ? AND closed_at_ms < ?)
                        """,
                        [Self.id(guildID.rawValue), .integer(Self.milliseconds(cutoff))])
                    _ = try SQLiteDatabase.query(
                        connection, "DELETE FROM transcripts WHERE guild_id = ? AND closed_at_ms < ?",
                        [Self.id(guildID.rawValue), .integer(Self.milliseconds(cutoff))])
                    return Int(count)
                }
            }
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }

    private func list(_ sql: String, _ bindings: [SQLiteValue]) async throws(TranscriptStoreError) -> [TranscriptRecord]
    {
        do {
            let rows = try await database.withConnection { try SQLiteDatabase.query($0, sql, bindings) }
            return try rows.compactMap { row in
                guard let text = row.first?.text else { return nil }
                return try JSONDecoder().decode(TranscriptRecord.self, from: Data(text.utf8))
            }
        } catch {
            throw TranscriptStoreError("\(error)")
        }
    }
}
