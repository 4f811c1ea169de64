public import DiscordModels
public import Foundation

/// One support ticket from the click that asked for it until its channel is deleted.
///
/// `opening` (intent persisted, channel not yet confirmed) → `open` → `closing` (locked, transcript being made)
/// → `closed` (transcript saved, channel deletion due at `deleteAt`). Deleting the channel archives the ticket:
/// it leaves the guild's active list and lives on as its transcript record.
public struct Ticket: Sendable, Hashable, Codable {
    /// No guild reaches a billion tickets; a number above this (in a channel topic's marker, a stored snapshot or
    /// a query string) is forged or corrupt and is refused, so that numbering can never overflow.
    public static let maximumNumber = 999_999_999

    public enum State: String, Sendable, Hashable, Codable {
        case opening
        case open
        case closing
        case closed
    }

    /// The interaction that asked for the ticket, kept so the deferred reply can be finished after a restart
    /// (interaction tokens live 15 minutes) and so a replayed interaction is recognised.
    public struct OpeningInteraction: Sendable, Hashable, Codable {
        public var id: InteractionID
        public var token: String
        public var receivedAt: Date

        public init(id: InteractionID, token: String, receivedAt: Date) {
            self.id = id
            self.token = token
            self.receivedAt = receivedAt
        }
    }

    public var number: Int
    /// The `TicketType` it was opened as; `nil` for tickets from before types existed (the default type).
    public var typeID: Int?
    public var state: State
    public var openerID: UserID
    public var openerName: String
    public var channelName: String
    public var channelID: ChannelID?
    public var openingInteraction: OpeningInteraction?
    public var openedAt: Date
    /// Last message by a person (bots, including Aetheria's own reminders, do not count).
    public var lastActivityAt: Date
    /// When the stale reminder for the current idle period was posted; cleared by the next message.
    public var reminderSentAt: Date?
    /// The reminder recorded in `reminderSentAt` is known to be in the channel. `nil` (not `false`) when it was
    /// recorded but not confirmed: after a crash the channel is looked at before it is posted again.
    public var reminderPosted: Bool?
    /// What the guild has not been told yet about this ticket (an outbox): set in the same write as the state
    /// change that causes it, cleared once posted, so a crash in between is finished after the restart.
    public var pendingAnnouncements: [Announcement]?

    public enum Announcement: String, Sendable, Hashable, Codable {
        /// The welcome, the opener's link and the "created" audit entry.
        case created
        /// The closing notice and the "closed" audit entry.
        case closed
        /// The transcript to the transcripts channel and to the member by DM, with the rating buttons: only in
        /// snapshots of older versions; deliveries are now the guild's own outbox (`TranscriptDelivery`), so
        /// that they outlive the ticket's channel. Read as "queue this ticket's delivery".
        case delivery
    }
    public var firstStaffResponseAt: Date?
    /// Who wrote that first response (optional: older snapshots lack it).
    public var firstResponderID: UserID?
    public var messageCount: Int
    public var closerID: UserID?
    public var closeReason: String?
    public var closeRequestedAt: Date?
    public var transcriptSaved: Bool
    /// The number its transcript was stored under when it is not `number`: the store already held another
    /// channel's transcript under `number` (a forged marker, or numbering restarted after a lost snapshot).
    public var transcriptNumber: Int?
    public var closedAt: Date?
    public var deleteAt: Date?
    /// The member's answers to the type's questions, in question order (`nil` when there were none).
    public var answers: [TicketAnswer]?
    /// The staff member answering it (`/ticket claim`); see `GuildTickets+StaffActions.swift`. Like the fields
    /// below, optional so that older snapshots decode.
    public var claimerID: UserID?
    /// The claimer's display name when they claimed it, for the dashboard (members are not cached).
    public var claimerName: String?
    /// Members and roles staff added with `/ticket add` (the opener and the type's staff roles are not here).
    public var addedMemberIDs: [UserID]?
    public var addedRoleIDs: [RoleID]?
    /// Staff-only notes (`/ticket note`), oldest first: in the transcript, never shown to the member.
    public var notes: [StaffNote]?
    /// When the channel's name or topic was last changed by Aetheria (Discord allows two per 10 minutes).
    public var channelEditTimes: [Date]?
    /// Staff actions recorded but not yet carried out in Discord and announced (an outbox, like
    /// `pendingAnnouncements`): a crash in between finishes them after the restart.
    public var pendingStaffActions: [StaffAction]?
    /// Staff asked the opener whether the ticket can be closed (`/ticket close-request`); cleared by the answer.
    public var closeRequest: CloseRequest?
    /// When the opener was seen leaving the server (flagged once, not again on a replayed event).
    public var openerLeftAt: Date?
    /// The ticket's workflow (its opening or its close) failed and is tried again on the guild's
    /// `RetrySchedule`; cleared when it gets past the step that failed.
    public var retry: RetryState?

    public init(
        number: Int, typeID: Int? = nil, openerID: UserID, openerName: String, channelName: String,
        openingInteraction: OpeningInteraction?, openedAt: Date, answers: [TicketAnswer]? = nil
    ) {
        self.number = number
        self.typeID = typeID
        self.answers = answers
        self.state = .opening
        self.openerID = openerID
        self.openerName = openerName
        self.channelName = channelName
        self.openingInteraction = openingInteraction
        self.openedAt = openedAt
        self.lastActivityAt = openedAt
        self.messageCount = 0
        self.transcriptSaved = false
    }

    /// The staff member who closed it (`nil` when the member closed it themselves, or it closed by itself).
    public var closedByStaff: UserID? { closerID.flatMap { $0 == openerID ? nil : $0 } }

    /// Who answers for it: the claimer, else the staff member who closed it, else who answered first.
    public var responsibleStaff: UserID? { claimerID ?? closedByStaff ?? firstResponderID }

    /// Counts toward the opener's limit of open tickets.
    public var isActive: Bool { state == .opening || state == .open }
}
