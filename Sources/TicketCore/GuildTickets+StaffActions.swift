public import DiscordModels
public import Foundation

/// The rules of `/ticket` inside a ticket: who may do what, what it changes in the record, and what is left to
/// carry out in Discord (`StaffAction`, kept in the ticket's outbox until it is done and announced).
extension GuildTickets {
    public enum StaffActionDecision: Sendable, Hashable {
        /// Not done; the text says why, to the member who asked only.
        case refused(String)
        /// Recorded (the record already shows it); carry it out, then `staffActionDone`.
        case recorded(StaffAction, Ticket)
    }

    static let botStays =
        "Aetheria is in every ticket already and stays in it: without its access the ticket could not be closed."

    /// The refusals every `/ticket` rule starts with.
    static let notInATicket = "This command works inside a ticket channel."
    static let onlyStaff = "Only the support staff can use `/ticket` commands."

    /// Discord allows a channel's name or topic to change twice per 10 minutes.
    public static let channelEditWindow: TimeInterval = 600
    public static let channelEditsPerWindow = 2
    /// Bounds of what one ticket keeps.
    public static let maximumAddedMembers = 25
    public static let maximumAddedRoles = 10
    public static let maximumNotes = 50
    public static let maximumPendingStaffActions = 20

    /// When the channel may be renamed again; `nil` when it may be now.
    public func nextChannelEdit(of ticket: Ticket, now: Date) -> Date? {
        let recent = (ticket.channelEditTimes ?? []).filter { now.timeIntervalSince($0) < Self.channelEditWindow }
        guard recent.count >= Self.channelEditsPerWindow, let oldest = recent.min() else { return nil }
        return oldest.addingTimeInterval(Self.channelEditWindow)
    }

    /// Decides and records one staff command (all but `close`, which is the close workflow's). `targetIsStaff`
    /// says whether the member a `transfer` names holds a staff role of the ticket's type, and
    /// `targetIsMember` whether the member an `add` names is in the guild (both from the bot's own view of
    /// the member, never the interaction's); `botID` is Aetheria itself, which no command may add, remove or
    /// hand a ticket to (removing its overwrite locks it out of the ticket, and the close then fails for good).
    /// `names` are the display names Discord sent with the command (the claimer's is kept for the dashboard).
    public mutating func recordStaffAction(
        _ command: StaffCommand, guildID: GuildID, inChannel channelID: ChannelID, by actorID: UserID,
        actorIsStaff: Bool, targetIsStaff: Bool = false, targetIsMember: Bool = true, botID: UserID? = nil,
        names: [UserID: String] = [:], actionID: InteractionID, replyToken: String? = nil, now: Date
    ) -> StaffActionDecision {
        guard let ticket = ticket(inChannel: channelID) else {
            return .refused(Self.notInATicket)
        }
        guard actorIsStaff else { return .refused(Self.onlyStaff) }
        if command == .reopen {
            return recordReopen(ticket, by: actorID, actionID: actionID, replyToken: replyToken, now: now)
        }
        guard ticket.state == .open else { return .refused("This ticket is closing or closed.") }
        guard (ticket.pendingStaffActions ?? []).count < Self.maximumPendingStaffActions else {
            return .refused("Too many actions are still being carried out in this ticket; try again in a moment.")
        }
        let type = self.type(of: ticket)
        var action = StaffAction(id: actionID, kind: .claim, actorID: actorID, at: now)
        action.replyToken = StaffAction.kept(replyToken)
        var updated = ticket
        switch command {
        case .addMember(let memberID):
            guard memberID != botID else { return .refused(Self.botStays) }
            guard targetIsMember else { return .refused("<@\(memberID)> is not a member of this server.") }
            guard memberID != ticket.openerID, !(ticket.addedMemberIDs ?? []).contains(memberID) else {
                return .refused("<@\(memberID)> is already in this ticket.")
            }
            guard (ticket.addedMemberIDs ?? []).count < Self.maximumAddedMembers else {
                return .refused("A ticket holds at most \(Self.maximumAddedMembers) added members.")
            }
            updated.addedMemberIDs = (ticket.addedMemberIDs ?? []) + [memberID]
            action.kind = .addMember
            action.memberID = memberID
        case .addRole(let roleID):
            guard roleID.rawValue != guildID.rawValue else {
                return .refused("Adding @everyone would make the ticket public.")
            }
            guard !type.staffRoleIDs.contains(roleID), !(ticket.addedRoleIDs ?? []).contains(roleID) else {
                return .refused("<@&\(roleID)> is already in this ticket.")
            }
            guard (ticket.addedRoleIDs ?? []).count < Self.maximumAddedRoles else {
                return .refused("A ticket holds at most \(Self.maximumAddedRoles) added roles.")
            }
            updated.addedRoleIDs = (ticket.addedRoleIDs ?? []) + [roleID]
            action.kind = .addRole
            action.roleID = roleID
        case .removeMember(let memberID):
            guard memberID != botID else { return .refused(Self.botStays) }
            guard memberID != ticket.openerID else { return .refused("The member who opened the ticket stays in it.") }
            guard (ticket.addedMemberIDs ?? []).contains(memberID) else {
                return .refused("<@\(memberID)> was not added to this ticket.")
            }
            updated.addedMemberIDs = (ticket.addedMemberIDs ?? []).filter { $0 != memberID }
            action.kind = .removeMember
            action.memberID = memberID
        case .removeRole(let roleID):
            guard !type.staffRoleIDs.contains(roleID) else {
                return .refused("<@&\(roleID)> is a staff role of this ticket type; change that on the dashboard.")
            }
            guard (ticket.addedRoleIDs ?? []).contains(roleID) else {
                return .refused("<@&\(roleID)> was not added to this ticket.")
            }
            updated.addedRoleIDs = (ticket.addedRoleIDs ?? []).filter { $0 != roleID }
            action.kind = .removeRole
            action.roleID = roleID
        case .claim:
            if let claimer = ticket.claimerID {
                return .refused(
                    claimer == actorID
                        ? "You have already claimed this ticket."
                        : "<@\(claimer)> has claimed this ticket; they can `/ticket transfer` it to you.")
            }
            updated.claimerID = actorID
            updated.claimerName = names[actorID].map { String($0.prefix(100)) }
            action.kind = .claim
            action.memberID = actorID
        case .unclaim:
            guard let claimer = ticket.claimerID else { return .refused("Nobody has claimed this ticket.") }
            updated.claimerID = nil
            updated.claimerName = nil
            action.kind = .unclaim
            action.previousClaimerID = claimer
            action.previousClaimerName = ticket.claimerName
        case .transfer(let memberID):
            guard memberID != botID else { return .refused("A ticket is claimed by staff, not by Aetheria.") }
            guard targetIsStaff else { return .refused("<@\(memberID)> is not on this ticket type's staff.") }
            guard ticket.claimerID != memberID else { return .refused("<@\(memberID)> has this ticket already.") }
            updated.claimerID = memberID
            updated.claimerName = names[memberID].map { String($0.prefix(100)) }
            action.kind = .transfer
            action.memberID = memberID
            action.previousClaimerID = ticket.claimerID
            action.previousClaimerName = ticket.claimerName
        case .rename(let name):
            if let next = nextChannelEdit(of: ticket, now: now) {
                return .refused(
                    "Discord allows a channel to be renamed twice per 10 minutes. Try again <t:\(Int(next.timeIntervalSince1970)):R>."
                )
            }
            action.kind = .rename
            action.text = name
            action.updatesTopic = true  // the name change takes one of the two edits
        case .note(let text):
            guard (ticket.notes ?? []).count < Self.maximumNotes else {
                return .refused("A ticket keeps at most \(Self.maximumNotes) notes.")
            }
            updated.notes = (ticket.notes ?? []) + [StaffNote(authorID: actorID, text: text, at: now)]
            action.kind = .note
            action.text = text
        case .close, .reopen, .closeRequest, .blockMember, .blockRole, .unblockMember, .unblockRole:
            return .refused("Closing and reopening are not staff actions of this kind.")
        }
        // Claiming changes the topic (it names the claimer) when Discord's edit limit allows; otherwise the
        // notice says who claimed it and the topic catches up with the next claim change.
        if [.claim, .unclaim, .transfer].contains(action.kind) {
            action.updatesTopic = nextChannelEdit(of: ticket, now: now) == nil
        }
        if action.updatesTopic {
            let recent = (ticket.channelEditTimes ?? []).filter { now.timeIntervalSince($0) < Self.channelEditWindow }
            updated.channelEditTimes = Array((recent + [now]).suffix(Self.channelEditsPerWindow))
        }
        if action.kind != .note { updated.pendingStaffActions = (ticket.pendingStaffActions ?? []) + [action] }
        let stored = update(ticket.number) { $0 = updated }
        if action.kind == .claim || action.kind == .transfer, let claimer = updated.claimerID {
            recordStaffStatistics(of: claimer, at: now) { $0.claimed += 1 }
        }
        return stored.map { .recorded(action, $0) } ?? .refused("This ticket is gone.")
    }

    /// How close to its deletion a closed ticket can still be reopened (the deletion may already be under way).
    public static let reopenMargin: TimeInterval = 5

    /// `/ticket reopen`: a closed ticket whose channel still exists goes back to open as if the close had not
    /// happened, its analytics included (so opened = closed + open now still holds). The next close saves a new
    /// transcript over the first, under the same number.
    private mutating func recordReopen(
        _ ticket: Ticket, by actorID: UserID, actionID: InteractionID, replyToken: String?, now: Date
    ) -> StaffActionDecision {
        switch ticket.state {
        case .opening, .open: return .refused("This ticket is open.")
        case .closing: return .refused("This ticket is still closing; try again in a moment.")
        case .closed: break
        }
        guard !(ticket.pendingAnnouncements ?? []).contains(.closed) else {
            return .refused("This ticket is still closing; try again in a moment.")
        }
        guard let deleteAt = ticket.deleteAt, deleteAt.timeIntervalSince(now) > Self.reopenMargin else {
            return .refused("This ticket's channel is being deleted; it can no longer be reopened.")
        }
        guard (ticket.pendingStaffActions ?? []).count < Self.maximumPendingStaffActions else {
            return .refused("Too many actions are still being carried out in this ticket; try again in a moment.")
        }
        // The member's limit of open tickets holds for reopened ones too (they may have opened another since).
        let type = self.type(of: ticket)
        let others = tickets.filter { $0.openerID == ticket.openerID && $0.isActive && self.type(of: $0).id == type.id }
        if others.count >= type.maximumOpenTicketsPerUser, let newest = others.last {
            let place = newest.channelID.map { "<#\($0)>" } ?? "#\(newest.channelName)"
            return .refused("<@\(ticket.openerID)> already has an open ticket (\(place)); continue there instead.")
        }
        var action = StaffAction(id: actionID, kind: .reopen, actorID: actorID, memberID: ticket.closerID, at: now)
        action.replyToken = StaffAction.kept(replyToken)
        if let closedAt = ticket.closedAt {
            action.undoneClose = UndoneClose(
                closerID: ticket.closerID, closeReason: ticket.closeReason, closeRequestedAt: ticket.closeRequestedAt,
                closedAt: closedAt, deleteAt: deleteAt, transcriptSaved: ticket.transcriptSaved)
        }
        let reopened = update(ticket.number) { ticket in
            ticket.state = .open
            ticket.closerID = nil
            ticket.closeReason = nil
            ticket.closeRequestedAt = nil
            ticket.closedAt = nil
            ticket.deleteAt = nil
            ticket.transcriptSaved = false
            ticket.reminderSentAt = nil
            ticket.reminderPosted = nil
            ticket.lastActivityAt = max(ticket.lastActivityAt, now)
            ticket.pendingStaffActions = (ticket.pendingStaffActions ?? []) + [action]
        }
        if let closedAt = ticket.closedAt {
            recordAnalytics(of: ticket) { $0.recordReopened(openedAt: ticket.openedAt, closedAt: closedAt) }
            if let closer = ticket.closedByStaff {
                recordStaffStatistics(of: closer, at: now) { $0.closed = max(0, $0.closed - 1) }
            }
        }
        return reopened.map { .recorded(action, $0) } ?? .refused("This ticket is gone.")
    }

    /// The action is carried out in Discord and announced: it leaves the outbox.
    public mutating func staffActionDone(_ actionID: InteractionID, number: Int) {
        update(number) { ticket in
            ticket.pendingStaffActions = ticket.pendingStaffActions?.filter { $0.id != actionID }
            if ticket.pendingStaffActions?.isEmpty == true { ticket.pendingStaffActions = nil }
        }
    }

    /// Puts a ticket's record back as it was before `recordStaffAction` (its write failed, so nothing of it
    /// happened).
    public mutating func undoStaffAction(restoring previous: Ticket) {
        let current = ticket(number: previous.number)
        let undoesReopen = previous.state == .closed && current?.state == .open
        update(previous.number) { $0 = previous }
        if undoesReopen, let closedAt = previous.closedAt {
            recordAnalytics(of: previous) { $0.recordClosed(openedAt: previous.openedAt, closedAt: closedAt) }
            if let closer = previous.closedByStaff {
                recordStaffStatistics(of: closer, at: closedAt) { $0.closed += 1 }
            }
        }
        if let claimer = current?.claimerID, claimer != previous.claimerID {
            recordStaffStatistics(of: claimer, at: previous.openedAt) {
                $0.claimed = max(0, $0.claimed - 1)
            }
        }
    }

    /// Discord refused the action (a missing permission, a limit), so nothing of it happened there: the record
    /// takes back what the action changed, and only that (what happened since, such as new messages, stays), and
    /// the action leaves the outbox. A refused reopen leaves the ticket closed as it was, due for deletion.
    /// Returns the ticket as it is now.
    @discardableResult
    public mutating func takeBack(_ action: StaffAction, number: Int) -> Ticket? {
        guard let before = ticket(number: number) else { return nil }
        let restoredClose = action.kind == .reopen && before.state == .open ? action.undoneClose : nil
        let updated = update(number) { ticket in
            switch action.kind {
            case .addMember:
                ticket.addedMemberIDs = ticket.addedMemberIDs?.filter { $0 != action.memberID }
            case .addRole:
                ticket.addedRoleIDs = ticket.addedRoleIDs?.filter { $0 != action.roleID }
            case .removeMember:
                if let member = action.memberID, !(ticket.addedMemberIDs ?? []).contains(member),
                    (ticket.addedMemberIDs ?? []).count < Self.maximumAddedMembers
                {
                    ticket.addedMemberIDs = (ticket.addedMemberIDs ?? []) + [member]
                }
            case .removeRole:
                if let role = action.roleID, !(ticket.addedRoleIDs ?? []).contains(role),
                    (ticket.addedRoleIDs ?? []).count < Self.maximumAddedRoles
                {
                    ticket.addedRoleIDs = (ticket.addedRoleIDs ?? []) + [role]
                }
            case .claim, .transfer, .unclaim:
                // Only while the claim is still the one this action made (a later claim change stands).
                let madeClaimer = action.kind == .unclaim ? nil : action.memberID
                if ticket.claimerID == madeClaimer {
                    ticket.claimerID = action.previousClaimerID
                    ticket.claimerName = action.previousClaimerName
                }
            case .reopen:
                if let close = restoredClose {
                    ticket.state = .closed
                    ticket.closerID = close.closerID
                    ticket.closeReason = close.closeReason
                    ticket.closeRequestedAt = close.closeRequestedAt
                    ticket.closedAt = close.closedAt
                    ticket.deleteAt = close.deleteAt
                    ticket.transcriptSaved = close.transcriptSaved
                }
            case .rename, .note:
                break
            }
            if action.updatesTopic { ticket.channelEditTimes = ticket.channelEditTimes?.filter { $0 != action.at } }
            ticket.pendingStaffActions = ticket.pendingStaffActions?.filter { $0.id != action.id }
            if ticket.pendingStaffActions?.isEmpty == true { ticket.pendingStaffActions = nil }
        }
        if action.kind == .claim || action.kind == .transfer, let claimer = action.memberID,
            before.claimerID == claimer, updated?.claimerID != claimer
        {
            recordStaffStatistics(of: claimer, at: action.at) { $0.claimed = max(0, $0.claimed - 1) }
        }
        if let close = restoredClose, let updated {
            recordAnalytics(of: updated) { $0.recordClosed(openedAt: updated.openedAt, closedAt: close.closedAt) }
            if let closer = updated.closedByStaff {
                recordStaffStatistics(of: closer, at: close.closedAt) { $0.closed += 1 }
            }
        }
        return updated
    }

    /// A rename is done: the record carries the new name.
    public mutating func channelRenamed(number: Int, to name: String) {
        update(number) { $0.channelName = name }
    }

    /// Tickets with staff actions left to carry out (after a restart).
    public var ticketsWithPendingStaffActions: [Ticket] {
        tickets.filter { !($0.pendingStaffActions ?? []).isEmpty }
    }
}
