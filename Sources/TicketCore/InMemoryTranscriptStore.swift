public import DiscordModels
public import Foundation

/// A `TranscriptStore` in memory, for tests; the same listing rules as the real stores.
public actor InMemoryTranscriptStore: TranscriptStore {
    private var entries: [GuildID: [Int: (record: TranscriptRecord, html: [UInt8])]] = [:]

    public init() {}

    public func save(_ record: TranscriptRecord, html: [UInt8]) throws(TranscriptStoreError) {
        if let existing = entries[record.guildID]?[record.ticketNumber], existing.record.channelID != record.channelID {
            throw .conflict(guildID: record.guildID, ticketNumber: record.ticketNumber)
        }
        entries[record.guildID, default: [:]][record.ticketNumber] = (record, html)
    }

    public func record(guildID: GuildID, ticketNumber: Int) -> TranscriptRecord? {
        entries[guildID]?[ticketNumber]?.record
    }

    public func html(guildID: GuildID, ticketNumber: Int) -> [UInt8]? {
        entries[guildID]?[ticketNumber]?.html
    }

    public func list(guildID: GuildID, query: TranscriptQuery) -> [TranscriptRecord] {
        let records = (entries[guildID] ?? [:]).values.map(\.record).filter(query.matches)
        return Array(records.sorted(by: TranscriptQuery.newestFirst).prefix(query.limit))
    }

    public func deleteClosed(before cutoff: Date, guildID: GuildID) -> Int {
        let old = (entries[guildID] ?? [:]).filter { $0.value.record.closedAt < cutoff }.keys
        for number in old { entries[guildID]?[number] = nil }
        return old.count
    }
}
