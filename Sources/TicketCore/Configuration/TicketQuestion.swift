/// A question asked in the modal a member fills in before their ticket opens (a Discord text input).
public struct TicketQuestion: Sendable, Hashable, Codable {
    public enum Style: String, Sendable, Hashable, Codable, CaseIterable {
        /// One line (text input style 1).
        case short
        /// Several lines (text input style 2).
        case paragraph
    }

    /// The label above the input (Discord: 1–45 characters).
    public var label: String
    public var placeholder: String?
    public var style: Style
    public var required: Bool
    /// Length bounds the member's answer must meet (Discord: 0–4000 and 1–4000).
    public var minimumLength: Int
    public var maximumLength: Int

    public init(
        label: String, placeholder: String? = nil, style: Style = .short, required: Bool = true,
        minimumLength: Int = 0, maximumLength: Int = 1_000
    ) {
        self.label = label
        self.placeholder = placeholder
        self.style = style
        self.required = required
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    public static let labelLength = 1...45
    public static let placeholderLength = 0...100
    public static let minimumLengthRange = 0...4_000
    public static let maximumLengthRange = 1...4_000
}

/// A member's answer to one question, kept with the ticket (shown in it, in its transcript and searchable).
public struct TicketAnswer: Sendable, Hashable, Codable {
    public var question: String
    public var answer: String

    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}
