public import DiscordModels

extension GuildTickets {
    /// At most this many posted panel messages are remembered (the oldest are forgotten first).
    static let maximumPanelPlacements = 100

    /// Where the guild's panels were posted.
    public var panelPlacements: [PanelPlacement] { panelPlacementsStorage ?? [] }

    /// A panel message was posted: remember it, so edits of the panel reach it.
    public mutating func placePanel(_ placement: PanelPlacement) {
        // A panel posted while the others are current leaves them all current; otherwise they stay due.
        if !postedPanelsNeedRefresh { panelsRevisionStorage = settingsRevision }
        var placements = panelPlacements.filter { $0.messageID != placement.messageID }
        placements.append(placement)
        panelPlacementsStorage = Array(placements.suffix(Self.maximumPanelPlacements))
    }

    /// A panel message is gone (deleted in Discord, or its channel deleted): forget it. Returns it, if known.
    @discardableResult
    public mutating func forgetPanelMessage(_ messageID: MessageID) -> PanelPlacement? {
        guard let placement = panelPlacements.first(where: { $0.messageID == messageID }) else { return nil }
        panelPlacementsStorage = panelPlacements.filter { $0.messageID != messageID }
        return placement
    }

    /// Posted panels may show an older configuration: a settings change was stored but the process stopped
    /// before the panels were edited. After a restart they are all edited once.
    public var postedPanelsNeedRefresh: Bool {
        !panelPlacements.isEmpty && (panelsRevisionStorage ?? settingsRevision) < settingsRevision
    }

    /// The posted panels show the configuration of `revision`.
    public mutating func panelsRefreshed(upTo revision: Int) {
        panelsRevisionStorage = max(panelsRevisionStorage ?? 0, revision)
    }

    /// Forgets every panel message in a deleted channel.
    public mutating func forgetPanels(inChannel channelID: ChannelID) {
        guard panelPlacements.contains(where: { $0.channelID == channelID }) else { return }
        panelPlacementsStorage = panelPlacements.filter { $0.channelID != channelID }
    }
}

/// The panel message a member clicked, as Discord attached it to the interaction: who posted it and what it
/// offers. An opening is checked against it, because the interaction's own data (the custom ID, the select
/// values, the modal's custom ID) is whatever the member's client sent.
public struct PanelMessage: Sendable, Hashable {
    public var messageID: MessageID
    public var authorID: UserID
    /// Every component custom ID on the message.
    public var customIDs: Set<String>
    /// The values each select menu on the message offers, by the menu's custom ID.
    public var selectOptions: [String: Set<String>]

    public init(messageID: MessageID, authorID: UserID, customIDs: Set<String>, selectOptions: [String: Set<String>]) {
        self.messageID = messageID
        self.authorID = authorID
        self.customIDs = customIDs
        self.selectOptions = selectOptions
    }

    public init(_ message: Message) {
        var customIDs = Set<String>()
        var selectOptions: [String: Set<String>] = [:]
        for component in (message.components ?? []).flatMap(\.flattened) {
            guard let customID = component.customId else { continue }
            customIDs.insert(customID)
            if let options = component.options { selectOptions[customID] = Set(options.map(\.value)) }
        }
        self.init(
            messageID: message.id, authorID: message.author.id, customIDs: customIDs, selectOptions: selectOptions)
    }
}

extension GuildTickets {
    /// The type a member may open from `panel`, or `nil` when that panel does not offer it. `choice` is the
    /// component the member used (a button's type, or a select menu with `selectedValue`); for the questions
    /// modal of `formTypeID`, the panel it was opened from (Discord attaches it to the submission).
    ///
    /// The message must be the bot's own and carry what the member used (the button, or the menu listing the
    /// value); the type must be on the panel as stored now (for a message posted before placements were kept,
    /// on any panel). A type on no panel cannot be opened by members. A button without a type is a panel from
    /// before types, which opens the default type.
    public func typeOffered(
        by panel: PanelMessage?, choice: TicketComponentID? = nil, selectedValue: String? = nil,
        formTypeID: Int? = nil, botID: UserID
    ) -> TicketType? {
        guard let panel, panel.authorID == botID else { return nil }
        let placement = panelPlacements.first { $0.messageID == panel.messageID }
        let storedPanel = placement.flatMap { placement in config.panels.first { $0.id == placement.panelID } }
        if placement != nil, storedPanel == nil { return nil }  // the panel this message shows was deleted
        let offeredTypeIDs = storedPanel?.typeIDs ?? config.panels.flatMap(\.typeIDs)
        /// Whether the message itself offers `typeID`, by a button or by a select menu of this panel.
        func messageOffers(_ typeID: Int) -> Bool {
            if panel.customIDs.contains(TicketComponentID.open(typeID: typeID).customID) { return true }
            return panel.selectOptions.contains { customID, values in
                guard case .choose(let panelID)? = TicketComponentID(customID) else { return false }
                return (placement.map { $0.panelID == panelID } ?? true) && values.contains(String(typeID))
            }
        }
        let typeID: Int
        switch (choice, formTypeID) {
        case (.open(nil)?, nil):
            // A panel from before types: its one button opens the default type.
            return panel.customIDs.contains(TicketComponentID.open(typeID: nil).customID) ? config.defaultType : nil
        case (.open(let buttonType?)?, nil):
            guard panel.customIDs.contains(TicketComponentID.open(typeID: buttonType).customID) else { return nil }
            typeID = buttonType
        case (.choose(let panelID)?, nil):
            if let placement, placement.panelID != panelID { return nil }
            guard let value = selectedValue,
                panel.selectOptions[TicketComponentID.choose(panelID: panelID).customID]?.contains(value) == true,
                let chosen = OutsideNumber.integer(value, in: TicketType.idRange)
            else { return nil }
            typeID = chosen
        case (nil, let form?):
            guard messageOffers(form) else { return nil }
            typeID = form
        default:
            return nil
        }
        guard offeredTypeIDs.contains(typeID) else { return nil }
        return config.existingType(typeID)
    }
}
