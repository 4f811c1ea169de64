public import DiscordModels
public import Foundation

/// What one staff member did in a guild's tickets, counted as it happens (like `TicketAnalytics`): tickets
/// claimed and closed, first responses and their speed. (Members' ratings are kept with the transcripts:
/// `TranscriptStore.ratingSummary`.)
public struct StaffStatistics: Sendable, Hashable, Codable {
    public var claimed = 0
    public var closed = 0
    public var firstResponses = 0
    public var firstResponseSecondsTotal: Double = 0
    /// The last display name seen, for the dashboard (members are not cached).
    public var name: String?
    /// When they last did something counted here (the least recent are dropped when the list is full).
    public var lastSeenAt: Date

    public init(lastSeenAt: Date) {
        self.lastSeenAt = lastSeenAt
    }

    public var averageFirstResponseSeconds: Double? {
        firstResponses == 0 ? nil : firstResponseSecondsTotal / Double(firstResponses)
    }

    /// Counters that a stored snapshot may claim only within these bounds.
    var isSound: Bool {
        let counts = 0...1_000_000_000
        return counts.contains(claimed) && counts.contains(closed) && counts.contains(firstResponses)
            && firstResponseSecondsTotal.isFinite && firstResponseSecondsTotal >= 0 && (name?.count ?? 0) <= 100
    }
}

extension GuildTickets {
    /// The most staff members a guild keeps statistics for.
    public static let maximumStaffStatistics = 500

    /// Every staff member's statistics, busiest first.
    public var staffStatistics: [(id: UserID, statistics: StaffStatistics)] {
        (staffStatisticsStorage ?? [:]).compactMap { key, value in
            OutsideNumber.integer(key, in: UInt64(1)...UInt64.max).map { (UserID($0), value) }
        }.sorted {
            ($0.statistics.closed, $0.statistics.claimed, $1.id.rawValue) > (
                $1.statistics.closed, $1.statistics.claimed, $0.id.rawValue
            )
        }
    }

    public func statistics(of staffID: UserID) -> StaffStatistics? { staffStatisticsStorage?[staffID.description] }

    /// Applies `change` to `staffID`'s statistics, making room by dropping the least recently seen.
    mutating func recordStaffStatistics(of staffID: UserID, at date: Date, _ change: (inout StaffStatistics) -> Void) {
        var all = staffStatisticsStorage ?? [:]
        let key = staffID.description
        if all[key] == nil, all.count >= Self.maximumStaffStatistics,
            let stalest = all.min(by: { $0.value.lastSeenAt < $1.value.lastSeenAt })?.key
        {
            all[stalest] = nil
        }
        var statistics = all[key] ?? StaffStatistics(lastSeenAt: date)
        statistics.lastSeenAt = max(statistics.lastSeenAt, date)
        change(&statistics)
        all[key] = statistics
        staffStatisticsStorage = all
    }

    /// Remembers a staff member's display name (only for someone who already has statistics).
    public mutating func noteStaffName(_ staffID: UserID, _ name: String) {
        guard staffStatisticsStorage?[staffID.description] != nil else { return }
        staffStatisticsStorage?[staffID.description]?.name = String(name.prefix(100))
    }
}
