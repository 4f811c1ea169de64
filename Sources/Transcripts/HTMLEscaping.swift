import Foundation

/// Escaping for the contexts a transcript (and the dashboard) writes user text into. Every user-controlled string goes through
/// one of these; there is no path that writes it raw.
public enum HTMLEscaping {
    /// Text between tags, and attribute values in double quotes.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\u{0}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A URL safe to put in `href`: only `https:` and `http:`, escaped; anything else gives `nil`.
    public static func safeURL(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == " " }) else { return nil }
        return escape(trimmed)
    }
}
