public import DiscordModels

/// The machine-readable marker Aetheria writes into a ticket channel's topic, so that Discord itself says
/// which channels are tickets: after a crash between creating a channel and recording it, the channel is
/// recognised and adopted instead of duplicated.
///
/// Format: `aetheria:ticket:<number>:<opener user ID>` at the end of the topic.
public struct TicketMarker: Sendable, Hashable {
    /// What every topic marker of Aetheria's contains; the guild's Discord view keeps only such topics.
    public static let namespace = "aetheria:"
    public static let prefix = namespace + "ticket:"

    /// `topic` when it may hold a marker (worth its memory in the guild's view), else `nil`.
    public static func keptTopic(_ topic: String) -> String? { topic.contains(namespace) ? topic : nil }

    public var ticketNumber: Int
    public var openerID: UserID

    public init(ticketNumber: Int, openerID: UserID) {
        self.ticketNumber = ticketNumber
        self.openerID = openerID
    }

    public var text: String { "\(Self.prefix)\(ticketNumber):\(openerID)" }

    /// The topic of a new ticket channel: a line people read, then the marker.
    public func topic(openerName: String) -> String {
        "Support ticket #\(ticketNumber) opened by \(openerName) · \(text)"
    }

    /// Finds the marker in a topic; `nil` for any topic that is not a well-formed marker.
    public init?(topic: String) {
        guard let range = topic.range(of: Self.prefix, options: .backwards) else { return nil }
        let fields = topic[range.upperBound...].split(separator: ":", maxSplits: 2)
        // Anyone who can edit a channel can write a topic: numbers are checked, never trusted.
        guard fields.count == 2, let number = OutsideNumber.integer(fields[0], in: 1...Ticket.maximumNumber),
            let opener = OutsideNumber.integer(
                fields[1].prefix { $0.isASCII && $0.isNumber }, in: UInt64(1)...UInt64.max)
        else { return nil }
        self.init(ticketNumber: number, openerID: UserID(opener))
    }
}
