import AetheriaServer
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import TicketCore

/// A member opens only what the panel they clicked offers: the interaction's data (a button's custom ID, a
/// select menu's value, a modal's custom ID) is whatever a modified client sent, delivered here through the
/// emulator's raw-interaction route.
@Suite("Openings are checked against the panel the click came from")
struct PanelOfferTests {
    /// Support (1) and Billing (2) on the "Support" panel, Appeals (3) on an "Appeals" panel of its own, and
    /// Staff hiring (4) on no panel at all.
    static func setUp(_ harness: BotHarness, _ fixture: TicketFixture, layout: TicketPanel.Layout) async throws {
        var config = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
        config.types = [
            TicketType(staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category]),
            TicketType(id: 2, name: "Billing", staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category]),
            TicketType(id: 3, name: "Appeals", staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category]),
            TicketType(
                id: 4, name: "Staff hiring", staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category],
                questions: [TicketQuestion(label: "Why you?")]),
        ]
        config.panels = [
            TicketPanel(id: 1, name: "Support", layout: layout, typeIDs: [1, 2]),
            TicketPanel(id: 2, name: "Appeals", typeIDs: [3]),
        ]
        config.logRouting = .everything(to: fixture.logChannel)
        try await harness.bot.guilds.updateConfig(config, for: fixture.guildID, by: fixture.admin)
    }

    /// Posts the "Support" panel with `/ticket-setup` and returns its message.
    static func postSupportPanel(
        _ harness: BotHarness, _ fixture: TicketFixture, firstCustomID: String
    ) async throws
        -> Message
    {
        _ = try await harness.runCommand("ticket-setup", in: fixture.supportChannel, as: fixture.admin)
        let box = Mutex<Message?>(nil)
        try await eventually("the panel is posted") {
            let found = try await harness.messages(in: fixture.supportChannel).first {
                $0.components?.first?.components?.first?.customId == firstCustomID
            }
            box.withLock { $0 = found }
            return found != nil
        }
        return try #require(box.withLock { $0 })
    }

    static func expectRefused(_ sent: SentInteraction, _ harness: BotHarness, _ fixture: TicketFixture) async throws {
        _ = try await StaffCommandTests.reply(harness, to: sent, containing: "does not offer that kind of ticket")
        #expect(try await harness.ticketChannels(of: fixture.guildID).isEmpty, "a forged choice opened a ticket")
    }

    @Test("buttons: a forged type, another panel's type and a form of a type on no panel are refused")
    func forgedButtonsAndForms() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await Self.setUp(harness, fixture, layout: .buttons)
            let panel = try await Self.postSupportPanel(harness, fixture, firstCustomID: "aetheria:ticket:open:1")
            let control = harness.discord.controlAPI
            let member = fixture.members[0]
            for typeID in [3, 4] {
                let forged = try await control.sendRawInteraction(
                    type: 3, data: #"{"custom_id":"aetheria:ticket:open:\#(typeID)","component_type":2}"#,
                    in: fixture.supportChannel, on: panel.id, as: member)
                try await Self.expectRefused(forged, harness, fixture)
            }
            let form = try await control.sendRawInteraction(
                type: 5,
                data: #"""
                    {"custom_id":"aetheria:ticket:form:4","components":[{"type":1,"components":[{"type":4,"custom_id":"q0","value":"me"}]}]}
                    """#, in: fixture.supportChannel, on: panel.id, as: member)
            try await Self.expectRefused(form, harness, fixture)
            // What the panel offers still opens.
            let honest = try await harness.click(
                "aetheria:ticket:open:2", on: panel.id, in: fixture.supportChannel, as: member)
            _ = try await harness.answer(to: honest, containing: "Your ticket is ready")
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1)
        }
    }

    @Test("a select menu: a value the menu does not list is refused; a listed one opens")
    func forgedSelectValue() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await Self.setUp(harness, fixture, layout: .selectMenu)
            let panel = try await Self.postSupportPanel(harness, fixture, firstCustomID: "aetheria:ticket:choose:1")
            let member = fixture.members[0]
            for value in ["3", "4", "99999"] {
                let forged = try await harness.discord.controlAPI.sendRawInteraction(
                    type: 3,
                    data: #"{"custom_id":"aetheria:ticket:choose:1","component_type":3,"values":["\#(value)"]}"#,
                    in: fixture.supportChannel, on: panel.id, as: member)
                try await Self.expectRefused(forged, harness, fixture)
            }
            let honest = try await harness.discord.controlAPI.select(
                ["2"], in: "aetheria:ticket:choose:1", on: panel.id, in: fixture.supportChannel, as: member)
            _ = try await harness.answer(to: honest, containing: "Your ticket is ready")
        }
    }
}
