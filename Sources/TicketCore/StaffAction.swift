public import DiscordModels
public import Foundation

/// One thing a staff member did inside a ticket with `/ticket …`, recorded before it is carried out in Discord
/// (see `Ticket.pendingStaffActions`). Its ID is the command's interaction ID: unique, and written into the
/// notice and the log entry, so that after a crash a posted one is recognised and not posted twice.
public struct StaffAction: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case addMember = "add_member"
        case addRole = "add_role"
        case removeMember = "remove_member"
        case removeRole = "remove_role"
        case claim
        case unclaim
        case transfer
        case rename
        case note
        case reopen
    }

    public var id: InteractionID
    public var kind: Kind
    public var actorID: UserID
    /// The member added, removed or handed the ticket; for `unclaim` and `transfer`, the previous claimer is
    /// `previousClaimerID`.
    public var memberID: UserID?
    public var roleID: RoleID?
    public var previousClaimerID: UserID?
    /// The previous claimer's display name, so a refused `unclaim` or `transfer` gives the ticket back by name.
    public var previousClaimerName: String?
    /// For `reopen`: the close it took back, so a reopen Discord refused leaves the ticket closed as it was.
    public var undoneClose: UndoneClose?
    /// The new channel name, or the note.
    public var text: String?
    /// Whether the channel's topic is rewritten (it shows the claimer) within Discord's edit limit.
    public var updatesTopic: Bool
    public var at: Date
    /// The command's interaction token (valid 15 minutes), so that after a restart the staff member's own
    /// "thinking…" reply is finished rather than a second message posted.
    public var replyToken: String?

    /// Interaction tokens are short; a stored one longer than this is not trusted.
    public static let maximumTokenLength = 500

    /// `token` when it is short enough to keep (a forged or odd one is dropped; the notice is then posted).
    static func kept(_ token: String?) -> String? {
        token.flatMap { $0.count <= maximumTokenLength ? $0 : nil }
    }

    public init(
        id: InteractionID, kind: Kind, actorID: UserID, memberID: UserID? = nil, roleID: RoleID? = nil,
        previousClaimerID: UserID? = nil, text: String? = nil, updatesTopic: Bool = false, at: Date
    ) {
        self.id = id
        self.kind = kind
        self.actorID = actorID
        self.memberID = memberID
        self.roleID = roleID
        self.previousClaimerID = previousClaimerID
        self.text = text
        self.updatesTopic = updatesTopic
        self.at = at
    }

    /// The reply token while Discord still takes it (`OpenWorkflow.replyLifetime`, as for openings).
    public func liveReplyToken(now: Date) -> String? {
        now.timeIntervalSince(at) < OpenWorkflow.replyLifetime ? replyToken : nil
    }

    /// The footer of its notice and log entry, by which a restarted process finds what was already posted.
    public var footer: String { "Action \(id)" }
}

/// The close a `reopen` took back (see `StaffAction.undoneClose`).
public struct UndoneClose: Sendable, Hashable, Codable {
    public var closerID: UserID?
    public var closeReason: String?
    public var closeRequestedAt: Date?
    public var closedAt: Date
    public var deleteAt: Date
    public var transcriptSaved: Bool

    public init(
        closerID: UserID?, closeReason: String?, closeRequestedAt: Date?, closedAt: Date, deleteAt: Date,
        transcriptSaved: Bool
    ) {
        self.closerID = closerID
        self.closeReason = closeReason
        self.closeRequestedAt = closeRequestedAt
        self.closedAt = closedAt
        self.deleteAt = deleteAt
        self.transcriptSaved = transcriptSaved
    }
}

/// A staff-only note on a ticket.
public struct StaffNote: Sendable, Hashable, Codable {
    public var authorID: UserID
    public var text: String
    public var at: Date

    public init(authorID: UserID, text: String, at: Date) {
        self.authorID = authorID
        self.text = text
        self.at = at
    }
}
