public import DiscordModels

/// The machine-readable marker Aetheria writes into a ticket channel's topic, so that Discord itself says
/// which channels are tickets: after a crash between creating a channel and recording it, the channel is
/// recognised and adopted instead of duplicated.
///
/// Format: `aetheria:ticket:<number>:<opener user ID>[:<type ID>]` at the end of the topic. The type was added
/// later: older markers lack it, and an older Aetheria reads a new marker's number and opener all the same.
public struct TicketMarker: Sendable, Hashable {
    /// What every topic marker of Aetheria's contains; the guild's Discord view keeps only such topics.
    public static let namespace = "aetheria:"
    public static let prefix = namespace + "ticket:"

    /// `topic` when it may hold a marker (worth its memory in the guild's view), else `nil`.
    public static func keptTopic(_ topic: String) -> String? { topic.contains(namespace) ? topic : nil }

    public var ticketNumber: Int
    public var openerID: UserID
    /// The ticket's type, so a channel adopted after its snapshot was lost keeps its type. Only a hint: it is
    /// used only when the guild has a type of that ID.
    public var typeID: Int?

    public init(ticketNumber: Int, openerID: UserID, typeID: Int? = nil) {
        self.ticketNumber = ticketNumber
        self.openerID = openerID
        self.typeID = typeID
    }

    public var text: String { "\(Self.prefix)\(ticketNumber):\(openerID)" + (typeID.map { ":\($0)" } ?? "") }

    /// Whether both name the same ticket (number and opener), whatever type either carries.
    public func isSameTicket(as other: TicketMarker) -> Bool {
        ticketNumber == other.ticketNumber && openerID == other.openerID
    }

    /// A ticket channel's topic: a line people read (who opened it, who claimed it), then the marker.
    public func topic(openerName: String, claimerID: UserID? = nil) -> String {
        let claimed = claimerID.map { " · claimed by <@\($0)>" } ?? ""
        return "Support ticket #\(ticketNumber) opened by \(openerName)\(claimed) · \(text)"
    }

    /// Finds the marker in a topic; `nil` for any topic that is not a well-formed marker.
    public init?(topic: String) {
        guard let range = topic.range(of: Self.prefix, options: .backwards) else { return nil }
        let fields = topic[range.upperBound...].split(separator: ":", maxSplits: 3)
        func digits(_ field: Substring) -> Substring { field.prefix { $0.isASCII && $0.isNumber } }
        // Anyone who can edit a channel can write a topic: numbers are checked, never trusted.
        guard fields.count >= 2, let number = OutsideNumber.integer(fields[0], in: 1...Ticket.maximumNumber),
            let opener = OutsideNumber.integer(digits(fields[1]), in: UInt64(1)...UInt64.max)
        else { return nil }
        // A type that does not parse is no type: the ticket is still recognised.
        let typeID = fields.count >= 3 ? OutsideNumber.integer(digits(fields[2]), in: TicketType.idRange) : nil
        self.init(ticketNumber: number, openerID: UserID(opener), typeID: typeID)
    }
}
