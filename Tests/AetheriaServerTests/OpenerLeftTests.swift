import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore

/// With member events on (the privileged GUILD_MEMBERS intent), a ticket whose opener leaves the server is
/// flagged or closed as its type says, against the emulator.
@Suite("The opener leaving the server against the emulator")
struct OpenerLeftServerTests {
    @Test("flag: a notice in the ticket and the log, the ticket stays; close: the ticket closes with the reason")
    func flaggedThenClosed() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            try await BotHarness.withBot(
                discord: discord, dataDirectory: BotHarness.temporaryDataDirectory(),
                configure: { $0.memberEvents = true }
            ) { harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture) { $0.types[0].whenOpenerLeaves = .flag }
                let panel = try await harness.postPanel(fixture)
                let leaver = fixture.members[0]
                let flagged = try await harness.openTicket(fixture, panel: panel, as: leaver)
                let removed = try await harness.discord.control(.DELETE, "/guilds/\(fixture.guildID)/members/\(leaver)")
                #expect(removed.status == 204)
                try await eventually("the ticket says the member left") {
                    try await harness.messages(in: flagged.id).contains {
                        $0.embeds.first?.title == "The member left the server"
                    }
                }
                try await eventually("the log says so") {
                    try await harness.auditTitles(fixture).contains("Ticket #1: member left")
                }
                #expect(
                    await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.ticket(inChannel: flagged.id)?.state
                        == .open)

                try await harness.configure(fixture) { $0.types[0].whenOpenerLeaves = .close }
                let second = fixture.members[1]
                _ = try await harness.openTicket(fixture, panel: panel, as: second)
                _ = try await harness.discord.control(.DELETE, "/guilds/\(fixture.guildID)/members/\(second)")
                let html = try await harness.savedTranscript(of: 2, in: fixture)
                #expect(html.contains("The member left the server"))
            }
        }
    }
}
