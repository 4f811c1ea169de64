public import DiscordModels

/// How one guild runs its tickets: its ticket types, its panels and where its moderation log goes. A new guild
/// gets one "Support" type, one panel offering it and no log, so it is usable before an admin has touched the
/// dashboard.
///
/// Configurations stored before types existed (one staff role, one category, one log channel) decode as a
/// guild with one type holding those settings, one panel, and every log kind routed to the old log channel.
public struct TicketConfig: Sendable, Hashable, Codable {
    /// Never empty (`validate` and `GuildTickets.storedValueProblem` refuse an empty list).
    public var types: [TicketType]
    public var panels: [TicketPanel]
    public var logRouting: LogRouting
    /// The blocklist and the guild-wide limit of new tickets.
    public var access = TicketAccess()

    public static let maximumTypes = 25

    public init(
        types: [TicketType] = [TicketType()], panels: [TicketPanel] = [TicketPanel()],
        logRouting: LogRouting = LogRouting()
    ) {
        self.types = types
        self.panels = panels
        self.logRouting = logRouting
    }

    /// The type old panels and adopted channels belong to.
    public var defaultType: TicketType { types.first ?? TicketType() }

    /// The type with `id`, or the default type when it was deleted (or `id` is `nil`, as for tickets from
    /// before types existed): a ticket keeps working when its type goes away.
    public func type(_ id: Int?) -> TicketType {
        id.flatMap { id in types.first { $0.id == id } } ?? defaultType
    }

    public func existingType(_ id: Int) -> TicketType? { types.first { $0.id == id } }
    public func panel(_ id: Int) -> TicketPanel? { panels.first { $0.id == id } }

    /// An ID no type (or panel) of this guild has now; IDs of deleted ones are not reused while the guild has a
    /// higher one, so a stale button meets "type removed" rather than another type.
    public var nextTypeID: Int { (types.map(\.id).max() ?? 0) + 1 }
    public var nextPanelID: Int { (panels.map(\.id).max() ?? 0) + 1 }

    // MARK: - Codable, with the format from before types

    private enum CodingKeys: String, CodingKey {
        case types, panels, logRouting, access
        // The single configuration of older snapshots.
        case staffRoleID, parentCategoryID, nameTemplate, logChannelID, maximumOpenTicketsPerUser
        case openCooldownSeconds, closePolicy, deleteDelaySeconds, staleAfterHours
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let types = try container.decodeIfPresent([TicketType].self, forKey: .types) {
            self.types = types
            panels = try container.decodeIfPresent([TicketPanel].self, forKey: .panels) ?? []
            logRouting = try container.decodeIfPresent(LogRouting.self, forKey: .logRouting) ?? LogRouting()
            access = try container.decodeIfPresent(TicketAccess.self, forKey: .access) ?? TicketAccess()
            return
        }
        let legacy = TicketType(
            staffRoleIDs: try container.decodeIfPresent(RoleID.self, forKey: .staffRoleID).map { [$0] } ?? [],
            categoryIDs: try container.decodeIfPresent(ChannelID.self, forKey: .parentCategoryID).map { [$0] } ?? [],
            nameTemplate: try container.decodeIfPresent(String.self, forKey: .nameTemplate)
                ?? TicketType.defaultNameTemplate,
            maximumOpenTicketsPerUser: try container.decodeIfPresent(Int.self, forKey: .maximumOpenTicketsPerUser) ?? 1,
            openCooldownSeconds: try container.decodeIfPresent(Int.self, forKey: .openCooldownSeconds) ?? 0,
            closePolicy: try container.decodeIfPresent(TicketType.ClosePolicy.self, forKey: .closePolicy)
                ?? .openerAndStaff,
            deleteDelaySeconds: try container.decodeIfPresent(Int.self, forKey: .deleteDelaySeconds) ?? 10,
            staleAfterHours: try container.decodeIfPresent(Int.self, forKey: .staleAfterHours) ?? 48)
        types = [legacy]
        panels = [TicketPanel(typeIDs: [legacy.id])]
        logRouting = .everything(to: try container.decodeIfPresent(ChannelID.self, forKey: .logChannelID))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(types, forKey: .types)
        try container.encode(panels, forKey: .panels)
        try container.encode(logRouting, forKey: .logRouting)
        if access != TicketAccess() { try container.encode(access, forKey: .access) }
    }
}
