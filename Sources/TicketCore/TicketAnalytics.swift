import DiscordModels
public import Foundation

/// Counters kept as tickets move, never computed by scanning history: they feed the dashboard's charts and
/// Prometheus, and they cost the same for a guild with ten tickets as for one with a million.
public struct TicketAnalytics: Sendable, Hashable, Codable {
    /// One UTC day's activity.
    public struct Day: Sendable, Hashable, Codable {
        /// Days since 1970-01-01 (UTC).
        public var day: Int
        public var opened: Int
        public var closed: Int
        public var resolutionSeconds: Double

        public init(day: Int, opened: Int = 0, closed: Int = 0, resolutionSeconds: Double = 0) {
            self.day = day
            self.opened = opened
            self.closed = closed
            self.resolutionSeconds = resolutionSeconds
        }
    }

    /// Upper bounds (seconds) of the resolution-time histogram buckets; the last bucket is everything above.
    public static let resolutionBucketBounds: [Double] = [
        300, 900, 3_600, 4 * 3_600, 12 * 3_600, 86_400, 3 * 86_400, 7 * 86_400,
    ]
    /// Days of daily counts kept (the dashboard charts 30).
    public static let retainedDays = 90

    public var opened = 0
    public var closed = 0
    public var resolutionSecondsTotal: Double = 0
    public var resolutionCount = 0
    /// `resolutionBucketBounds.count + 1` counts once a ticket closed; empty before (most guilds are idle, and
    /// an empty array costs nothing).
    public var resolutionHistogram: [Int] = []
    public var firstResponseSecondsTotal: Double = 0
    public var firstResponseCount = 0
    /// Oldest first, at most `retainedDays`, only days with activity.
    public var days: [Day] = []

    public init() {}

    public static func dayNumber(of date: Date) -> Int {
        OutsideNumber.clampedInteger(date.timeIntervalSince1970 / 86_400, rounding: .down, to: -36_525_000...36_525_000)
            ?? 0
    }

    public mutating func recordOpened(at date: Date) {
        opened += 1
        updateDay(of: date) { $0.opened += 1 }
    }

    public mutating func recordClosed(openedAt: Date, closedAt: Date) {
        let seconds = max(0, closedAt.timeIntervalSince(openedAt))
        closed += 1
        resolutionSecondsTotal += seconds
        resolutionCount += 1
        let bucket = Self.resolutionBucketBounds.firstIndex { seconds <= $0 } ?? Self.resolutionBucketBounds.count
        if resolutionHistogram.isEmpty {
            resolutionHistogram = [Int](repeating: 0, count: Self.resolutionBucketBounds.count + 1)
        }
        resolutionHistogram[bucket] += 1
        updateDay(of: closedAt) {
            $0.closed += 1
            $0.resolutionSeconds += seconds
        }
    }

    /// Takes back `recordClosed(openedAt:closedAt:)` for a ticket that was reopened. Nothing goes below zero,
    /// whatever a snapshot held.
    public mutating func recordReopened(openedAt: Date, closedAt: Date) {
        let seconds = max(0, closedAt.timeIntervalSince(openedAt))
        closed = max(0, closed - 1)
        resolutionCount = max(0, resolutionCount - 1)
        resolutionSecondsTotal = resolutionCount == 0 ? 0 : max(0, resolutionSecondsTotal - seconds)
        let bucket = Self.resolutionBucketBounds.firstIndex { seconds <= $0 } ?? Self.resolutionBucketBounds.count
        if resolutionHistogram.indices.contains(bucket), resolutionHistogram[bucket] > 0 {
            resolutionHistogram[bucket] -= 1
        }
        let day = Self.dayNumber(of: closedAt)
        if let index = days.lastIndex(where: { $0.day == day }), days[index].closed > 0 {
            days[index].closed -= 1
            days[index].resolutionSeconds =
                days[index].closed == 0 ? 0 : max(0, days[index].resolutionSeconds - seconds)
        }
    }

    public mutating func recordFirstStaffResponse(after seconds: TimeInterval) {
        firstResponseSecondsTotal += max(0, seconds)
        firstResponseCount += 1
    }

    public var averageResolutionSeconds: Double? {
        resolutionCount == 0 ? nil : resolutionSecondsTotal / Double(resolutionCount)
    }

    public var averageFirstResponseSeconds: Double? {
        firstResponseCount == 0 ? nil : firstResponseSecondsTotal / Double(firstResponseCount)
    }

    /// The median resolution time, estimated from the histogram (linear within the median's bucket).
    public var medianResolutionSeconds: Double? {
        guard resolutionCount > 0 else { return nil }
        let half = Double(resolutionCount) / 2
        var seen = 0
        for (index, count) in resolutionHistogram.enumerated() where count > 0 {
            if Double(seen + count) >= half {
                let lower = index == 0 ? 0 : Self.resolutionBucketBounds[index - 1]
                guard index < Self.resolutionBucketBounds.count else { return lower }
                let upper = Self.resolutionBucketBounds[index]
                return lower + (upper - lower) * (half - Double(seen)) / Double(count)
            }
            seen += count
        }
        return nil
    }

    private mutating func updateDay(of date: Date, _ change: (inout Day) -> Void) {
        let day = Self.dayNumber(of: date)
        if let index = days.lastIndex(where: { $0.day == day }) {
            change(&days[index])
        } else {
            var entry = Day(day: day)
            change(&entry)
            days.append(entry)
            days.sort { $0.day < $1.day }
        }
        days.removeAll { $0.day <= day - Self.retainedDays }
    }
}
