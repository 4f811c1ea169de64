import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("Opening tickets against the emulator")
struct TicketOpeningTests {
    @Test("a click makes one private channel under the category, with a welcome message and an ephemeral link")
    func opensPrivateChannel() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let member = try #require(fixture.members.first)
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            let answer = try await harness.answer(to: click, containing: "Your ticket is ready")
            #expect((answer["original_message"]?["flags"]?.intValue ?? 0) & 64 != 0, "the link is ephemeral")

            let channels = try await harness.ticketChannels(of: fixture.guildID)
            #expect(channels.count == 1)
            let channel = try #require(channels.first)
            #expect(channel.name == "ticket-\(fixture.username(of: member))")
            #expect(channel.parentId == fixture.category)
            #expect(channel.topic?.hasSuffix("aetheria:ticket:1:\(member):1") == true)
            #expect(answer["original_message"]?["content"]?.stringValue?.contains("<#\(channel.id)>") == true)

            let opener = try await harness.access(of: member, to: channel.id)
            #expect(opener.view && opener.send)
            let staff = try await harness.access(of: fixture.staff, to: channel.id)
            #expect(staff.view && staff.send)
            let bot = try await harness.access(of: EmulatorConfiguration.botUserID, to: channel.id)
            #expect(bot.view && bot.send && bot.manageChannels)
            for other in fixture.members.dropFirst().prefix(3) {
                #expect(try await harness.access(of: other, to: channel.id).view == false)
            }

            let welcome = try await harness.welcome(in: channel.id)
            #expect(welcome.content.contains("<@\(member)>"))
            #expect(welcome.content.contains("<@&\(fixture.staffRole)>"))
            #expect(welcome.components?.first?.components?.first?.label == "Close Ticket")
            try await eventually("the audit log records the ticket") {
                try await harness.auditTitles(fixture).contains("Ticket #1 created")
            }
        }
    }

    @Test(
        "a click that meets the member's first ticket still being made waits for it: when that one fails (its acknowledgement came too late), this one opens the ticket"
    )
    func clickAfterAFailingOpening() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let member = try #require(fixture.members.first)
            // The first click's acknowledgement reaches Discord after its 3 seconds: refused, so no channel.
            _ = try await harness.discord.control(
                .POST, "/faults/rest",
                json: #"{"kind":"latency","path_contains":"/callback","remaining":1,"latency_milliseconds":3500}"#)
            let first = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            // The second click comes once the first click's acknowledgement has taken the delay (it is sent after
            // the opening is stored, so waiting for `opening` alone let the second click's acknowledgement take it
            // first on a loaded machine).
            try await eventually("the first click's acknowledgement is under way, delayed") {
                try await harness.discord.control(.GET, "/faults/rest").json?.arrayValue?.isEmpty == true
            }
            #expect(
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets.contains {
                    $0.state == .opening
                } == true)
            let second = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            // The first click alone holds the answer for 3.5 s: allow for a loaded machine beyond that.
            _ = try await harness.answer(to: second, containing: "Your ticket is ready", timeout: .seconds(60))
            let record = try await harness.discord.control(.GET, "/interactions/\(first.id)").json
            #expect(record?["acknowledged"]?.boolValue == false, "the late acknowledgement was refused")
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1)
        }
    }

    @Test("a double click and a second click both yield exactly one channel and tell the member where it is")
    func doubleClickMakesOneChannel() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let member = try #require(fixture.members.first)
            async let first = harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            async let second = harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            let clicks = try await [first, second]
            let answers = try await [
                harness.answer(to: clicks[0], containing: "ticket"),
                harness.answer(to: clicks[1], containing: "ticket"),
            ]
            let texts = answers.compactMap { $0["original_message"]?["content"]?.stringValue }
            #expect(texts.filter { $0.contains("Your ticket is ready") }.count == 1)
            #expect(texts.filter { $0.contains("You already have an open ticket") }.count == 1)
            // Both clicks are answered for good, and a channel is only made before "ready" is said: the count is
            // final here. The second click waited for the first ticket, so it names the real channel.
            let channels = try await harness.ticketChannels(of: fixture.guildID)
            #expect(channels.count == 1)
            #expect(texts.contains { $0.contains("already") && $0.contains("<#\(channels.first?.id ?? 0)>") })

            let third = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            let channel = try #require(try await harness.ticketChannels(of: fixture.guildID).first)
            let reply = try await harness.answer(to: third, containing: "already")
            #expect(reply["original_message"]?["content"]?.stringValue?.contains("<#\(channel.id)>") == true)
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1)
        }
    }

    @Test("ticket numbers count up per guild and the name template applies at once")
    func numbersAndTemplate() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].nameTemplate = "help-{number}-{username}" }
            let panel = try await harness.postPanel(fixture)
            let first = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let second = try await harness.openTicket(fixture, panel: panel, as: fixture.members[1])
            #expect(first.name == "help-0001-\(fixture.username(of: fixture.members[0]))")
            #expect(second.name == "help-0002-\(fixture.username(of: fixture.members[1]))")
        }
    }

    @Test("without Manage Channels the member gets a clear message, the log says why, and no ticket is left half-made")
    func missingPermission() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let botRole = try #require(fixture.guild.role(named: "Aetheria"))
            let patched = try await harness.discord.control(
                .PATCH, "/guilds/\(fixture.guildID)/roles/\(botRole.id)",
                json:
                    #"{"permissions":"\#(Permissions([.viewChannel, .sendMessages, .embedLinks, .readMessageHistory]).rawValue)"}"#
            )
            #expect(patched.status == 200)
            let member = try #require(fixture.members.first)
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            let answer = try await harness.answer(to: click, containing: "permission")
            #expect(answer["original_message"]?["content"]?.stringValue?.contains("staff have been told") == true)
            #expect(try await harness.ticketChannels(of: fixture.guildID).isEmpty)
            try await eventually("the audit log explains the failure") {
                try await harness.auditTitles(fixture).contains { $0.contains("could not be created") }
            }
            // Fixed by an admin: the member can try again and gets a ticket.
            _ = try await harness.discord.control(
                .PATCH, "/guilds/\(fixture.guildID)/roles/\(botRole.id)",
                json: #"{"permissions":"\#(botRole.permissions.rawValue)"}"#)
            _ = try await harness.openTicket(fixture, panel: panel, as: member)
        }
    }

    @Test("a full category gets a clear message instead of a ticket")
    func fullCategory() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let existing = try await harness.channels(of: fixture.guildID).filter { $0.parentId == fixture.category }
            for index in existing.count..<50 {
                let created = try await harness.discord.control(
                    .POST, "/guilds/\(fixture.guildID)/channels",
                    json: #"{"name":"filler-\#(index)","type":0,"parent_id":"\#(fixture.category)"}"#)
                try #require(created.status == 200 || created.status == 201)
            }
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: fixture.members[0])
            _ = try await harness.answer(to: click, containing: "category is full")
            #expect(try await harness.ticketChannels(of: fixture.guildID).isEmpty)
        }
    }
}
