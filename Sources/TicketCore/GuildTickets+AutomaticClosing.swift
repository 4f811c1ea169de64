public import DiscordModels
public import Foundation

/// Close requests (staff ask, the member answers with buttons) and tickets that close by themselves: an
/// unanswered request after the type's timeout, or a ticket still silent some hours after its stale reminder
/// (the reminder is the warning). The times are computed from what is stored, so a restart loses none.
extension GuildTickets {
    public enum CloseRequestDecision: Sendable, Hashable {
        case refused(String)
        /// Recorded: post the request (the command's reply) with its buttons.
        case requested(CloseRequest, Ticket)
    }

    public mutating func recordCloseRequest(
        inChannel channelID: ChannelID, by actorID: UserID, actorIsStaff: Bool, reason: String?,
        id: InteractionID, now: Date
    ) -> CloseRequestDecision {
        guard let ticket = ticket(inChannel: channelID) else {
            return .refused(Self.notInATicket)
        }
        guard actorIsStaff else { return .refused(Self.onlyStaff) }
        guard ticket.state == .open else { return .refused("This ticket is closing or closed.") }
        if let waiting = ticket.closeRequest {
            return .refused(
                "<@\(waiting.requesterID)> already asked; <@\(ticket.openerID)> has not answered yet. You can close the ticket instead."
            )
        }
        let hours = type(of: ticket).closeRequestTimeoutHours
        let request = CloseRequest(
            id: id, requesterID: actorID, reason: reason, at: now,
            autoCloseAt: hours > 0 ? now.addingTimeInterval(Double(hours) * 3_600) : nil)
        let updated = update(ticket.number) { $0.closeRequest = request }
        return updated.map { .requested(request, $0) } ?? .refused("This ticket is gone.")
    }

    /// The request's write failed: it is taken back (nothing was asked).
    public mutating func withdrawCloseRequest(_ id: InteractionID, number: Int) {
        update(number) { if $0.closeRequest?.id == id { $0.closeRequest = nil } }
    }

    public enum CloseRequestAnswer: Sendable, Hashable {
        case refused(String)
        /// The request is no longer waiting (answered, or the ticket closed another way): its buttons are stale.
        case stale
        /// The member agreed: the ticket is `closing` (run the close workflow).
        case accepted(Ticket)
        /// The member wants it open: the request is gone.
        case declined(Ticket, CloseRequest)
    }

    /// The opener clicked one of the request's buttons (anyone else is told it is not theirs to answer).
    public mutating func answerCloseRequest(
        inChannel channelID: ChannelID, by answererID: UserID, accept: Bool, now: Date
    ) -> CloseRequestAnswer {
        guard let ticket = ticket(inChannel: channelID), ticket.state == .open, let request = ticket.closeRequest else {
            return .stale
        }
        guard answererID == ticket.openerID else {
            return .refused(
                "Only <@\(ticket.openerID)> can answer this. Staff can close the ticket with the Close button.")
        }
        if accept {
            let reason = request.reason ?? "The member agreed to close it"
            return beginClosing(ticket.number, closerID: answererID, reason: reason, now: now).map { .accepted($0) }
                ?? .refused("This ticket is gone.")
        }
        let updated = update(ticket.number) { $0.closeRequest = nil }
        return updated.map { .declined($0, request) } ?? .refused("This ticket is gone.")
    }

    /// The member left the server: each of their open tickets is flagged or closed as its type says (a ticket
    /// already flagged or closing is left alone, so a replayed event changes nothing). Returns what changed.
    public mutating func openerLeft(
        _ userID: UserID, now: Date
    ) -> [(ticket: Ticket, action: TicketType.OpenerLeftAction)] {
        var changed: [(Ticket, TicketType.OpenerLeftAction)] = []
        for ticket in tickets where ticket.openerID == userID && ticket.state == .open && ticket.openerLeftAt == nil {
            let action = type(of: ticket).whenOpenerLeaves
            switch action {
            case .keep:
                continue
            case .flag:
                if let flagged = update(ticket.number, { $0.openerLeftAt = now }) { changed.append((flagged, .flag)) }
            case .close:
                update(ticket.number) { $0.openerLeftAt = now }
                if let closing = beginClosing(
                    ticket.number, closerID: nil, reason: "The member left the server", now: now)
                {
                    changed.append((closing, .close))
                }
            }
        }
        return changed
    }

    /// When `ticket` closes by itself, and why; `nil` when it does not.
    public func automaticClose(of ticket: Ticket) -> (at: Date, reason: String)? {
        guard ticket.state == .open else { return nil }
        var candidates: [(at: Date, reason: String)] = []
        if let request = ticket.closeRequest, let at = request.autoCloseAt {
            candidates.append((at, "Nobody answered the close request" + (request.reason.map { ": \($0)" } ?? "")))
        }
        let hours = type(of: ticket).autoCloseAfterReminderHours
        if hours > 0, let reminded = ticket.reminderSentAt, ticket.reminderPosted == true {
            candidates.append(
                (reminded.addingTimeInterval(Double(hours) * 3_600), "No activity for \(hours) h after the reminder"))
        }
        return candidates.min { $0.at < $1.at }
    }

    /// The earliest time a ticket of this guild closes by itself.
    public var nextAutomaticClose: Date? {
        tickets.compactMap { automaticClose(of: $0)?.at }.min()
    }

    /// Records `closing` for every ticket whose time to close by itself has come; returns them.
    public mutating func closeDueTickets(now: Date) -> [Ticket] {
        let due = tickets.compactMap { ticket in
            automaticClose(of: ticket).flatMap { $0.at <= now ? (ticket.number, $0.reason) : nil }
        }
        return due.compactMap { beginClosing($0.0, closerID: nil, reason: $0.1, now: now) }
    }
}
