public import Foundation

/// The JSON coders for Discord payloads: snake_case keys on the wire, camelCase in Swift.
public enum DiscordJSON {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try makeEncoder().encode(value)
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try makeDecoder().decode(type, from: data)
    }
}

/// Discord's timestamp format: ISO 8601 with microseconds and an explicit offset,
/// `2024-01-01T00:00:00.000000+00:00`.
public enum DiscordTimestamp {
    public static func string(from date: Date) -> String {
        let totalMicroseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        let seconds = totalMicroseconds.quotientAndRemainder(dividingBy: 1_000_000)
        var whole = seconds.quotient
        var micros = seconds.remainder
        if micros < 0 {
            whole -= 1
            micros += 1_000_000
        }
        let components = Calendar.utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(whole)))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00",
            components.year ?? 1970, components.month ?? 1, components.day ?? 1, components.hour ?? 0,
            components.minute ?? 0, components.second ?? 0, Int(micros))
    }

    /// Parses Discord timestamps with or without fractional seconds, with `Z` or a numeric offset.
    public static func date(from string: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: string) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: string)
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()
}
