import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore
import TicketTestSupport

@Suite("Ticket configuration and slow Discord against the emulator")
struct TicketResilienceTests {
    @Test("the click is acknowledged within Discord's 3 seconds even when creating the channel takes 4")
    func acknowledgesWhileDiscordIsSlow() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let fault = try await harness.discord.control(
                .POST, "/faults/rest",
                json: #"{"kind":"latency","path_contains":"/guilds/","method":"POST","latency_milliseconds":4000}"#)
            #expect(fault.status == 200 || fault.status == 204)
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: fixture.members[0])
            try await eventually("the click is acknowledged") {
                try await harness.discord.control(.GET, "/interactions/\(click.id)").json?["acknowledged"]?.boolValue
                    == true
            }
            let record = try #require(try await harness.discord.control(.GET, "/interactions/\(click.id)").json)
            let latency = try #require(record["acknowledgement_latency_ms"]?.doubleValue)
            #expect(latency < 3_000, "acknowledged after \(latency) ms")
            _ = try await harness.answer(to: click, containing: "Your ticket is ready")
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1)
        }
    }

    @Test(
        "a configuration naming things the guild lacks is refused field by field; a good one is logged with what changed"
    )
    func validatesAndLogsConfiguration() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let bad = TicketConfig(
                staffRoleID: RoleID(12345), parentCategoryID: fixture.logChannel, nameTemplate: "{oops}",
                logChannelID: fixture.logChannel)
            do {
                _ = try await harness.bot.guilds.updateConfig(bad, for: fixture.guildID, by: fixture.admin)
                Issue.record("an invalid configuration was accepted")
            } catch let error as TicketConfigValidationError {
                #expect(Set(error.problems.map(\.field)) == [.staffRoles, .categories, .nameTemplate])
            }
            var good = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
            good.types[0].nameTemplate = "support-{username}"
            let changes = try await harness.bot.guilds.updateConfig(good, for: fixture.guildID, by: fixture.admin)
            #expect(changes == ["Type **Support** · name template: `ticket-{username}` → `support-{username}`"])
            try await eventually("the change is in the moderation log") {
                try await harness.messages(in: fixture.logChannel).contains {
                    $0.embeds.first?.title == "Ticket settings changed"
                        && $0.embeds.first?.fields?.contains { $0.value.contains("support-{username}") } == true
                }
            }
        }
    }

    @Test("a deleted staff role is reported in the log, and tickets still open for members")
    func deletedStaffRole() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            _ = try await harness.discord.control(.DELETE, "/guilds/\(fixture.guildID)/roles/\(fixture.staffRole)")
            try await eventually("the broken reference is logged and shown") {
                let problems = await harness.bot.guilds.overview(of: fixture.guildID)?.configProblems ?? []
                let titles = try await harness.auditTitles(fixture)
                return problems.contains { $0.field == .staffRoles }
                    && titles.contains("⚠️ Ticket settings need attention")
            }
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: fixture.members[0])
            _ = try await harness.answer(to: click, containing: "no longer exists")
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1)
        }
    }
}
