import DiscordModels
public import Foundation

/// How long a ticket took, as people read it in the audit log, transcripts and the dashboard:
/// `45 s`, `3 min 20 s` (or `3 min` without seconds, for tiles and tables), `1 h 30 min`, `2 d 4 h`.
public enum DurationText {
    public static func describe(_ seconds: TimeInterval, withSeconds: Bool = true) -> String {
        // Clamped, never converted unchecked: a median or average may come from a store or a snapshot.
        let total = OutsideNumber.clampedInteger(seconds, rounding: .down, to: 0...Int(Int32.max)) ?? 0
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60)
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        guard minutes > 0 else { return "\(total) s" }
        return withSeconds ? "\(minutes) min \(total % 60) s" : "\(minutes) min"
    }
}
