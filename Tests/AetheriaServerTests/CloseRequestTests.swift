import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import TicketCore

/// Closing with a reason from the button, close requests the member answers, and tickets that close by
/// themselves, against the emulator: what the member, the staff and the moderation log see.
@Suite("Close reasons, close requests and automatic closing against the emulator")
struct CloseRequestTests {
    typealias Option = EmulatorControlClient.OptionValue

    static func ticketState(_ harness: BotHarness, _ fixture: TicketFixture, _ channelID: ChannelID) async -> Ticket? {
        await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.ticket(inChannel: channelID)
    }

    /// The request message in the channel once it is posted (the command's reply).
    static func requestMessage(_ harness: BotHarness, in channelID: ChannelID) async throws -> Message {
        let box = Mutex<Message?>(nil)
        try await eventually("the close request is posted") {
            let found = try await harness.messages(in: channelID).last {
                $0.embeds.first?.title == "Can this ticket be closed?"
            }
            box.withLock { $0 = found }
            return found?.components?.isEmpty == false
        }
        return try #require(box.withLock { $0 })
    }

    @Test(
        "a type that asks for a reason shows a modal on Close; the reason reaches the notice, the log and the transcript"
    )
    func closeReasonModal() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) {
                $0.types[0].closeReasonPrompt = .required
                $0.types[0].closePolicy = .staffOnly
            }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            let welcome = try await harness.welcome(in: channel.id)

            // A member who may not close (staff-only type) is refused at once, not after typing a reason.
            let byMember = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: opener)
            _ = try await harness.answer(to: byMember, containing: "Only the support staff can close")

            let click = try await harness.click(
                "aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.staff)
            let modal = try await harness.modal(answering: click)
            #expect(modal["title"]?.stringValue == "Close this ticket")
            #expect(
                await Self.ticketState(harness, fixture, channel.id)?.state == .open, "nothing closes before the form")
            let control = harness.discord.controlAPI
            await #expect(throws: EmulatorControlError.self, "the required reason cannot be left empty") {
                _ = try await control.submitModal(of: click, values: [:])
            }
            let submitted = try await control.submitModal(of: click, values: ["reason": "  Sorted out, thanks!  "])
            _ = try await harness.answer(to: submitted)
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("<dd>Sorted out, thanks!</dd>"))
            try await eventually("the log's closed entry has the reason") {
                try await harness.messages(in: fixture.logChannel).contains {
                    $0.embeds.first?.title == "Ticket #1 closed"
                        && $0.embeds.first?.fields?.contains {
                            $0.name == "Reason" && $0.value == "Sorted out, thanks!"
                        } == true
                }
            }
        }
    }

    @Test("staff ask to close; only the member answers; No keeps it open, Yes closes it with the request's reason")
    func memberAnswersCloseRequest() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].closePolicy = .staffOnly }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            let control = harness.discord.controlAPI

            let byMember = try await control.runCommand("ticket", "close-request", in: channel.id, as: opener)
            _ = try await StaffCommandTests.reply(harness, to: byMember, containing: "Only the support staff")
            _ = try await control.runCommand(
                "ticket", "close-request", in: channel.id, as: fixture.staff,
                options: [Option(name: "reason", value: "Refund sent")])
            let request = try await Self.requestMessage(harness, in: channel.id)
            #expect(request.content.contains("<@\(opener)>"), "the member is pinged")
            #expect(request.embeds.first?.fields?.first?.value == "Refund sent")
            let twice = try await control.runCommand("ticket", "close-request", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: twice, containing: "already asked")

            let notTheirs = try await harness.click(
                "aetheria:ticket:close-request:accept", on: request.id, in: channel.id, as: fixture.staff)
            _ = try await harness.answer(to: notTheirs, containing: "Only <@\(opener)> can answer")

            _ = try await harness.click(
                "aetheria:ticket:close-request:decline", on: request.id, in: channel.id, as: opener)
            try await eventually("the request says the member wants it open, without buttons") {
                let updated = try await harness.messages(in: channel.id).first { $0.id == request.id }
                return updated?.embeds.first?.description?.contains("wants to keep this ticket open") == true
                    && (updated?.components ?? []).isEmpty
            }
            #expect(await Self.ticketState(harness, fixture, channel.id)?.state == .open)
            #expect(await Self.ticketState(harness, fixture, channel.id)?.closeRequest == nil)

            // Asked again; this time the member agrees (in a staff-only type, the request is what lets them).
            _ = try await control.runCommand(
                "ticket", "close-request", in: channel.id, as: fixture.staff,
                options: [Option(name: "reason", value: "Refund arrived")])
            let second = try await Self.requestMessage(harness, in: channel.id)
            #expect(second.id != request.id)
            _ = try await harness.click(
                "aetheria:ticket:close-request:accept", on: second.id, in: channel.id, as: opener)
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("<dd>Refund arrived</dd>"))
            let record = try #require(
                try await harness.bot.transcripts.record(guildID: fixture.guildID, ticketNumber: 1))
            #expect(record.closerID == opener && record.closeReason == "Refund arrived")
            try await eventually("the answered request lost its buttons, and the log has the request and both answers")
            {
                let updated = try await harness.messages(in: channel.id).first { $0.id == second.id }
                let titles = try await harness.auditTitles(fixture)
                return (updated?.components ?? []).isEmpty
                    && titles.count { $0 == "Ticket #1: close requested" } == 2
                    && titles.contains("Ticket #1: close request declined")
                    && titles.contains("Ticket #1: close request accepted") && titles.contains("Ticket #1 closed")
            }
        }
    }

    @Test(
        "an unanswered close request closes the ticket after the type's timeout; a message from the member stops that")
    func unansweredRequestClosesByItself() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].closeRequestTimeoutHours = 24 }
            let panel = try await harness.postPanel(fixture)
            let quiet = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let talkative = try await harness.openTicket(fixture, panel: panel, as: fixture.members[1])
            let control = harness.discord.controlAPI
            var requests: [Message] = []
            for channel in [quiet, talkative] {
                _ = try await control.runCommand("ticket", "close-request", in: channel.id, as: fixture.staff)
                let request = try await Self.requestMessage(harness, in: channel.id)
                #expect(request.embeds.first?.description?.contains("closes automatically <t:") == true)
                requests.append(request)
            }
            try await harness.post("wait, one more question", in: talkative.id, as: fixture.members[1])
            try await eventually("the member's message counts as an answer") {
                await Self.ticketState(harness, fixture, talkative.id)?.closeRequest?.autoCloseAt == nil
            }

            #expect(await harness.bot.guilds.closeDueTickets() == 0, "not before the timeout")
            harness.clock.advance(by: 25 * 3_600)
            #expect(await harness.bot.guilds.closeDueTickets() == 1)
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("Nobody answered the close request"))
            #expect(await Self.ticketState(harness, fixture, talkative.id)?.state == .open)
            // A late click on the closed ticket's request takes its dead buttons away.
            _ = try await harness.click(
                "aetheria:ticket:close-request:accept", on: requests[0].id, in: quiet.id, as: fixture.members[0])
            try await eventually("the stale request loses its buttons") {
                let updated = try await harness.messages(in: quiet.id).first { $0.id == requests[0].id }
                return updated?.embeds.first?.description == "This request is no longer open."
                    && (updated?.components ?? []).isEmpty
            }
            try await eventually("the closing notice names no closer") {
                try await harness.messages(in: quiet.id).contains {
                    $0.embeds.first?.title == "🔒 Ticket closed"
                        && $0.embeds.first?.description?.contains("Ticket #1 was closed.") == true
                }
            }
        }
    }

    @Test("a silent ticket closes the configured hours after its reminder, which warns when; activity stops it")
    func silentTicketClosesAfterReminder() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].autoCloseAfterReminderHours = 12 }
            let panel = try await harness.postPanel(fixture)
            let silent = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let answered = try await harness.openTicket(fixture, panel: panel, as: fixture.members[1])
            harness.clock.advance(by: 49 * 3_600)
            #expect(await harness.bot.guilds.sendStaleReminders() == 2)
            let reminder = try #require(
                try await harness.messages(in: silent.id).last { $0.embeds.first?.title == "Still need help?" })
            #expect(reminder.embeds.first?.description?.contains("closes automatically <t:") == true)
            try await harness.post("still here!", in: answered.id, as: fixture.members[1])
            try await eventually("the reply clears the reminder") {
                await Self.ticketState(harness, fixture, answered.id)?.reminderSentAt == nil
            }

            harness.clock.advance(by: 11 * 3_600)
            #expect(await harness.bot.guilds.closeDueTickets() == 0, "the warning's time has not come")
            harness.clock.advance(by: 2 * 3_600)
            #expect(await harness.bot.guilds.closeDueTickets() == 1)
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("No activity for 12 h after the reminder"))
            #expect(await Self.ticketState(harness, fixture, answered.id)?.state == .open)
        }
    }
}
