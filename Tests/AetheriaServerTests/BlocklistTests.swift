import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore

/// The blocklist and the guild-wide openings limit, against the emulator: what a blocked member, a rushing
/// crowd and the staff see.
@Suite("Blocklist and the guild-wide openings limit against the emulator")
struct BlocklistTests {
    typealias Option = EmulatorControlClient.OptionValue

    @Test("staff block a member with a reason (anywhere); the member is refused with it; unblock lets them in again")
    func staffBlockAndUnblock() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let control = harness.discord.controlAPI
            let spammer = fixture.members[0]

            let byMember = try await control.runCommand(
                "ticket", "block", in: fixture.supportChannel, as: fixture.members[1],
                options: [Option(name: "member", value: spammer.description)])
            _ = try await StaffCommandTests.reply(harness, to: byMember, containing: "Only the support staff")
            let staffTarget = try await control.runCommand(
                "ticket", "block", in: fixture.supportChannel, as: fixture.admin,
                options: [Option(name: "member", value: fixture.staff.description)])
            _ = try await StaffCommandTests.reply(harness, to: staffTarget, containing: "is on the support staff")

            let block = try await control.runCommand(
                "ticket", "block", in: fixture.supportChannel, as: fixture.staff,
                options: [
                    Option(name: "member", value: spammer.description), Option(name: "reason", value: "Spam tickets"),
                ])
            #expect(
                try await StaffCommandTests.reply(harness, to: block, containing: "can no longer open tickets")
                    .ephemeral)
            // Listed on the dashboard by the names the command carried.
            let entry = await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.config.access.blocked.first
            let spammerMember = try #require(fixture.guild.members.first { $0.user?.id == spammer })
            #expect(entry?.memberName == spammerMember.nick ?? spammerMember.user?.displayName)
            #expect(entry?.addedByName != nil && entry?.addedBy == fixture.staff)
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: spammer)
            _ = try await harness.answer(to: click, containing: "You cannot open tickets in this server: Spam tickets")
            #expect(try await harness.ticketChannels(of: fixture.guildID).isEmpty)
            try await eventually("the log says who blocked whom, and why") {
                try await harness.messages(in: fixture.logChannel).contains { message in
                    message.embeds.first?.title == "Ticket settings changed"
                        && message.embeds.first?.fields?.contains {
                            $0.value.contains("Blocked: <@\(spammer)> (Spam tickets)")
                        } == true
                        && message.embeds.first?.fields?.contains { $0.value == "<@\(fixture.staff)>" } == true
                }
            }
            let again = try await control.runCommand(
                "ticket", "block", in: fixture.supportChannel, as: fixture.staff,
                options: [Option(name: "member", value: spammer.description)])
            _ = try await StaffCommandTests.reply(harness, to: again, containing: "already blocked")

            let unblock = try await control.runCommand(
                "ticket", "unblock", in: fixture.supportChannel, as: fixture.staff,
                options: [Option(name: "member", value: spammer.description)])
            _ = try await StaffCommandTests.reply(harness, to: unblock, containing: "can open tickets again")
            _ = try await harness.openTicket(fixture, panel: panel, as: spammer)
        }
    }

    @Test("beyond the server's openings limit, members are asked to wait and the log says so once; the window slides")
    func openingsLimit() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.access.openingsPerWindow = 2 }
            let panel = try await harness.postPanel(fixture)
            _ = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            _ = try await harness.openTicket(fixture, panel: panel, as: fixture.members[1])
            for member in fixture.members[2...3] {
                let click = try await harness.click(
                    "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
                _ = try await harness.answer(to: click, containing: "receiving a lot of tickets right now")
            }
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 2)
            try await eventually("the log reports the limit once") {
                try await harness.auditTitles(fixture).count { $0 == "⚠️ New tickets are limited" } == 1
            }
            harness.clock.advance(by: 601)
            _ = try await harness.openTicket(fixture, panel: panel, as: fixture.members[2])
        }
    }
}
