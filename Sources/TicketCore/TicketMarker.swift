public import DiscordModels

/// The machine-readable marker Aetheria writes into a ticket channel's topic, so that Discord itself says
/// which channels are tickets: after a crash between creating a channel and recording it, the channel is
/// recognised and adopted instead of duplicated.
///
/// Format: `aetheria:ticket:<number>:<opener user ID>` at the end of the topic.
public struct TicketMarker: Sendable, Hashable {
    public static let prefix = GuildSnapshot.ticketMarkerPrefix + "ticket:"

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
        guard fields.count == 2, let number = Int(fields[0]), number > 0,
            let opener = UInt64(fields[1].prefix { $0.isNumber })
        else { return nil }
        self.init(ticketNumber: number, openerID: UserID(opener))
    }
}
