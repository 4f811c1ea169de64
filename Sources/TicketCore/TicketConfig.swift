public import DiscordModels

/// How one guild runs its tickets. Every field has a default that works for a new guild, so a guild is usable
/// before an admin has touched the dashboard.
public struct TicketConfig: Sendable, Hashable, Codable {
    /// Who may close a ticket.
    public enum ClosePolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// The member who opened it and the support staff.
        case openerAndStaff = "opener_and_staff"
        /// Only support staff (the staff role, or members with Administrator or Manage Channels).
        case staffOnly = "staff_only"
    }

    /// Members with this role see and answer every ticket.
    public var staffRoleID: RoleID?
    /// Category new ticket channels go under; `nil` puts them at the top of the channel list.
    public var parentCategoryID: ChannelID?
    /// Channel name template; `{username}` and `{number}` are replaced (see `TicketChannelName`).
    public var nameTemplate: String
    /// Where ticket events are logged; `nil` logs nothing.
    public var logChannelID: ChannelID?
    public var maximumOpenTicketsPerUser: Int
    /// Seconds a member waits after opening a ticket before opening another.
    public var openCooldownSeconds: Int
    public var closePolicy: ClosePolicy
    /// Seconds between closing a ticket and deleting its channel.
    public var deleteDelaySeconds: Int
    /// Hours without a message after which a ticket gets one friendly reminder.
    public var staleAfterHours: Int

    public static let defaultNameTemplate = "ticket-{username}"

    public init(
        staffRoleID: RoleID? = nil, parentCategoryID: ChannelID? = nil, nameTemplate: String = defaultNameTemplate,
        logChannelID: ChannelID? = nil, maximumOpenTicketsPerUser: Int = 1, openCooldownSeconds: Int = 0,
        closePolicy: ClosePolicy = .openerAndStaff, deleteDelaySeconds: Int = 10, staleAfterHours: Int = 48
    ) {
        self.staffRoleID = staffRoleID
        self.parentCategoryID = parentCategoryID
        self.nameTemplate = nameTemplate
        self.logChannelID = logChannelID
        self.maximumOpenTicketsPerUser = maximumOpenTicketsPerUser
        self.openCooldownSeconds = openCooldownSeconds
        self.closePolicy = closePolicy
        self.deleteDelaySeconds = deleteDelaySeconds
        self.staleAfterHours = staleAfterHours
    }

    /// The ranges the dashboard and the validator accept.
    public static let openTicketLimitRange = 1...10
    public static let cooldownRange = 0...86_400
    public static let deleteDelayRange = 0...86_400
    public static let staleAfterRange = 1...8_760
}
