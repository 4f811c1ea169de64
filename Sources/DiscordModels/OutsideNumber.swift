public import Foundation

/// The one rule for numbers that come from outside the process (Discord's headers and payloads, channel
/// topics and markers, query strings, cookies, stored snapshots, configuration files, Redis replies): they pass
/// through here before any arithmetic, so that none can trap the process.
///
/// Swift traps on overflow, on `Int(someDouble)` out of range or NaN, and on `abs(Int.min)`; one trap stops every
/// guild. Each function either rejects (returns `nil`) or clamps to a range the caller names, and never traps,
/// whatever the input. Which one to use: reject when a wrong value means the input is not what it claims to be
/// (a ticket number in a topic, an ID); clamp when a value is meaningful but extreme (a `Retry-After` of 1e300
/// seconds is "a very long time", not an error).
public enum OutsideNumber {
    /// A decimal integer (digits, optionally after a `-`) inside `range`, or `nil`. Nothing else is a number
    /// here: no `+`, no spaces, no hexadecimal.
    public static func integer<Value: FixedWidthInteger>(
        _ text: some StringProtocol, in range: ClosedRange<Value>
    ) -> Value? {
        guard text.utf8.count <= 40, text.first != "+", let value = Value(text), range.contains(value) else {
            return nil
        }
        return value
    }

    /// A decimal integer clamped into `range`; `nil` only when `text` is not an integer at all. Digits beyond
    /// the type's width clamp to the nearer end instead of failing.
    public static func clampedInteger<Value: FixedWidthInteger>(
        _ text: some StringProtocol, to range: ClosedRange<Value>
    ) -> Value? {
        if let value = Value(text) { return min(max(value, range.lowerBound), range.upperBound) }
        // Too many digits for the type (or a negative number for an unsigned one): still a number, so it
        // clamps by its sign.
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return text.hasPrefix("-") ? range.lowerBound : range.upperBound
    }

    /// A finite number clamped into `range`; `nil` for NaN. Infinities clamp to the nearer end.
    public static func clamp(_ value: Double, to range: ClosedRange<Double>) -> Double? {
        guard !value.isNaN else { return nil }
        return min(max(value, range.lowerBound), range.upperBound)
    }

    /// A decimal number (`Double`'s syntax) clamped into `range`; `nil` for text that is not a number, or NaN.
    public static func clampedDecimal(_ text: some StringProtocol, to range: ClosedRange<Double>) -> Double? {
        guard text.utf8.count <= 64, let value = Double(text) else { return nil }
        return clamp(value, to: range)
    }

    /// `value` converted to an integer type, rounded as asked and clamped into `range`; `nil` for NaN. This is
    /// the only way outside doubles become integers: `Int(Double.infinity)` traps.
    public static func clampedInteger<Value: FixedWidthInteger>(
        _ value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero,
        to range: ClosedRange<Value>
    ) -> Value? {
        guard !value.isNaN else { return nil }
        let rounded = value.rounded(rule)
        // Compare in Double first: converting an out-of-range Double traps.
        if rounded <= Double(range.lowerBound) { return range.lowerBound }
        if rounded >= Double(range.upperBound) { return range.upperBound }
        return Value(exactly: rounded) ?? Value(rounded)
    }

    /// A duration given in seconds (rate-limit headers, `retry_after`), rounded up to whole milliseconds and
    /// clamped to `0...maximum`; `nil` for NaN.
    public static func duration(seconds: Double, maximum: Duration) -> Duration? {
        let maximumMilliseconds = maximum.components.seconds * 1_000
        guard
            let milliseconds = clampedInteger(
                seconds * 1_000, rounding: .up, to: Int64(0)...max(0, maximumMilliseconds))
        else { return nil }
        return .milliseconds(milliseconds)
    }

    /// Milliseconds since 1970 for a date that may come from outside (a query string, a stored record):
    /// clamped to ±100,000 years of milliseconds, so it always fits `Int64` and arithmetic on it cannot overflow.
    public static func milliseconds(since1970 date: Date) -> Int64 {
        clampedInteger(date.timeIntervalSince1970 * 1_000, to: -maximumEpochMilliseconds...maximumEpochMilliseconds)
            ?? 0
    }

    /// A date from milliseconds since 1970 read from outside, inside the same bounds.
    public static func date(milliseconds: Int64) -> Date {
        let bounded = min(max(milliseconds, -maximumEpochMilliseconds), maximumEpochMilliseconds)
        return Date(timeIntervalSince1970: Double(bounded) / 1_000)
    }

    /// ±100,000 years, in milliseconds: far beyond any real date, far below `Int64.max`.
    public static let maximumEpochMilliseconds: Int64 = 3_155_760_000_000_000
}
