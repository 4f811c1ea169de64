import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// Close requests and tickets that close by themselves, as pure rules with the time passed in.
@Suite("Close requests and automatic closing: rules")
struct AutomaticClosingTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let staff: UserID = 20
    static let opener: UserID = 10

    static func openTicket(_ adjust: (inout TicketType) -> Void = { _ in }) -> GuildTickets {
        var tickets = GuildTickets(config: TicketConfig(staffRoleID: 77))
        adjust(&tickets.config.types[0])
        guard
            case .create(let opening) = tickets.requestOpen(
                openerID: opener, openerName: "erin", interaction: nil, now: start)
        else { return tickets }
        tickets.confirmChannel(number: opening.number, channelID: 500, name: "ticket-erin")
        return tickets
    }

    func ask(
        _ tickets: inout GuildTickets, by actor: UserID = staff, isStaff: Bool = true, at offset: TimeInterval = 0
    )
        -> GuildTickets.CloseRequestDecision
    {
        tickets.recordCloseRequest(
            inChannel: 500, by: actor, actorIsStaff: isStaff, reason: "solved", id: 1,
            now: Self.start.addingTimeInterval(offset))
    }

    @Test(
        "only staff ask, once at a time; only the opener answers; yes closes even in a staff-only type, no forgets it")
    func requestsAndAnswers() {
        var tickets = Self.openTicket { $0.closePolicy = .staffOnly }
        guard case .refused = ask(&tickets, by: Self.opener, isStaff: false) else {
            Issue.record("a member asked")
            return
        }
        guard case .requested(let request, _) = ask(&tickets) else { Issue.record("not asked"); return }
        #expect(request.autoCloseAt == nil, "the type does not close unanswered requests")
        guard case .refused = ask(&tickets) else { Issue.record("asked twice"); return }
        guard case .refused = tickets.answerCloseRequest(inChannel: 500, by: Self.staff, accept: true, now: Self.start)
        else { Issue.record("staff answered for the member"); return }

        guard
            case .declined(let kept, _) = tickets.answerCloseRequest(
                inChannel: 500, by: Self.opener, accept: false, now: Self.start)
        else { Issue.record("not declined"); return }
        #expect(kept.state == .open && kept.closeRequest == nil)
        #expect(
            tickets.answerCloseRequest(inChannel: 500, by: Self.opener, accept: true, now: Self.start) == .stale,
            "an answered request is stale, not answered again")

        _ = ask(&tickets)
        guard
            case .accepted(let closing) = tickets.answerCloseRequest(
                inChannel: 500, by: Self.opener, accept: true, now: Self.start)
        else { Issue.record("not accepted"); return }
        #expect(closing.state == .closing && closing.closerID == Self.opener && closing.closeReason == "solved")
        #expect(closing.closeRequest == nil)
    }

    @Test("an unanswered request closes at its time; the member writing stops it; a failed write withdraws it")
    func unansweredRequest() throws {
        var tickets = Self.openTicket { $0.closeRequestTimeoutHours = 24 }
        guard case .requested(let request, _) = ask(&tickets) else { Issue.record("not asked"); return }
        #expect(request.autoCloseAt == Self.start.addingTimeInterval(24 * 3_600))
        #expect(tickets.nextAutomaticClose == request.autoCloseAt)
        #expect(tickets.closeDueTickets(now: Self.start.addingTimeInterval(24 * 3_600 - 1)).isEmpty)

        // A snapshot round trip keeps the time (a restart arms it again).
        tickets = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        let closed = tickets.closeDueTickets(now: Self.start.addingTimeInterval(24 * 3_600))
        #expect(closed.map(\.state) == [.closing] && closed.first?.closerID == nil)
        #expect(closed.first?.closeReason == "Nobody answered the close request: solved")
        #expect(tickets.nextAutomaticClose == nil)

        var answered = Self.openTicket { $0.closeRequestTimeoutHours = 24 }
        _ = ask(&answered)
        answered.recordMessage(inChannel: 500, authorID: Self.staff, authorIsBot: false, at: Self.start + 60)
        #expect(answered.nextAutomaticClose != nil, "staff writing is not the member's answer")
        answered.recordMessage(inChannel: 500, authorID: Self.opener, authorIsBot: false, at: Self.start + 120)
        #expect(answered.nextAutomaticClose == nil && answered.ticket(number: 1)?.closeRequest != nil)

        var withdrawn = Self.openTicket()
        _ = ask(&withdrawn)
        withdrawn.withdrawCloseRequest(1, number: 1)
        #expect(withdrawn.ticket(number: 1)?.closeRequest == nil)
    }

    @Test(
        "a ticket still silent the configured hours after a posted reminder closes; an unconfirmed reminder does not count"
    )
    func silentAfterReminder() {
        var tickets = Self.openTicket { $0.autoCloseAfterReminderHours = 6 }
        let reminded = Self.start.addingTimeInterval(49 * 3_600)
        tickets.markReminded(number: 1, at: reminded)
        #expect(tickets.nextAutomaticClose == nil, "the warning may not have been posted")
        tickets.confirmReminder(number: 1)
        #expect(tickets.nextAutomaticClose == reminded.addingTimeInterval(6 * 3_600))
        #expect(
            tickets.closeDueTickets(now: reminded.addingTimeInterval(6 * 3_600)).first?.closeReason
                == "No activity for 6 h after the reminder")

        var off = Self.openTicket()
        off.markReminded(number: 1, at: reminded)
        off.confirmReminder(number: 1)
        #expect(off.nextAutomaticClose == nil, "the type does not close silent tickets")
    }

    @Test("custom IDs of the new components round-trip; the reason form reads only its input, bounded")
    func componentsAndForm() {
        for id in [
            TicketComponentID.closeReason, .closeRequestAnswer(accept: true), .closeRequestAnswer(accept: false),
        ] {
            #expect(TicketComponentID(id.customID) == id)
        }
        #expect(TicketComponentID("aetheria:ticket:close-request:maybe") == nil)
        #expect(TicketComponentID("aetheria:ticket:close-request") == nil)
        var other = Component(type: .textInput)
        other.customId = "q0"
        other.value = "not the reason"
        var reason = Component(type: .textInput)
        reason.customId = "reason"
        reason.value = "  " + String(repeating: "r", count: 5_000)
        let rows: [Component] = [.actionRow([other]), .actionRow([reason])]
        #expect(CloseReasonForm.reason(from: rows)?.count == StaffCommand.maximumReasonLength)
        reason.value = "   "
        #expect(CloseReasonForm.reason(from: [.actionRow([reason])]) == nil)
    }
}

@Suite("Staff statistics: rules")
struct StaffStatisticsTests {
    @Test("claims, first responses and closes count for the staff member; a reopen and a failed write take them back")
    func counted() throws {
        var tickets = AutomaticClosingTests.openTicket()
        let start = AutomaticClosingTests.start
        let staff = AutomaticClosingTests.staff
        tickets.recordMessage(
            inChannel: 500, authorID: AutomaticClosingTests.opener, authorIsBot: false, at: start + 10)
        tickets.recordMessage(inChannel: 500, authorID: staff, authorIsBot: false, at: start + 70)
        tickets.recordMessage(inChannel: 500, authorID: staff, authorIsBot: false, at: start + 80)
        let before = try #require(tickets.ticket(number: 1))
        _ = tickets.recordStaffAction(
            .claim, guildID: 900, inChannel: 500, by: staff, actorIsStaff: true, actionID: 3, now: start + 90)
        #expect(tickets.statistics(of: staff)?.claimed == 1)
        tickets.undoStaffAction(restoring: before)
        #expect(tickets.statistics(of: staff)?.claimed == 0, "the claim's write failed")
        _ = tickets.recordStaffAction(
            .claim, guildID: 900, inChannel: 500, by: staff, actorIsStaff: true, actionID: 4, now: start + 95)
        _ = tickets.requestClose(inChannel: 500, closerID: staff, closerIsStaff: true, reason: nil, now: start + 100)
        tickets.markTranscriptSaved(number: 1)
        tickets.markClosed(number: 1, now: start + 100)
        var statistics = try #require(tickets.statistics(of: staff))
        #expect(statistics.claimed == 1 && statistics.closed == 1 && statistics.firstResponses == 1)
        #expect(statistics.averageFirstResponseSeconds == 70)
        #expect(tickets.statistics(of: AutomaticClosingTests.opener) == nil, "the member is not staff")
        tickets.announced(.closed, number: 1)
        _ = tickets.recordStaffAction(
            .reopen, guildID: 900, inChannel: 500, by: staff, actorIsStaff: true, actionID: 5, now: start + 101)
        statistics = try #require(tickets.statistics(of: staff))
        #expect(statistics.closed == 0)
        #expect(tickets.storedValueProblem == nil)
        let decoded = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        #expect(decoded.statistics(of: staff) == statistics)
    }

    @Test("the list is bounded: the least recently seen staff member makes room")
    func bounded() {
        var tickets = GuildTickets()
        let start = AutomaticClosingTests.start
        for id in 1...(GuildTickets.maximumStaffStatistics + 1) {
            tickets.recordStaffStatistics(of: UserID(UInt64(id)), at: start + Double(id)) { $0.closed += 1 }
        }
        #expect(tickets.staffStatistics.count == GuildTickets.maximumStaffStatistics)
        #expect(tickets.statistics(of: 1) == nil && tickets.statistics(of: 2) != nil)
        tickets.staffStatisticsStorage?["3"]?.closed = -1
        #expect(tickets.storedValueProblem != nil, "a snapshot with a negative counter is refused")
    }
}

@Suite("The opener leaving the server: rules")
struct OpenerLeftTests {
    @Test("each type keeps, flags or closes the leaver's open tickets; a replayed event changes nothing")
    func perType() {
        for action in TicketType.OpenerLeftAction.allCases {
            var tickets = AutomaticClosingTests.openTicket { $0.whenOpenerLeaves = action }
            let now = AutomaticClosingTests.start + 3_600
            let changed = tickets.openerLeft(AutomaticClosingTests.opener, now: now)
            let ticket = tickets.ticket(number: 1)
            switch action {
            case .keep:
                #expect(changed.isEmpty && ticket?.state == .open && ticket?.openerLeftAt == nil)
            case .flag:
                #expect(changed.map(\.action) == [.flag] && ticket?.state == .open && ticket?.openerLeftAt == now)
            case .close:
                #expect(changed.map(\.action) == [.close] && ticket?.state == .closing)
                #expect(ticket?.closeReason == "The member left the server" && ticket?.closerID == nil)
            }
            #expect(tickets.openerLeft(AutomaticClosingTests.opener, now: now + 1).isEmpty, "replayed: nothing again")
            #expect(tickets.openerLeft(AutomaticClosingTests.staff, now: now).isEmpty, "someone else left")
        }
    }
}
