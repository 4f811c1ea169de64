extension TicketType {
    /// Whether the Close button asks for a reason first (in a modal).
    public enum CloseReasonPrompt: String, Sendable, Hashable, Codable, CaseIterable {
        /// The button closes at once; `/ticket close reason:` still takes one.
        case never
        /// A modal asks for a reason, which may be left empty.
        case optional
        /// A modal asks for a reason, which must be given.
        case required

        public var label: String {
            switch self {
            case .never: "Close at once"
            case .optional: "Ask for a reason (may be left empty)"
            case .required: "Ask for a reason (required)"
            }
        }
    }

    public var closeReasonPrompt: CloseReasonPrompt {
        get { closeReasonPromptStorage ?? .never }
        set { closeReasonPromptStorage = newValue == .never ? nil : newValue }
    }

    /// Hours after a close request (`/ticket close-request`) that nobody answered before the ticket closes
    /// itself; 0 never closes it.
    public var closeRequestTimeoutHours: Int {
        get { closeRequestTimeoutHoursStorage ?? 0 }
        set { closeRequestTimeoutHoursStorage = newValue == 0 ? nil : newValue }
    }

    /// Hours after the stale reminder before a ticket that is still silent closes itself (the reminder says
    /// so, as the warning); 0 never closes it.
    public var autoCloseAfterReminderHours: Int {
        get { autoCloseAfterReminderHoursStorage ?? 0 }
        set { autoCloseAfterReminderHoursStorage = newValue == 0 ? nil : newValue }
    }

    /// Whether the member who opened a ticket gets its transcript (an HTML file) by DM when it closes.
    public var sendsTranscriptToOpener: Bool {
        get { sendsTranscriptToOpenerStorage ?? false }
        set { sendsTranscriptToOpenerStorage = newValue ? true : nil }
    }

    /// Whether the member is asked (by DM) to rate the ticket from 1 to 5 when it closes.
    public var asksForFeedback: Bool {
        get { asksForFeedbackStorage ?? false }
        set { asksForFeedbackStorage = newValue ? true : nil }
    }

    /// What happens to an open ticket when the member who opened it leaves the server (seen only with member
    /// events: `discord.memberEvents`).
    public enum OpenerLeftAction: String, Sendable, Hashable, Codable, CaseIterable {
        case keep
        /// A notice in the ticket and the log; the ticket stays open.
        case flag
        case close

        public var label: String {
            switch self {
            case .keep: "Nothing"
            case .flag: "Say so in the ticket and the log"
            case .close: "Close the ticket"
            }
        }
    }

    public var whenOpenerLeaves: OpenerLeftAction {
        get { whenOpenerLeavesStorage ?? .keep }
        set { whenOpenerLeavesStorage = newValue == .keep ? nil : newValue }
    }

    public static let closeRequestTimeoutRange = 0...720
    public static let autoCloseAfterReminderRange = 0...720
}
