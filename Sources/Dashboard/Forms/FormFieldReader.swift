import DiscordModels
import Foundation
import TicketCore

/// Reads a posted form's text fields into typed values, collecting what is malformed as problems beside their
/// fields (range and reference checks are the validator's, when the change is saved).
struct FormFieldReader {
    let scope: TicketConfigProblem.Scope
    private(set) var problems: [TicketConfigProblem] = []

    init(scope: TicketConfigProblem.Scope) {
        self.scope = scope
    }

    mutating func fail(_ field: TicketConfigProblem.Field, _ message: String) {
        problems.append(TicketConfigProblem(field, message, scope: scope))
    }

    /// A snowflake from a dropdown; empty means none.
    mutating func id(_ text: String?, _ field: TicketConfigProblem.Field) -> UInt64? {
        let text = text?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty else { return nil }
        guard let value = OutsideNumber.integer(text, in: UInt64(1)...UInt64.max) else {
            fail(field, "choose one from the list")
            return nil
        }
        return value
    }

    /// A whole number; `current` is kept when the field is missing or malformed (and the problem shown).
    mutating func number(_ text: String?, _ field: TicketConfigProblem.Field, current: Int) -> Int {
        guard let text else { return current }
        guard let value = OutsideNumber.integer(text.trimmingCharacters(in: .whitespaces), in: Int.min...Int.max)
        else {
            fail(field, "must be a whole number")
            return current
        }
        return value
    }

    /// Text with surrounding spaces removed and Windows line ends made Discord's; `nil` when empty.
    static func text(_ value: String?) -> String? {
        let trimmed = (value ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(
            in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
