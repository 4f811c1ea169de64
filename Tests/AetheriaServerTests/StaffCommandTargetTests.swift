import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore

/// Who a staff command may name, judged by the bot's own records and Discord's word (REST), never the
/// interaction's `resolved` data: the bot itself cannot be added, removed or handed a ticket (that locked the
/// bot out of the ticket, so its close failed for good), non-members cannot be added, and staff-ness comes
/// from the member's real roles.
@Suite("Staff commands: who they may name")
struct StaffCommandTargetTests {
    typealias Option = StaffCommandTests.Option
    static let bot = EmulatorConfiguration.botUserID

    @Test("the bot cannot be added to, removed from or handed a ticket; its access stays and the close works")
    func botStaysInTheTicket() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            for subcommand in ["add", "remove", "transfer"] {
                let sent = try await StaffCommandTests.run(
                    harness, subcommand, in: channel.id, as: fixture.staff,
                    [Option(name: "member", value: Self.bot.description)])
                let answer = try await StaffCommandTests.reply(harness, to: sent, containing: "Aetheria")
                #expect(answer.ephemeral, "\(subcommand): \(answer.text)")
            }
            let own = try #require(
                try await StaffCommandTests.overwrite(of: Self.bot.rawValue, in: channel.id, harness))
            #expect(own.allow.contains(.viewChannel) && own.allow.contains(.manageChannels))
            let close = try await StaffCommandTests.run(harness, "close", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: close, containing: "was closed")
            #expect(try await harness.bot.transcripts.record(guildID: fixture.guildID, ticketNumber: 1) != nil)
        }
    }

    @Test("someone who left the server cannot be added")
    func nonMemberRefused() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let leaver = fixture.members[3]
            #expect(
                try await harness.discord.control(.DELETE, "/guilds/\(fixture.guildID)/members/\(leaver)").status < 300)
            // A client may still name them (a user option resolves any user), and claim anything in `resolved`.
            let sent = try await harness.discord.controlAPI.sendRawInteraction(
                type: 2,
                data: #"""
                    {"id":"1","name":"ticket","type":1,
                    "options":[{"name":"add","type":1,"options":[{"name":"member","type":6,"value":"\#(leaver)"}]}],
                    "resolved":{"members":{"\#(leaver)":{"roles":[],"joined_at":"2025-01-01T00:00:00.000000+00:00"}}}}
                    """#, in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: sent, containing: "is not a member of this server")
            #expect(try await StaffCommandTests.overwrite(of: leaver.rawValue, in: channel.id, harness) == nil)
        }
    }

    @Test("staff-ness comes from the member's real roles: forged resolved data neither blocks staff nor makes staff")
    func forgedResolvedMembers() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            // Block the staff member, with no `resolved` at all (it used to count them as not staff).
            let block = try await harness.discord.controlAPI.sendRawInteraction(
                type: 2,
                data: #"""
                    {"id":"1","name":"ticket","type":1,
                    "options":[{"name":"block","type":1,"options":[{"name":"member","type":6,"value":"\#(fixture.staff)"}]}]}
                    """#, in: fixture.supportChannel, as: fixture.admin)
            _ = try await StaffCommandTests.reply(harness, to: block, containing: "on the support staff")
            let overview = try #require(await harness.bot.guilds.overview(of: fixture.guildID))
            #expect(overview.tickets.config.access.blocked.isEmpty)
            // Transfer to an ordinary member whom forged `resolved` data gives the staff role.
            let member = fixture.members[1]
            let transfer = try await harness.discord.controlAPI.sendRawInteraction(
                type: 2,
                data: #"""
                    {"id":"1","name":"ticket","type":1,
                    "options":[{"name":"transfer","type":1,"options":[{"name":"member","type":6,"value":"\#(member)"}]}],
                    "resolved":{"members":{"\#(member)":{"roles":["\#(fixture.staffRole)"],"permissions":"8","joined_at":"2025-01-01T00:00:00.000000+00:00"}}}}
                    """#, in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(
                harness, to: transfer, containing: "is not on this ticket type's staff")
            let ticket = try #require(await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.ticket(number: 1))
            #expect(ticket.claimerID == nil)
        }
    }

    @Test(
        "names come from Discord, not from resolved data: a forged name for an added member never reaches the transcript"
    )
    func forgedNamesAreNotRemembered() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let guest = fixture.members[2]
            let sent = try await harness.discord.controlAPI.sendRawInteraction(
                type: 2,
                data: #"""
                    {"id":"1","name":"ticket","type":1,
                    "options":[{"name":"add","type":1,"options":[{"name":"member","type":6,"value":"\#(guest)"}]}],
                    "resolved":{"users":{"\#(guest)":{"id":"\#(guest)","username":"MalloryForged","global_name":"MalloryForged","discriminator":"0"}},
                    "members":{"\#(guest)":{"nick":"MalloryForged","roles":[],"joined_at":"2025-01-01T00:00:00.000000+00:00"}}}}
                    """#, in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: sent, containing: "added")
            let close = try await StaffCommandTests.run(harness, "close", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: close, containing: "was closed")
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(!html.contains("MalloryForged"), "a name only the client vouched for is in the transcript")
            let realName = try #require(fixture.guild.members.first { $0.user?.id == guest }?.user?.displayName)
            #expect(html.contains("@\(realName)"), "the member's real name is")
        }
    }
}
