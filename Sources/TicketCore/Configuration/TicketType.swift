public import DiscordModels

/// One kind of ticket a guild offers ("Billing", "Appeals", "Report a member"), with its own staff, categories,
/// channel names, welcome text, questions and limits. Every guild has at least one; the first is the one old
/// panels (posted before types existed) open.
public struct TicketType: Sendable, Hashable, Codable, Identifiable {
    /// Who may close a ticket.
    public enum ClosePolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// The member who opened it and the support staff.
        case openerAndStaff = "opener_and_staff"
        /// Only support staff (a staff role of the type, or members with Administrator or Manage Channels).
        case staffOnly = "staff_only"
    }

    /// Stable for the guild's lifetime (panels' buttons carry it), never reused after a type is deleted.
    public var id: Int
    public var name: String
    /// A Unicode emoji shown on the panel's button or select option (custom emoji are not supported).
    public var emoji: String?
    /// One line under the name in a select menu and on the dashboard.
    public var summary: String
    /// Members with any of these roles see and answer this type's tickets.
    public var staffRoleIDs: [RoleID]
    /// Where new channels go, in order: the first that is not full (Discord allows 50 channels per category).
    /// Empty puts them at the top of the channel list.
    public var categoryIDs: [ChannelID]
    /// Channel name template; `{username}`, `{number}` and `{type}` are replaced (see `TicketChannelName`).
    public var nameTemplate: String
    /// Discord markdown posted in the new ticket; `nil` posts the standard greeting.
    public var welcomeText: String?
    public var maximumOpenTicketsPerUser: Int
    /// Seconds a member waits after opening any ticket before opening one of this type.
    public var openCooldownSeconds: Int
    public var closePolicy: ClosePolicy
    /// Seconds between closing a ticket and deleting its channel.
    public var deleteDelaySeconds: Int
    /// Hours without a message after which a ticket gets one friendly reminder.
    public var staleAfterHours: Int
    /// Asked in a modal before the channel is made; empty opens at once.
    public var questions: [TicketQuestion]
    /// See `claimMode` (`TicketType+Claiming.swift`); optional so that older snapshots decode.
    var claimModeStorage: ClaimMode?
    /// See `TicketType+Closing.swift`; optional for the same reason.
    var closeReasonPromptStorage: CloseReasonPrompt?
    var closeRequestTimeoutHoursStorage: Int?
    var autoCloseAfterReminderHoursStorage: Int?
    var sendsTranscriptToOpenerStorage: Bool?
    var asksForFeedbackStorage: Bool?
    var whenOpenerLeavesStorage: OpenerLeftAction?

    public static let defaultNameTemplate = "ticket-{username}"

    public init(
        id: Int = 1, name: String = "Support", emoji: String? = "📩", summary: String = "Talk privately with the staff",
        staffRoleIDs: [RoleID] = [], categoryIDs: [ChannelID] = [], nameTemplate: String = defaultNameTemplate,
        welcomeText: String? = nil, maximumOpenTicketsPerUser: Int = 1, openCooldownSeconds: Int = 0,
        closePolicy: ClosePolicy = .openerAndStaff, deleteDelaySeconds: Int = 10, staleAfterHours: Int = 48,
        questions: [TicketQuestion] = []
    ) {
        self.id = id
        self.name = name
        self.emoji = emoji
        self.summary = summary
        self.staffRoleIDs = staffRoleIDs
        self.categoryIDs = categoryIDs
        self.nameTemplate = nameTemplate
        self.welcomeText = welcomeText
        self.maximumOpenTicketsPerUser = maximumOpenTicketsPerUser
        self.openCooldownSeconds = openCooldownSeconds
        self.closePolicy = closePolicy
        self.deleteDelaySeconds = deleteDelaySeconds
        self.staleAfterHours = staleAfterHours
        self.questions = questions
    }

    /// The ranges the dashboard and the validator accept.
    public static let idRange = 1...1_000_000
    public static let nameLength = 1...45
    public static let summaryLength = 0...100
    public static let welcomeLength = 0...2_000
    public static let maximumStaffRoles = 10
    public static let maximumCategories = 5
    public static let maximumQuestions = 5
    public static let openTicketLimitRange = 1...10
    public static let cooldownRange = 0...86_400
    public static let deleteDelayRange = 0...86_400
    public static let staleAfterRange = 1...8_760
}
