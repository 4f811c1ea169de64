import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("One guild that takes a permission from the bot pauses itself, not the others")
struct GuildPauseTests {
    /// POST /guilds/{guild}/channels calls the emulator answered for `guild`.
    static func channelCreations(_ harness: BotHarness, in guild: GuildID) async throws -> Int {
        let calls = try await harness.discord.control(.GET, "/records/rest").json?.arrayValue ?? []
        return calls.count {
            $0["method"]?.stringValue == "POST" && $0["path"]?.stringValue == "/api/v10/guilds/\(guild)/channels"
        }
    }

    @Test("after repeated refusals the guild stops asking Discord, tells its admins why, and recovers when fixed")
    func pausesItselfOnly() async throws {
        try await BotHarness.run(guilds: 2) { harness in
            let guilds = try await harness.discord.guilds()
            let broken = try TicketFixture(try #require(guilds.first))
            let healthy = try TicketFixture(try #require(guilds.last))
            try await harness.configure(broken)
            try await harness.configure(healthy)
            let brokenPanel = try await harness.postPanel(broken)
            let healthyPanel = try await harness.postPanel(healthy)
            let botRole = try #require(broken.guild.role(named: "Aetheria"))
            _ = try await harness.discord.control(
                .PATCH, "/guilds/\(broken.guildID)/roles/\(botRole.id)",
                json: #"{"permissions":"\#(Permissions([.viewChannel, .sendMessages, .embedLinks]).rawValue)"}"#)
            // Five members click; Discord refuses each channel (50013).
            for member in broken.members.prefix(5) {
                let click = try await harness.click(
                    "aetheria:ticket:open:1", on: brokenPanel.id, in: broken.supportChannel, as: member)
                _ = try await harness.answer(to: click, containing: "permission")
            }
            try await eventually("the moderation log says the guild paused and why") {
                try await harness.messages(in: broken.logChannel).contains {
                    $0.embeds.first?.title?.contains("Tickets are paused") == true
                        && $0.embeds.first?.fields?.contains { $0.value.contains("Manage Channels") } == true
                }
            }
            let attempts = try await Self.channelCreations(harness, in: broken.guildID)
            #expect(attempts == 5)
            // The sixth click is answered without another request Discord would refuse.
            let sixth = try #require(broken.members.dropFirst(5).first)
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: brokenPanel.id, in: broken.supportChannel, as: sixth)
            let answer = try await harness.answer(to: click, containing: "paused")
            #expect(answer["original_message"]?["content"]?.stringValue?.contains("Manage Channels") == true)
            #expect(try await Self.channelCreations(harness, in: broken.guildID) == attempts)
            // The other guild never noticed.
            _ = try await harness.openTicket(healthy, panel: healthyPanel, as: try #require(healthy.members.first))
            // An admin gives the permission back (a role update): tickets open again.
            _ = try await harness.discord.control(
                .PATCH, "/guilds/\(broken.guildID)/roles/\(botRole.id)",
                json: #"{"permissions":"\#(botRole.permissions.rawValue)"}"#)
            try await eventually("the bot sees the role change") {
                let overview = await harness.bot.guilds.overview(of: broken.guildID)
                return overview?.discord?.role(botRole.id)?.permissions == botRole.permissions
            }
            _ = try await harness.openTicket(broken, panel: brokenPanel, as: sixth)
        }
    }
}
