import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// One contract for every `TranscriptStore`: what the dashboard's transcript pages rely on.
@Suite("TranscriptStore contract: in-memory, SQLite and Redis")
struct TranscriptStoreContractTests {
    /// Runs `body` with a fresh store of `implementation`, shut down afterwards.
    static func withStore<Result>(
        _ implementation: StoreImplementation, _ body: (any TranscriptStore) async throws -> Result
    ) async throws -> Result {
        try await ContractStores.with(
            implementation, inMemory: { InMemoryTranscriptStore() as any TranscriptStore },
            sqlite: { try await SQLiteTranscriptStore(database: $0) }, redis: { RedisTranscriptStore(client: $0) }, body
        )
    }

    static let start = Date(timeIntervalSince1970: 1_760_000_000)

    /// 30 tickets, closed one hour apart, opened by three members in turn.
    static func seed(_ store: any TranscriptStore, guildID: GuildID) async throws -> [TranscriptRecord] {
        var records: [TranscriptRecord] = []
        for number in 1...30 {
            let record = TranscriptRecord(
                guildID: guildID, ticketNumber: number, channelID: ChannelID(UInt64(9000 + number)),
                channelName: "ticket-\(number)", openerID: UserID(UInt64(100 + number % 3)), closerID: 7,
                openedAt: start.addingTimeInterval(Double(number) * 3600 - 1800),
                closedAt: start.addingTimeInterval(Double(number) * 3600), messageCount: number * 2,
                closeReason: number == 5 ? "Solved <b>quickly</b>" : nil)
            let html =
                Array("<!doctype html><title>ticket \(number)</title>".utf8) + [UInt8](repeating: 0x20, count: 20_000)
            try await store.save(record, html: html, searchText: searchText(number))
            records.append(record)
        }
        return records
    }

    /// Every ticket mentions its parity; every third one a refund, every fifth an accented "Café" order.
    static func searchText(_ number: Int) -> String {
        var lines = ["#\(number) ticket-\(number)", "Opened by member\(100 + number % 3)"]
        lines.append("member: my order number \(number) is \(number.isMultiple(of: 2) ? "even" : "odd")")
        if number.isMultiple(of: 3) { lines.append("member: I would like a REFUND, please") }
        if number.isMultiple(of: 5) { lines.append("What did you order?: Café crème") }
        return lines.joined(separator: "\n")
    }

    @Test(
        "search finds the tickets holding every word, newest first, with pages and filters; never another guild's",
        arguments: StoreImplementation.allCases)
    func search(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            _ = try await Self.seed(store, guildID: guildID)
            func found(_ typed: String, opener: UserID? = nil, limit: Int = 50) async throws -> [Int] {
                var query = TranscriptQuery(openerID: opener, limit: limit)
                query.words = TranscriptSearch.queryWords(typed)
                return try await store.list(guildID: guildID, query: query).map(\.ticketNumber)
            }
            #expect(try await found("refund") == [30, 27, 24, 21, 18, 15, 12, 9, 6, 3])
            #expect(try await found("Refund, EVEN!") == [30, 24, 18, 12, 6], "every word must be there")
            #expect(try await found("cafe") == [30, 25, 20, 15, 10, 5], "accents and case do not matter")
            #expect(try await found("refund odd", opener: 100) == [27, 21, 15, 9, 3])
            #expect(try await found("nowhere") == [])
            // FTS5 query syntax typed into the box is only words.
            #expect(try await found("refund* OR \"even") == [])
            #expect(try await found("\"refund\" NEAR(even)") == [])
            // Pages of a search.
            var query = TranscriptQuery(limit: 4)
            query.words = ["refund"]
            let first = try await store.list(guildID: guildID, query: query)
            query.after = (first.last!.closedAt, first.last!.ticketNumber)
            let second = try await store.list(guildID: guildID, query: query)
            #expect(first.map(\.ticketNumber) == [30, 27, 24, 21] && second.map(\.ticketNumber) == [18, 15, 12, 9])
            // The text kept for snippets, per ticket; another guild's search finds nothing.
            let texts = try await store.searchTexts(guildID: guildID, ticketNumbers: [5, 6, 999])
            #expect(texts.keys.sorted() == [5, 6] && texts[5] == Self.searchText(5))
            #expect(TranscriptSearch.snippet(of: texts[5] ?? "", words: ["cafe"]) == "What did you order?: Café crème")
            var elsewhere = TranscriptQuery(limit: 50)
            elsewhere.words = ["refund"]
            #expect(try await store.list(guildID: GuildID(guildID.rawValue + 1), query: elsewhere).isEmpty)
            #expect(try await store.searchTexts(guildID: GuildID(guildID.rawValue + 1), ticketNumbers: [5]).isEmpty)
        }
    }

    @Test(
        "a replaced transcript is found by its new words only; a deleted one by none",
        arguments: StoreImplementation.allCases)
    func searchFollowsReplacementAndRetention(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            let records = try await Self.seed(store, guildID: guildID)
            func found(_ word: String) async throws -> [Int] {
                var query = TranscriptQuery(limit: 50)
                query.words = [word]
                return try await store.list(guildID: guildID, query: query).map(\.ticketNumber)
            }
            // Saved again after a crash, with more said: the old words go, the new ones come.
            try await store.save(records[2], html: [1], searchText: "member: the invoice was wrong")
            #expect(try await found("invoice") == [3])
            #expect(try await !found("refund").contains(3))
            _ = try await store.deleteClosed(before: Self.start.addingTimeInterval(10.5 * 3600), guildID: guildID)
            #expect(try await found("invoice") == [])
            #expect(try await found("refund") == [30, 27, 24, 21, 18, 15, 12])
            #expect(try await store.searchTexts(guildID: guildID, ticketNumbers: [3]).isEmpty)
        }
    }

    @Test(
        "lists newest first with pages, filters by opener and date, and returns the HTML",
        arguments: StoreImplementation.allCases)
    func listing(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            let records = try await Self.seed(store, guildID: guildID)

            var query = TranscriptQuery(limit: 10)
            let first = try await store.list(guildID: guildID, query: query)
            #expect(first.map(\.ticketNumber) == Array((21...30).reversed()))
            query.after = (first.last!.closedAt, first.last!.ticketNumber)
            let second = try await store.list(guildID: guildID, query: query)
            #expect(second.map(\.ticketNumber) == Array((11...20).reversed()))

            let byOpener = try await store.list(guildID: guildID, query: TranscriptQuery(openerID: 101, limit: 50))
            #expect(
                byOpener.map(\.ticketNumber) == records.filter { $0.openerID == 101 }.map(\.ticketNumber).reversed())

            let window = try await store.list(
                guildID: guildID,
                query: TranscriptQuery(
                    closedFrom: Self.start.addingTimeInterval(5 * 3600),
                    closedUntil: Self.start.addingTimeInterval(7 * 3600)))
            #expect(window.map(\.ticketNumber) == [7, 6, 5])
            #expect(try await store.record(guildID: guildID, ticketNumber: 5)?.closeReason == "Solved <b>quickly</b>")

            let html = try #require(try await store.html(guildID: guildID, ticketNumber: 12))
            #expect(String(decoding: html.prefix(40), as: UTF8.self).contains("ticket 12"))
            #expect(html.count > 20_000)
            // Another guild sees nothing of this one.
            #expect(try await store.record(guildID: GuildID(guildID.rawValue + 1), ticketNumber: 12) == nil)
            #expect(try await store.html(guildID: GuildID(guildID.rawValue + 1), ticketNumber: 12) == nil)
        }
    }

    @Test(
        "the median resolution is exact, per guild and per type; a replaced transcript counts once; retention removes it",
        arguments: StoreImplementation.allCases)
    func exactMedian(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: nil) == nil)
            // Resolutions 4 s, 4 s, 4 s and 2 h: the median is 4 s (a histogram put it in its 5-minute bucket).
            let durations: [(Int, TimeInterval, Int?)] = [
                (1, 4, 1), (2, 4, 2), (3, 7_200, 2), (4, 4, nil), (5, 4.5, 2),
            ]
            for (number, seconds, typeID) in durations {
                var record = TranscriptRecord(
                    guildID: guildID, ticketNumber: number, channelID: ChannelID(UInt64(500 + number)),
                    channelName: "t", openerID: 1, closerID: 2, openedAt: Self.start,
                    closedAt: Self.start.addingTimeInterval(seconds), messageCount: 1)
                record.typeID = typeID
                try await store.save(record, html: [], searchText: "")
                if number == 3 { try await store.save(record, html: [], searchText: "") }  // a retried save
            }
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: nil) == 4)
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: 2) == 4.5)
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: 1) == 4)
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: 9) == nil)
            #expect(try await store.medianResolutionSeconds(guildID: GuildID(1), typeID: nil) == nil)
            _ = try await store.deleteClosed(before: Self.start.addingTimeInterval(5), guildID: guildID)
            // Left: 7,200 s (type 2) only.
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: nil) == 7_200)
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: 2) == 7_200)
            #expect(try await store.medianResolutionSeconds(guildID: guildID, typeID: 1) == nil)
        }
    }

    @Test(
        "a ticket is rated once; ratings add up per type and per staff member, per guild",
        arguments: StoreImplementation.allCases)
    func ratings(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            #expect(try await store.ratingSummary(guildID: guildID).all.count == 0)
            func rating(_ stars: Int, type: Int?, staff: UserID?) -> TicketRating {
                TicketRating(
                    stars: stars, comment: stars == 5 ? "Great <b>help</b>" : nil, typeID: type, staffID: staff,
                    at: Self.start)
            }
            #expect(try await store.rate(guildID: guildID, ticketNumber: 1, rating(5, type: 1, staff: 7)))
            #expect(!(try await store.rate(guildID: guildID, ticketNumber: 1, rating(1, type: 1, staff: 7))), "once")
            #expect(try await store.rate(guildID: guildID, ticketNumber: 2, rating(2, type: 1, staff: 8)))
            #expect(try await store.rate(guildID: guildID, ticketNumber: 3, rating(4, type: 2, staff: 7)))
            #expect(try await store.rate(guildID: guildID, ticketNumber: 4, rating(3, type: nil, staff: nil)))
            #expect(try await store.rating(guildID: guildID, ticketNumber: 1) == rating(5, type: 1, staff: 7))
            #expect(try await store.rating(guildID: guildID, ticketNumber: 9) == nil)
            let summary = try await store.ratingSummary(guildID: guildID)
            #expect(summary.all == .init(total: 14, count: 4))
            #expect(summary.byType == [1: .init(total: 7, count: 2), 2: .init(total: 4, count: 1)])
            #expect(summary.byStaff == [7: .init(total: 9, count: 2), 8: .init(total: 2, count: 1)])
            #expect(try await store.ratingSummary(guildID: GuildID(1)).all.count == 0, "other guilds see none")
        }
    }

    @Test(
        "a person is found by name in the role asked, across pages; other roles and partial words are not",
        arguments: StoreImplementation.allCases)
    func personFilter(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            for number in 1...30 {
                var record = TranscriptRecord(
                    guildID: guildID, ticketNumber: number, channelID: ChannelID(UInt64(7000 + number)),
                    channelName: "t-\(number)", openerID: UserID(UInt64(100 + number)), closerID: 7,
                    openedAt: Self.start, closedAt: Self.start.addingTimeInterval(Double(number) * 60), messageCount: 1)
                record.openerName = number.isMultiple(of: 3) ? "Alice Cooper" : "Bob Stone"
                record.closerName = "Sam Support"
                record.claimerName = number == 4 ? "Alice Cooper" : nil
                let text = [record.openerName, record.closerName, record.claimerName].enumerated().compactMap {
                    index, name in
                    name.map { ["Opened by ", "Closed by ", "Claimed by "][index] + $0 }
                }.joined(separator: "\n")
                try await store.save(record, html: [], searchText: text)
            }
            func found(_ name: String, _ role: TranscriptQuery.Person.Role, limit: Int = 50) async throws -> [Int] {
                var query = TranscriptQuery(limit: limit)
                query.person = TranscriptQuery.Person(name: name, role: role)
                return try await store.list(guildID: guildID, query: query).map(\.ticketNumber)
            }
            let alices = Array(stride(from: 30, through: 3, by: -3))
            #expect(try await found("alice", .opener) == alices)
            #expect(try await found("COOPER alice", .opener) == alices, "any order, any case")
            #expect(try await found("alice", .claimer) == [4])
            #expect(try await found("Alice", .any) == (alices + [4]).sorted(by: >))
            #expect(try await found("sam", .opener).isEmpty)
            #expect(try await found("ali", .any).isEmpty, "whole words only")
            // Pages: four at a time, continued after the last one.
            var query = TranscriptQuery(limit: 4)
            query.person = TranscriptQuery.Person(name: "alice", role: .opener)
            let first = try await store.list(guildID: guildID, query: query)
            #expect(first.map(\.ticketNumber) == [30, 27, 24, 21])
            query.after = try #require(first.last.map { ($0.closedAt, $0.ticketNumber) })
            #expect(try await store.list(guildID: guildID, query: query).map(\.ticketNumber) == [18, 15, 12, 9])
        }
    }

    @Test("retention deletes what closed before the cutoff, and only that", arguments: StoreImplementation.allCases)
    func retention(_ implementation: StoreImplementation) async throws {
        try await Self.withStore(implementation) { store in
            let guildID = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            _ = try await Self.seed(store, guildID: guildID)
            let deleted = try await store.deleteClosed(
                before: Self.start.addingTimeInterval(10.5 * 3600), guildID: guildID)
            #expect(deleted == 10)
            let remaining = try await store.list(guildID: guildID, query: TranscriptQuery(limit: 100))
            #expect(remaining.map(\.ticketNumber) == Array((11...30).reversed()))
            #expect(try await store.html(guildID: guildID, ticketNumber: 3) == nil)
        }
    }
}
