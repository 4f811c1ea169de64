import DiscordModels
import Foundation
import TicketCore

/// The exact median resolution times of a guild (and of each of its types), from the transcript store: the
/// counters' histogram can only estimate a median, and a 5-minute bucket made one guild's "2 min" sit beside
/// an average of "4 s". `nil` values mean there is nothing closed yet.
struct ResolutionMedians: Sendable, Equatable {
    var guild: Double?
    var byType: [Int: Double] = [:]
}

/// Keeps each guild's medians until its counters change (a close, a reopen) or a minute passes (retention
/// deletes transcripts without touching the counters), so the live page's once-a-second check does not query
/// the store. Bounded: a full cache drops its oldest entries.
actor ResolutionMedianCache {
    private struct Entry {
        var key: [Double]
        var medians: ResolutionMedians
        var computedAt: ContinuousClock.Instant
    }

    static let capacity = 1_000
    static let lifetime = Duration.seconds(60)
    private var entries: [GuildID: Entry] = [:]

    /// The medians of `overview`'s guild, or `nil` when the store cannot answer (the page then shows the
    /// histogram's estimate, marked as such).
    func medians(of overview: GuildTicketsOverview, store: any TranscriptStore) async -> ResolutionMedians? {
        let tickets = overview.tickets
        let key =
            [Double(tickets.analytics.closed), tickets.analytics.resolutionSecondsTotal]
            + tickets.config.types.map { Double($0.id) }
        let now = ContinuousClock.now
        if let entry = entries[overview.guildID], entry.key == key, now - entry.computedAt < Self.lifetime {
            return entry.medians
        }
        var medians = ResolutionMedians()
        do {
            medians.guild = try await store.medianResolutionSeconds(guildID: overview.guildID, typeID: nil)
            if tickets.config.types.count > 1 {
                for type in tickets.config.types {
                    medians.byType[type.id] = try await store.medianResolutionSeconds(
                        guildID: overview.guildID, typeID: type.id)
                }
            }
        } catch {
            return nil
        }
        if entries.count >= Self.capacity, entries[overview.guildID] == nil {
            let oldest = entries.min { $0.value.computedAt < $1.value.computedAt }?.key
            if let oldest { entries[oldest] = nil }
        }
        entries[overview.guildID] = Entry(key: key, medians: medians, computedAt: now)
        return medians
    }
}
