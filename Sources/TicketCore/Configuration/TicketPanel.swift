public import DiscordModels

/// A message members open tickets from: a styled embed with a button per type or one select menu listing
/// them. A guild may have several (a "Support" panel in #help, an "Appeals" panel in #appeals).
public struct TicketPanel: Sendable, Hashable, Codable, Identifiable {
    public enum Layout: String, Sendable, Hashable, Codable, CaseIterable {
        case buttons
        case selectMenu = "select_menu"
    }

    /// Stable for the guild's lifetime (the select menu's custom ID carries it).
    public var id: Int
    /// What admins call it (the `/ticket-setup` autocomplete and the dashboard); members never see it.
    public var name: String
    public var title: String
    /// Discord markdown under the title.
    public var text: String
    /// The embed's colour, 0xRRGGBB.
    public var colour: Int
    /// A large image under the text; only `https://` URLs are accepted.
    public var imageURL: String?
    public var layout: Layout
    /// The types offered, in order.
    public var typeIDs: [Int]

    public init(
        id: Int = 1, name: String = "Support", title: String = "🎫 Need help?",
        text: String = TicketPanel.defaultText, colour: Int = 0x5865F2, imageURL: String? = nil,
        layout: Layout = .buttons, typeIDs: [Int] = [1]
    ) {
        self.id = id
        self.name = name
        self.title = title
        self.text = text
        self.colour = colour
        self.imageURL = imageURL
        self.layout = layout
        self.typeIDs = typeIDs
    }

    public static let defaultText = """
        Click a button below to talk privately with the support team.
        Only you and the staff will see your ticket.
        """

    public static let maximumPanels = 25
    public static let nameLength = 1...45
    public static let titleLength = 1...256
    public static let textLength = 0...4_000
    public static let colourRange = 0...0xFF_FFFF
    public static let imageURLLength = 9...2_048
    /// Discord allows 5 rows of 5 buttons; one select menu lists up to 25 options.
    public static let maximumTypes = 25
}

/// Where a panel was posted, so an edited panel updates its messages and a deleted message is forgotten.
public struct PanelPlacement: Sendable, Hashable, Codable {
    public var panelID: Int
    public var channelID: ChannelID
    public var messageID: MessageID

    public init(panelID: Int, channelID: ChannelID, messageID: MessageID) {
        self.panelID = panelID
        self.channelID = channelID
        self.messageID = messageID
    }
}
