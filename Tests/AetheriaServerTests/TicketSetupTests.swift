import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("/ticket-setup against the emulator")
struct TicketSetupTests {
    @Test("Aetheria registers /ticket-setup for administrators only at startup")
    func registersCommand() async throws {
        try await BotHarness.run { harness in
            let commands = try #require(try await harness.discord.control(.GET, "/commands").json?.arrayValue)
            let setup = try #require(commands.first { $0["name"]?.stringValue == "ticket-setup" })
            #expect(setup["default_member_permissions"]?.stringValue == "8")
        }
    }

    @Test("an administrator gets the styled panel with an Open Ticket button, and the command leaves nothing behind")
    func postsPanel() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            let before = try await harness.messages(in: fixture.supportChannel).count
            let command = try await harness.runCommand("ticket-setup", in: fixture.supportChannel, as: fixture.admin)
            let panel = try await harness.postPanel(fixture)
            let embed = try #require(panel.embeds.first)
            #expect(embed.title?.isEmpty == false)
            #expect(embed.description?.isEmpty == false)
            #expect(embed.color != nil)
            #expect(embed.footer?.text.isEmpty == false)
            // A new guild's one type, "Support", is the panel's one button.
            let button = try #require(panel.components?.first?.components?.first)
            #expect(button.label == "Support" && button.customId == "aetheria:ticket:open:1")
            try await eventually("the command's reply is gone") {
                let record = try await harness.discord.control(.GET, "/interactions/\(command.id)").json
                return record?["acknowledged"]?.boolValue == true && record?["original_message"]?.isNull == true
            }
            // One panel message per setup run (two were run: one above, one in postPanel), and nothing else.
            let after = try await harness.messages(in: fixture.supportChannel)
            #expect(after.count == before + 2)
            #expect(after.allSatisfy { $0.author.id == EmulatorConfiguration.botUserID })
        }
    }

    @Test("a member without Administrator is refused privately, even where the server unhid the command")
    func refusesMembers() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            let member = try #require(fixture.members.first)
            let response = try await harness.discord.control(
                .POST, "/interactions/command",
                json:
                    #"{"channel_id":"\#(fixture.supportChannel)","user_id":"\#(member)","name":"ticket-setup","bypass_default_permissions":true}"#
            )
            #expect(response.status == 201)
            let sent = BotHarness.SentInteraction(id: try #require(response.json?["interaction_id"]?.stringValue))
            let answer = try await harness.answer(to: sent, containing: "administrators")
            let flags = answer["original_message"]?["flags"]?.intValue ?? 0
            #expect(flags & 64 != 0, "the refusal is ephemeral")
            #expect(try await harness.messages(in: fixture.supportChannel).isEmpty)
        }
    }
}
