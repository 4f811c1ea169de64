import Testing

@testable import TicketCore

@Suite("Ticket channel names")
struct TicketChannelNameTests {
    @Test("the template's placeholders are filled and the result follows Discord's channel-name rules")
    func rendersTemplates() {
        #expect(TicketChannelName.render(template: "ticket-{username}", username: "Alice", number: 7) == "ticket-alice")
        #expect(
            TicketChannelName.render(template: "{number}-{username}", username: "Bob Smith", number: 42)
                == "0042-bob-smith")
        #expect(TicketChannelName.render(template: "help {username}!!", username: "Zoë 🎉", number: 1) == "help-zoë")
        #expect(TicketChannelName.render(template: "{username}", username: "🎉🎉", number: 12) == "ticket-0012")
        let long = TicketChannelName.render(
            template: "{username}", username: String(repeating: "a", count: 300), number: 1)
        #expect(long.count == 100)
    }

    @Test("templates that cannot make channel names are refused with a reason")
    func refusesBadTemplates() {
        #expect(TicketChannelName.problem(inTemplate: "ticket-{username}") == nil)
        #expect(TicketChannelName.problem(inTemplate: "   ") != nil)
        #expect(TicketChannelName.problem(inTemplate: "ticket-{user}") != nil)
        #expect(TicketChannelName.problem(inTemplate: "!!!") != nil)
    }
}
