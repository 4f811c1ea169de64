public import DiscordModels
public import Foundation

/// A `TranscriptStore` in memory, for tests; the same listing rules as the real stores.
public actor InMemoryTranscriptStore: TranscriptStore {
    private var entries: [GuildID: [Int: (record: TranscriptRecord, html: [UInt8], text: String)]] = [:]
    private var ratings: [GuildID: [Int: TicketRating]] = [:]

    public init() {}

    public func save(_ record: TranscriptRecord, html: [UInt8], searchText: String) throws(TranscriptStoreError) {
        if let existing = entries[record.guildID]?[record.ticketNumber], existing.record.channelID != record.channelID {
            throw .conflict(guildID: record.guildID, ticketNumber: record.ticketNumber)
        }
        entries[record.guildID, default: [:]][record.ticketNumber] = (
            record, html, TranscriptSearch.bounded(searchText)
        )
    }

    public func record(guildID: GuildID, ticketNumber: Int) -> TranscriptRecord? {
        entries[guildID]?[ticketNumber]?.record
    }

    public func html(guildID: GuildID, ticketNumber: Int) -> [UInt8]? {
        entries[guildID]?[ticketNumber]?.html
    }

    public func list(guildID: GuildID, query: TranscriptQuery) -> [TranscriptRecord] {
        let records = (entries[guildID] ?? [:]).values.filter { entry in
            let indexed = Set(TranscriptSearch.words(in: entry.text))
            return query.indexWords.allSatisfy(indexed.contains)
        }.map(\.record).filter(query.matches)
        return Array(records.sorted(by: TranscriptQuery.newestFirst).prefix(query.limit))
    }

    public func searchTexts(guildID: GuildID, ticketNumbers: [Int]) -> [Int: String] {
        var texts: [Int: String] = [:]
        for number in ticketNumbers { texts[number] = entries[guildID]?[number]?.text }
        return texts
    }

    public func medianResolutionSeconds(guildID: GuildID, typeID: Int?) -> Double? {
        let records = (entries[guildID] ?? [:]).values.map(\.record).filter { typeID == nil || $0.typeID == typeID }
        return TranscriptRecord.median(ofSorted: records.map(\.resolutionMilliseconds).sorted())
    }

    public func rate(guildID: GuildID, ticketNumber: Int, _ rating: TicketRating) -> Bool {
        guard ratings[guildID]?[ticketNumber] == nil else { return false }
        ratings[guildID, default: [:]][ticketNumber] = rating
        return true
    }

    public func rating(guildID: GuildID, ticketNumber: Int) -> TicketRating? { ratings[guildID]?[ticketNumber] }

    public func ratingSummary(guildID: GuildID) -> RatingSummary {
        var summary = RatingSummary()
        for rating in (ratings[guildID] ?? [:]).values { summary.add(rating) }
        return summary
    }

    public func deleteClosed(before cutoff: Date, guildID: GuildID) -> Int {
        let old = (entries[guildID] ?? [:]).filter { $0.value.record.closedAt < cutoff }.keys
        for number in old { entries[guildID]?[number] = nil }
        return old.count
    }
}
