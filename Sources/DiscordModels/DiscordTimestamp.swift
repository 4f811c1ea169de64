public import Foundation

/// Discord's timestamp format: ISO 8601 with microseconds and an explicit offset,
/// `2024-01-01T00:00:00.000000+00:00`.
///
/// Both directions are integer arithmetic on the bytes. `ISO8601DateFormatter` and `Calendar` go through ICU:
/// parsing one timestamp that way cost more than the rest of a ticket message's handling (perf, load test).
public enum DiscordTimestamp {
    public static func string(from date: Date) -> String {
        // Clamped: a date from a stored record or a payload may be anything, and Int64(±1e300) traps.
        let limit = OutsideNumber.maximumEpochMilliseconds * 1_000
        let totalMicroseconds =
            OutsideNumber.clampedInteger(date.timeIntervalSince1970 * 1_000_000, rounding: .down, to: -limit...limit)
            ?? 0
        let (seconds, micros) = floorDivision(totalMicroseconds, 1_000_000)
        let time = UTCDateTime(secondsSince1970: seconds)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        appendDigits(time.year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(time.month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(time.day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(time.hour, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(time.minute, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(time.second, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(Int(micros), count: 6, to: &bytes)
        bytes.append(contentsOf: "+00:00".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS`, optionally with a fraction of 1–9 digits, then `Z` or `±HH:MM`. Returns
    /// `nil` for anything else, including impossible dates such as February 30.
    public static func date(from string: String) -> Date? {
        string.utf8.withContiguousStorageIfAvailable(parse) ?? Array(string.utf8).withUnsafeBufferPointer(parse)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("T"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2),
            (1...12).contains(month), (1...UTCDateTime.daysInMonth(year: year, month: month)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if expect(".") {
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard (1...9).contains(index - start) else { return nil }
        }
        var offsetSeconds = 0
        if expect("Z") {
            offsetSeconds = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else {
                return nil
            }
            offsetSeconds = sign * (hours * 3_600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let local = UTCDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        // Whole seconds and the fraction are added separately so microseconds survive the Double.
        return Date(timeIntervalSince1970: Double(local.secondsSince1970 - Int64(offsetSeconds)) + fraction)
    }

    /// `value` as exactly `count` zero-padded decimal digits, written in place (no temporary array).
    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var rest = value
        for position in stride(from: start + count - 1, through: start, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// A UTC calendar date and time of day from seconds since 1970 and back, with Howard Hinnant's civil-date
/// algorithms (proleptic Gregorian calendar): no `Calendar`, no ICU, no allocation.
public struct UTCDateTime: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    public init(secondsSince1970 unboundedSeconds: Int64) {
        // ±100,000 years: the arithmetic below cannot overflow inside these bounds.
        let limit = OutsideNumber.maximumEpochMilliseconds / 1_000
        let seconds = min(max(unboundedSeconds, -limit), limit)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        self.init(
            year: Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0), month: month,
            day: Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1), hour: secondOfDay / 3_600,
            minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60)
    }

    public init(_ date: Date) {
        let limit = OutsideNumber.maximumEpochMilliseconds / 1_000
        self.init(
            secondsSince1970: OutsideNumber.clampedInteger(
                date.timeIntervalSince1970, rounding: .down, to: -limit...limit)
                ?? 0)
    }

    public var secondsSince1970: Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
