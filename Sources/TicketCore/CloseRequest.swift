public import DiscordModels
public import Foundation

/// Staff asking the member who opened a ticket whether it can be closed (`/ticket close-request`). The member
/// answers with the request's buttons; when the ticket type says so, it closes by itself at `autoCloseAt` if
/// nobody answered (a message from the member counts as an answer and stops that).
public struct CloseRequest: Sendable, Hashable, Codable {
    /// The command's interaction: the request message is its reply.
    public var id: InteractionID
    public var requesterID: UserID
    public var reason: String?
    public var at: Date
    public var autoCloseAt: Date?

    public init(id: InteractionID, requesterID: UserID, reason: String?, at: Date, autoCloseAt: Date?) {
        self.id = id
        self.requesterID = requesterID
        self.reason = reason
        self.at = at
        self.autoCloseAt = autoCloseAt
    }
}

/// The modal the Close button shows when its ticket type asks for a reason, and the reading of its answer.
public enum CloseReasonForm {
    static let inputID = "reason"

    public static func modal(required: Bool) -> InteractionResponse.Modal {
        InteractionResponse.Modal(
            customId: TicketComponentID.closeReason.customID, title: "Close this ticket",
            components: [
                .actionRow([
                    .textInput(
                        customId: inputID, label: "Why is it closed?", paragraph: true,
                        placeholder: required ? nil : "Optional", minLength: nil,
                        maxLength: StaffCommand.maximumReasonLength, required: required)
                ])
            ])
    }

    /// The submitted reason, trimmed and bounded; `nil` when empty or missing (outside input: only the one
    /// input is read).
    public static func reason(from components: [Component]) -> String? {
        let input = components.flatMap(\.flattened).first { $0.type == .textInput && $0.customId == inputID }
        let text = (input?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.prefix(StaffCommand.maximumReasonLength))
    }
}
