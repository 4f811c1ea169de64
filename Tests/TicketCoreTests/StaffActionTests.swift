import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// `/ticket …` as pure rules: reading the command (forged options refused), who may do what, what the record
/// shows afterwards, and Discord's limit of two channel edits per 10 minutes.
@Suite("Staff commands: parsing and rules")
struct StaffActionTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let guild: GuildID = 900
    static let staff: UserID = 20
    static let opener: UserID = 10

    static func data(_ subcommand: String, _ options: [(String, JSONScalar)] = []) -> InteractionData {
        var data = InteractionData()
        data.name = "ticket"
        var group = InteractionOption(name: subcommand, type: 1, value: nil)
        group.options = options.map { InteractionOption(name: $0.0, type: 3, value: $0.1) }
        data.options = [group]
        return data
    }

    @Test("commands are read strictly: IDs bounded, text trimmed and cut, anything else refused")
    func parsing() {
        #expect(StaffCommand(Self.data("add", [("member", .string("42"))])) == .addMember(42))
        #expect(StaffCommand(Self.data("remove", [("role", .string("7"))])) == .removeRole(7))
        #expect(StaffCommand(Self.data("close")) == .close(reason: nil))
        #expect(StaffCommand(Self.data("close", [("reason", .string("  done \n"))])) == .close(reason: "done"))
        #expect(
            StaffCommand(Self.data("note", [("text", .string(String(repeating: "n", count: 5_000)))]))
                == .note(String(repeating: "n", count: StaffCommand.maximumNoteLength)))
        for forged in [
            Self.data("add"), Self.data("add", [("member", .string("1")), ("role", .string("2"))]),
            Self.data("add", [("member", .string("-1"))]),
            Self.data("add", [("member", .string("99999999999999999999999"))]),
            Self.data("transfer", [("member", .double(1.5))]), Self.data("rename", [("name", .string("   "))]),
            Self.data("note"), Self.data("explode"),
        ] {
            #expect(StaffCommand(forged) == nil)
        }
        var wrongName = Self.data("claim")
        wrongName.name = "other"
        #expect(StaffCommand(wrongName) == nil)
    }

    static func ticketChannel() -> (GuildTickets, ChannelID) {
        var tickets = GuildTickets(config: TicketConfig(staffRoleID: 77))
        let opened = tickets.requestOpen(openerID: opener, openerName: "erin", interaction: nil, now: start)
        guard case .create(let opening) = opened else { return (tickets, 0) }
        _ = tickets.confirmChannel(number: opening.number, channelID: 500, name: "ticket-erin")
        return (tickets, 500)
    }

    func record(
        _ command: StaffCommand, _ tickets: inout GuildTickets, by actor: UserID = staff, isStaff: Bool = true,
        targetIsStaff: Bool = false, id: UInt64 = 1, at offset: TimeInterval = 0
    ) -> GuildTickets.StaffActionDecision {
        tickets.recordStaffAction(
            command, guildID: Self.guild, inChannel: 500, by: actor, actorIsStaff: isStaff,
            targetIsStaff: targetIsStaff, actionID: InteractionID(id), now: Self.start.addingTimeInterval(offset))
    }

    @Test("members are refused; the opener and the type's staff roles cannot be removed; @everyone cannot be added")
    func refusals() {
        var (tickets, _) = Self.ticketChannel()
        #expect(
            record(.claim, &tickets, by: Self.opener, isStaff: false)
                == .refused("Only the support staff can use `/ticket` commands."))
        guard case .refused = record(.removeMember(Self.opener), &tickets) else {
            Issue.record("opener removed"); return
        }
        guard case .refused = record(.removeRole(77), &tickets) else { Issue.record("staff role removed"); return }
        guard case .refused = record(.addRole(RoleID(Self.guild.rawValue)), &tickets) else {
            Issue.record("@everyone added")
            return
        }
        guard case .refused = record(.transfer(to: 30), &tickets, targetIsStaff: false) else {
            Issue.record("handed to a non-staff member")
            return
        }
        #expect(tickets.ticket(number: 1)?.pendingStaffActions == nil, "a refusal records nothing")
    }

    @Test("claims, adds and notes show in the record with an outbox entry until done; edits respect 2 per 10 minutes")
    func recording() throws {
        var (tickets, _) = Self.ticketChannel()
        guard case .recorded(let claim, let claimed) = record(.claim, &tickets, id: 1) else {
            Issue.record("claim refused")
            return
        }
        #expect(claimed.claimerID == Self.staff && claim.updatesTopic)
        #expect(claimed.pendingStaffActions?.map(\.id) == [1])
        guard case .refused = record(.claim, &tickets, by: 21, id: 2) else { Issue.record("claimed twice"); return }
        guard case .recorded(let rename, _) = record(.rename("billing"), &tickets, id: 3, at: 60) else {
            Issue.record("rename refused")
            return
        }
        #expect(rename.updatesTopic)
        guard case .refused(let why) = record(.rename("again"), &tickets, id: 4, at: 120) else {
            Issue.record("a third edit within 10 minutes")
            return
        }
        #expect(why.contains("<t:\(Int(Self.start.timeIntervalSince1970) + 600):R>"))
        // Unclaiming while the limit is used up still works; the topic waits for a later change.
        guard case .recorded(let unclaim, _) = record(.unclaim, &tickets, id: 5, at: 180) else {
            Issue.record("unclaim refused")
            return
        }
        #expect(!unclaim.updatesTopic && unclaim.previousClaimerID == Self.staff)
        guard case .recorded = record(.rename("later"), &tickets, id: 6, at: 601) else {
            Issue.record("a rename after the window")
            return
        }
        guard case .recorded = record(.note("secret"), &tickets, id: 7) else { Issue.record("note refused"); return }
        let ticket = try #require(tickets.ticket(number: 1))
        #expect(ticket.notes?.map(\.text) == ["secret"])
        #expect(ticket.pendingStaffActions?.map(\.id) == [1, 3, 5, 6], "notes need nothing from Discord")
        for id in [1, 3, 5, 6] { tickets.staffActionDone(InteractionID(UInt64(id)), number: 1) }
        #expect(tickets.ticket(number: 1)?.pendingStaffActions == nil)
        // Stored and read back, as after a restart.
        let again = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        #expect(again == tickets)
    }

    @Test("a snapshot claiming more notes, members or pending actions than ever written is refused")
    func hostileSnapshot() throws {
        var (tickets, _) = Self.ticketChannel()
        tickets.update(1) { ticket in
            ticket.notes = Array(
                repeating: StaffNote(authorID: 1, text: "x", at: Self.start), count: GuildTickets.maximumNotes + 1)
        }
        #expect(tickets.storedValueProblem != nil)
        var (other, _) = Self.ticketChannel()
        other.update(1) { $0.channelEditTimes = [Date(timeIntervalSince1970: 1e300)] }
        #expect(other.storedValueProblem != nil)
        // A pending reopen whose close to restore carries a date no process wrote.
        var reopened = StaffAction(id: 1, kind: .reopen, actorID: Self.staff, at: Self.start)
        reopened.undoneClose = UndoneClose(
            closerID: nil, closeReason: nil, closeRequestedAt: nil, closedAt: Self.start,
            deleteAt: Date(timeIntervalSince1970: -1e300), transcriptSaved: true)
        var third = Self.ticketChannel().0
        third.update(1) { $0.pendingStaffActions = [reopened] }
        #expect(third.storedValueProblem != nil)
    }

    @Test(
        "reopen takes back a close within the deletion delay, counters included; too late, too early and a failed write are handled"
    )
    func reopen() {
        var (tickets, channel) = Self.ticketChannel()
        #expect(record(.reopen, &tickets) == .refused("This ticket is open."))
        guard
            case .close(let closing) = tickets.requestClose(
                inChannel: channel, closerID: Self.staff, closerIsStaff: true, reason: "done", now: Self.start + 60)
        else { Issue.record("not closing"); return }
        #expect(record(.reopen, &tickets, at: 61) == .refused("This ticket is still closing; try again in a moment."))
        tickets.markTranscriptSaved(number: closing.number)
        tickets.markClosed(number: closing.number, now: Self.start + 120)
        tickets.announced(.closed, number: closing.number)
        #expect(tickets.analytics.closed == 1 && tickets.analytics.resolutionCount == 1)
        let closed = tickets.ticket(number: closing.number)!
        let deleteAt = closed.deleteAt!

        guard case .refused = record(.reopen, &tickets, by: Self.opener, isStaff: false, at: 121) else {
            Issue.record("a member reopened")
            return
        }
        let tooLate = deleteAt.timeIntervalSince(Self.start) - 1
        guard case .refused(let why) = record(.reopen, &tickets, at: tooLate) else {
            Issue.record("reopened while the channel is being deleted")
            return
        }
        #expect(why.contains("being deleted"))

        guard case .recorded(let action, let reopened) = record(.reopen, &tickets, id: 9, at: 122) else {
            Issue.record("not reopened")
            return
        }
        #expect(action.kind == .reopen && action.memberID == Self.staff)
        #expect(reopened.state == .open && reopened.deleteAt == nil && reopened.closedAt == nil)
        #expect(!reopened.transcriptSaved && reopened.closeReason == nil)
        #expect(reopened.pendingStaffActions?.map(\.id) == [9])
        #expect(tickets.analytics.closed == 0 && tickets.analytics.resolutionCount == 0)
        #expect(tickets.analytics.resolutionHistogram.allSatisfy { $0 == 0 })
        #expect(tickets.analytics.days.allSatisfy { $0.closed == 0 && $0.resolutionSeconds == 0 })
        #expect(tickets.analytics.opened == tickets.analytics.closed + tickets.openTicketCount)

        // The write failed: the record and the counters are back as they were.
        tickets.undoStaffAction(restoring: closed)
        #expect(tickets.ticket(number: closed.number) == closed)
        #expect(tickets.analytics.closed == 1 && tickets.analytics.resolutionCount == 1)
    }

    func claimed(_ tickets: GuildTickets, by staff: UserID) -> Int {
        tickets.staffStatistics.first { $0.id == staff }?.statistics.claimed ?? 0
    }

    @Test(
        "an action Discord refused is taken back, and only it: adds, claims, transfers, unclaims, renames; a later claim change stands"
    )
    func takeBack() throws {
        var (tickets, _) = Self.ticketChannel()
        guard case .recorded(let add, _) = record(.addMember(42), &tickets, id: 1) else { Issue.record("add"); return }
        tickets.recordMessage(inChannel: 500, authorID: 42, authorIsBot: false, at: Self.start + 5)
        let afterMessage = try #require(tickets.ticket(number: 1))
        tickets.takeBack(add, number: 1)
        var ticket = try #require(tickets.ticket(number: 1))
        #expect(ticket.addedMemberIDs == [] && ticket.pendingStaffActions == nil)
        #expect(ticket.messageCount == afterMessage.messageCount, "what happened since stays")

        // A claim refused: nobody holds the ticket, the claim is not counted, the topic edit is given back.
        guard case .recorded(let claim, _) = record(.claim, &tickets, id: 2, at: 10) else {
            Issue.record("claim")
            return
        }
        #expect(claimed(tickets, by: Self.staff) == 1 && claim.updatesTopic)
        tickets.takeBack(claim, number: 1)
        ticket = try #require(tickets.ticket(number: 1))
        #expect(ticket.claimerID == nil && ticket.channelEditTimes == [])
        #expect(claimed(tickets, by: Self.staff) == 0)

        // A transfer refused: the previous claimer has it again, by name.
        _ = tickets.recordStaffAction(
            .claim, guildID: Self.guild, inChannel: 500, by: Self.staff, actorIsStaff: true,
            names: [Self.staff: "sam"], actionID: 3, now: Self.start + 20)
        tickets.staffActionDone(3, number: 1)
        guard case .recorded(let transfer, _) = record(.transfer(to: 21), &tickets, targetIsStaff: true, id: 4, at: 30)
        else { Issue.record("transfer"); return }
        tickets.takeBack(transfer, number: 1)
        ticket = try #require(tickets.ticket(number: 1))
        #expect(ticket.claimerID == Self.staff && ticket.claimerName == "sam")
        #expect(claimed(tickets, by: 21) == 0 && claimed(tickets, by: Self.staff) == 1)

        // An unclaim refused gives the claim back; a refused unclaim after a newer claim change leaves that one.
        guard case .recorded(let unclaim, _) = record(.unclaim, &tickets, id: 5, at: 700) else {
            Issue.record("unclaim")
            return
        }
        tickets.takeBack(unclaim, number: 1)
        #expect(tickets.ticket(number: 1)?.claimerID == Self.staff)
        guard case .recorded(let staleUnclaim, _) = record(.unclaim, &tickets, id: 6, at: 710) else {
            Issue.record("unclaim")
            return
        }
        tickets.staffActionDone(6, number: 1)
        guard case .recorded = record(.claim, &tickets, by: 22, id: 7, at: 720) else { Issue.record("claim"); return }
        tickets.takeBack(staleUnclaim, number: 1)
        #expect(tickets.ticket(number: 1)?.claimerID == 22, "a later claim change stands")

        // A rename refused gives the edit back: the next rename within the window is allowed.
        guard case .recorded(let rename, _) = record(.rename("billing"), &tickets, id: 8, at: 1_400) else {
            Issue.record("rename")
            return
        }
        tickets.takeBack(rename, number: 1)
        let now = Self.start + 1_400
        #expect(tickets.nextChannelEdit(of: try #require(tickets.ticket(number: 1)), now: now) == nil)
    }

    @Test("a reopen Discord refused leaves the ticket closed as it was: due for deletion, counted as closed")
    func refusedReopen() throws {
        var (tickets, channel) = Self.ticketChannel()
        guard
            case .close(let closing) = tickets.requestClose(
                inChannel: channel, closerID: Self.staff, closerIsStaff: true, reason: "done", now: Self.start + 60)
        else { Issue.record("not closing"); return }
        tickets.markTranscriptSaved(number: closing.number)
        tickets.markClosed(number: closing.number, now: Self.start + 120)
        tickets.announced(.closed, number: closing.number)
        let closed = try #require(tickets.ticket(number: closing.number))
        let closedCount = tickets.staffStatistics.first { $0.id == Self.staff }?.statistics.closed
        guard case .recorded(let action, _) = record(.reopen, &tickets, id: 9, at: 122) else {
            Issue.record("not reopened")
            return
        }
        // Stored and read back first, as after a restart before Discord answered.
        tickets = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        #expect(tickets.storedValueProblem == nil)
        let takenBack = tickets.takeBack(action, number: closing.number)
        let restored = try #require(takenBack)
        #expect(
            restored.state == .closed && restored.deleteAt == closed.deleteAt && restored.closedAt == closed.closedAt)
        #expect(restored.closeReason == "done" && restored.closerID == Self.staff && restored.transcriptSaved)
        #expect(restored.pendingStaffActions == nil)
        #expect(tickets.analytics.closed == 1 && tickets.analytics.resolutionCount == 1)
        #expect(tickets.analytics.opened == tickets.analytics.closed + tickets.openTicketCount)
        #expect(tickets.staffStatistics.first { $0.id == Self.staff }?.statistics.closed == closedCount)
        // Taken back twice (a restart replaying it) changes nothing more.
        tickets.takeBack(action, number: closing.number)
        #expect(tickets.analytics.closed == 1)
    }
}
