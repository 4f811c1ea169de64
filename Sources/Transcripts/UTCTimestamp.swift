import DiscordModels
public import Foundation

/// `2025-11-24T16:00:00Z` for a date, by arithmetic (`UTCDateTime`): a transcript formats every message's
/// time, and a date formatter per call was the renderer's largest cost.
public enum UTCTimestamp {
    public static func iso8601(_ date: Date) -> String {
        let time = UTCDateTime(date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(time.year)-\(two(time.month))-\(two(time.day))T\(two(time.hour)):\(two(time.minute)):\(two(time.second))Z"
    }
}
