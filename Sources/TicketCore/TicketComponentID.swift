public import DiscordModels

/// The custom IDs of Aetheria's buttons, select menus and modals. They come back from Discord in every
/// component and modal interaction, and anyone can forge an interaction's data in a self-bot: numbers in them
/// are parsed strictly and only ever looked up, never used for arithmetic.
public enum TicketComponentID: Sendable, Hashable {
    /// A panel's button: open a ticket of a type (`nil`: the default type, as panels from before types had).
    case open(typeID: Int?)
    /// A panel's select menu (the chosen type is in the interaction's values).
    case choose(panelID: Int)
    /// The questions modal of a type, submitted.
    case form(typeID: Int)
    case close
    /// The close-reason modal of the Close button, submitted.
    case closeReason
    /// The opener's answer to a close request: close now, or keep the ticket open.
    case closeRequestAnswer(accept: Bool)
    /// A star button in the DM that asks the member to rate a closed ticket (the guild is named because a DM
    /// has none; it is only ever looked up, and the rating is checked against the stored transcript).
    case rate(guildID: GuildID, number: Int, stars: Int)
    /// The comment modal that follows a star, submitted.
    case feedback(guildID: GuildID, number: Int, stars: Int)

    public static let starsRange = 1...5

    static let prefix = "aetheria:ticket:"

    public var customID: String {
        switch self {
        case .open(nil): Self.prefix + "open"
        case .open(let typeID?): Self.prefix + "open:\(typeID)"
        case .choose(let panelID): Self.prefix + "choose:\(panelID)"
        case .form(let typeID): Self.prefix + "form:\(typeID)"
        case .close: Self.prefix + "close"
        case .closeReason: Self.prefix + "close-reason"
        case .closeRequestAnswer(let accept): Self.prefix + (accept ? "close-request:accept" : "close-request:decline")
        case .rate(let guildID, let number, let stars): Self.prefix + "rate:\(guildID):\(number):\(stars)"
        case .feedback(let guildID, let number, let stars): Self.prefix + "feedback:\(guildID):\(number):\(stars)"
        }
    }

    public init?(_ customID: String) {
        guard customID.utf8.count <= 100, customID.hasPrefix(Self.prefix) else { return nil }
        let parts = customID.dropFirst(Self.prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        func number(_ index: Int) -> Int? {
            guard parts.count == index + 1 else { return nil }
            return OutsideNumber.integer(parts[index], in: TicketType.idRange)
        }
        switch parts.first {
        case "open" where parts.count == 1: self = .open(typeID: nil)
        case "open": guard let id = number(1) else { return nil }; self = .open(typeID: id)
        case "choose": guard let id = number(1) else { return nil }; self = .choose(panelID: id)
        case "form": guard let id = number(1) else { return nil }; self = .form(typeID: id)
        case "close" where parts.count == 1: self = .close
        case "close-reason" where parts.count == 1: self = .closeReason
        case "close-request" where parts.count == 2 && parts[1] == "accept": self = .closeRequestAnswer(accept: true)
        case "close-request" where parts.count == 2 && parts[1] == "decline": self = .closeRequestAnswer(accept: false)
        case "rate" where parts.count == 4, "feedback" where parts.count == 4:
            guard let guildID = OutsideNumber.integer(parts[1], in: UInt64(1)...UInt64.max),
                let number = OutsideNumber.integer(parts[2], in: 1...Ticket.maximumNumber),
                let stars = OutsideNumber.integer(parts[3], in: Self.starsRange)
            else { return nil }
            self =
                parts[0] == "rate"
                ? .rate(guildID: GuildID(guildID), number: number, stars: stars)
                : .feedback(guildID: GuildID(guildID), number: number, stars: stars)
        default: return nil
        }
    }
}
