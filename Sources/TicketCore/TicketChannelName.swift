/// Turns the guild's name template into a channel name Discord accepts for a text channel: lowercase, no
/// spaces (they become dashes), only letters, digits, `-` and `_`, 1–100 characters.
public enum TicketChannelName {
    public static let maximumLength = 100

    /// `ticket-{username}` with `alice` and 7 → `ticket-alice`; `{number}` is zero-padded to four digits and
    /// `{type}` is the ticket type's name (`{type}-{number}` → `billing-0007`).
    public static func render(template: String, username: String, number: Int, typeName: String = "ticket") -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        let filled = template.replacing("{username}", with: username).replacing("{number}", with: padded)
            .replacing("{type}", with: typeName)
        let name = sanitize(filled)
        return name.isEmpty ? "ticket-\(padded)" : name
    }

    /// Discord's rules for text channel names, applied the way the client applies them as you type.
    public static func sanitize(_ raw: String) -> String {
        var result = ""
        var lastWasDash = true  // drops leading dashes
        for character in raw.lowercased() {
            if character.isWhitespace || character == "-" {
                if !lastWasDash { result.append("-") }
                lastWasDash = true
            } else if character == "_" || (character.isLetter || character.isNumber) && !character.isEmojiOnly {
                result.append(character)
                lastWasDash = false
            }
            if result.count >= maximumLength { break }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }

    /// Why a template cannot make channel names, or `nil` when it can.
    public static func problem(inTemplate template: String) -> String? {
        if template.allSatisfy(\.isWhitespace) { return "the name template is empty" }
        if template.count > 90 { return "the name template is longer than 90 characters" }
        let placeholders = ["{username}", "{number}", "{type}"]
        var stripped = template
        for placeholder in placeholders { stripped = stripped.replacing(placeholder, with: "") }
        if stripped.contains("{") || stripped.contains("}") {
            return "unknown placeholder: only {username}, {number} and {type} are supported"
        }
        if !placeholders.contains(where: template.contains) && sanitize(template).isEmpty {
            return "the name template gives an empty channel name"
        }
        return nil
    }
}

extension Character {
    /// Emoji render as pictures; channel names keep only letters and digits.
    var isEmojiOnly: Bool { unicodeScalars.contains { $0.properties.isEmojiPresentation } }
}
