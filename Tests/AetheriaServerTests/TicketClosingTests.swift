import DiscordModels
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing

@testable import AetheriaServer

@Suite("Closing tickets against the emulator")
struct TicketClosingTests {
    @Test(
        "closing locks the channel, saves a transcript with every message (edits and deletions too), logs, then deletes the channel"
    )
    func closesTicket() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].deleteDelaySeconds = 2 }
            let panel = try await harness.postPanel(fixture)
            let member = try #require(fixture.members.first)
            let channel = try await harness.openTicket(fixture, panel: panel, as: member)
            let welcome = try await harness.welcome(in: channel.id)
            try await harness.post("My order never arrived", in: channel.id, as: member)
            try await harness.post("Let me check that for you", in: channel.id, as: fixture.staff)
            try await harness.post("Typo here", in: channel.id, as: member)
            let typo = try #require(try await harness.messages(in: channel.id).last)
            _ = try await harness.discord.control(
                .PATCH, "/channels/\(channel.id)/messages/\(typo.id)", json: #"{"content":"Order #1234, thanks"}"#)
            try await harness.post("oops, wrong channel", in: channel.id, as: member)
            let deleted = try #require(try await harness.messages(in: channel.id).last)
            _ = try await harness.discord.control(.DELETE, "/channels/\(channel.id)/messages/\(deleted.id)")
            // The close must come after the bot saw the edit and the deletion on the gateway (they are what the
            // transcript is checked for below).
            let actor = try #require(harness.bot.guilds.actor(for: fixture.guildID))
            try await eventually("the bot saw the edit and the deletion") {
                let seen = await actor.captured[channel.id]
                return seen?[typo.id]?.content == "Order #1234, thanks" && seen?[deleted.id]?.isDeleted == true
            }

            let close = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: member)
            try await eventually("the closing notice replaces the click's reply") {
                let record = try await harness.discord.control(.GET, "/interactions/\(close.id)").json
                return record?["original_message"]?["embeds"]?.arrayValue?.first?["title"]?.stringValue
                    == "🔒 Ticket closed"
            }
            let locked = try await harness.access(of: member, to: channel.id)
            #expect(locked.view && !locked.send, "the opener can read but no longer write")

            let transcripts = harness.bot.transcripts
            let record = try #require(try await transcripts.record(guildID: fixture.guildID, ticketNumber: 1))
            #expect(record.openerID == member)
            #expect(record.closerID == member)
            // The welcome and the four messages, the deleted one included; not the close's own "thinking…"
            // placeholder, which would show as an empty message from Aetheria.
            #expect(record.messageCount == 5)
            let html = String(
                decoding: try #require(try await transcripts.html(guildID: fixture.guildID, ticketNumber: 1)),
                as: UTF8.self)
            #expect(html.contains("My order never arrived"))
            #expect(html.contains("Let me check that for you"))
            #expect(html.contains("Order #1234, thanks"))
            #expect(html.contains("oops, wrong channel"), "a message deleted during the ticket stays in the transcript")
            #expect(html.contains("(deleted)"))
            #expect(html.contains("(edited)"))

            try await eventually("the audit log records the close with a transcript link") {
                let closed = try await harness.messages(in: fixture.logChannel).first {
                    $0.embeds.first?.title == "Ticket #1 closed"
                }
                return closed?.embeds.first?.fields?.contains {
                    $0.name == "Transcript" && $0.value.contains("/guilds/\(fixture.guildID)/transcripts/1")
                } == true
            }
            try await eventually("the channel is deleted after the delay", timeout: .seconds(8)) {
                try await harness.ticketChannels(of: fixture.guildID).isEmpty
            }
            try await eventually("the deletion is logged") {
                try await harness.auditTitles(fixture).contains("Ticket #1 channel deleted")
            }
            let overview = try #require(await harness.bot.guilds.overview(of: fixture.guildID))
            #expect(overview.tickets.tickets.isEmpty)
            #expect(overview.tickets.analytics.opened == 1)
            #expect(overview.tickets.analytics.closed == 1)
            #expect(overview.tickets.analytics.firstResponseCount == 1)
        }
    }

    @Test("with staff-only closing the opener is refused privately and the ticket stays open; staff can close")
    func staffOnlyClosing() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].closePolicy = .staffOnly }
            let panel = try await harness.postPanel(fixture)
            let member = try #require(fixture.members.first)
            let channel = try await harness.openTicket(fixture, panel: panel, as: member)
            let welcome = try await harness.welcome(in: channel.id)
            let refused = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: member)
            let answer = try await harness.answer(to: refused, containing: "Only the support staff")
            #expect((answer["original_message"]?["flags"]?.intValue ?? 0) & 64 != 0)
            #expect(try await harness.access(of: member, to: channel.id).send)
            let close = try await harness.click(
                "aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.staff)
            _ = try await harness.answer(to: close)
            try await eventually("the staff member's close locks the ticket") {
                try await harness.access(of: member, to: channel.id).send == false
            }
        }
    }

    @Test("a ticket channel deleted by hand closes its record and is logged")
    func channelDeletedByHand() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            _ = try await harness.discord.control(.DELETE, "/channels/\(channel.id)")
            try await eventually("the record is archived") {
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets.isEmpty == true
            }
            try await eventually("the deletion is logged") {
                try await harness.auditTitles(fixture).contains("Ticket #1 channel deleted")
            }
            // The member can open a new ticket right away.
            _ = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
        }
    }
}
