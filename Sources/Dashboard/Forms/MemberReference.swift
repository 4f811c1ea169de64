package import DiscordModels
import Foundation

/// What an admin typed to name a member: a user ID, a mention as Discord's client copies it (`<@id>`,
/// `<@!id>`), or the start of their name (a leading `@` dropped; at most 100 characters, Discord's limit for a
/// member search).
package enum MemberReference: Sendable, Hashable {
    case id(UserID)
    case name(String)

    /// `nil` for an empty field.
    package init?(_ text: String?) {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var digits = Substring(trimmed)
        if digits.hasPrefix("<@"), digits.hasSuffix(">") {
            digits = digits.dropFirst(2).dropLast()
            if digits.hasPrefix("!") { digits = digits.dropFirst() }
        }
        if !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let id = OutsideNumber.integer(String(digits), in: UInt64(1)...UInt64.max)
        {
            self = .id(UserID(id))
            return
        }
        let name = (trimmed.hasPrefix("@") ? trimmed.dropFirst() : Substring(trimmed))
            .trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        self = .name(String(name.prefix(100)))
    }
}
