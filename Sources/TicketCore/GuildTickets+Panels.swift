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
