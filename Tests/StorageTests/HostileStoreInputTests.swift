import DiscordModels
import Foundation
import Storage
import Testing
import TicketCore

@Suite("Stores against hostile dates and colliding ticket numbers: in-memory, SQLite and Redis")
struct HostileStoreInputTests {
    static func record(guild: GuildID, number: Int, channel: UInt64, closedAt: Date) -> TranscriptRecord {
        TranscriptRecord(
            guildID: guild, ticketNumber: number, channelID: ChannelID(channel), channelName: "ticket-\(number)",
            openerID: 42, closerID: nil, openedAt: closedAt.addingTimeInterval(-60), closedAt: closedAt,
            messageCount: 1)
    }

    @Test(
        "listing with infinite, huge or NaN dates answers instead of trapping (the dashboard's `after=inf_1`)",
        arguments: StoreImplementation.allCases)
    func hostileQueryDates(_ implementation: StoreImplementation) async throws {
        try await TranscriptStoreContractTests.withStore(implementation) { store in
            let guild = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            try await store.save(
                Self.record(guild: guild, number: 1, channel: 5, closedAt: Date()), html: [1, 2, 3], searchText: "")
            for value in [Double.infinity, -.infinity, .nan, 1e300, -1e300] {
                var query = TranscriptQuery(
                    closedFrom: Date(timeIntervalSince1970: -abs(value)),
                    closedUntil: Date(timeIntervalSince1970: value))
                query.after = (Date(timeIntervalSince1970: value), Int.max)
                _ = try await store.list(guildID: guild, query: query)
                _ = try await store.deleteClosed(before: Date(timeIntervalSince1970: -abs(value)), guildID: guild)
            }
            #expect(try await store.record(guildID: guild, ticketNumber: 1) != nil)
        }
    }

    @Test(
        "a transcript of another channel under a taken number is refused and the old one kept; the same channel's replaces",
        arguments: StoreImplementation.allCases)
    func transcriptsAreNeverOverwritten(_ implementation: StoreImplementation) async throws {
        try await TranscriptStoreContractTests.withStore(implementation) { store in
            let guild = GuildID(UInt64.random(in: 1...UInt64(1) << 60))
            let original = Self.record(
                guild: guild, number: 7, channel: 100, closedAt: Date(timeIntervalSince1970: 1_700_000_000))
            try await store.save(original, html: Array("original".utf8), searchText: "alice: the original words")
            var forged = Self.record(guild: guild, number: 7, channel: 200, closedAt: Date())
            forged.channelName = "forged"
            await #expect(throws: TranscriptStoreError.conflict(guildID: guild, ticketNumber: 7)) {
                try await store.save(forged, html: Array("forged".utf8), searchText: "mallory: forged words")
            }
            var search = TranscriptQuery(limit: 10)
            search.words = ["forged"]
            #expect(try await store.list(guildID: guild, query: search).isEmpty, "the refused save indexed nothing")
            search.words = ["original"]
            #expect(try await store.list(guildID: guild, query: search).map(\.ticketNumber) == [7])
            #expect(try await store.html(guildID: guild, ticketNumber: 7) == Array("original".utf8))
            #expect(try await store.record(guildID: guild, ticketNumber: 7)?.channelID == 100)
            // A retried save of the same ticket (after a crash) still replaces it.
            var retried = original
            retried.messageCount = 2
            try await store.save(retried, html: Array("retried".utf8), searchText: "")
            #expect(try await store.html(guildID: guild, ticketNumber: 7) == Array("retried".utf8))
            #expect(try await store.record(guildID: guild, ticketNumber: 7)?.messageCount == 2)
        }
    }
}
