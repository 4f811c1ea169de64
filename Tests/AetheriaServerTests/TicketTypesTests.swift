import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import TicketCore
import TicketTestSupport

/// Ticket types, panels and questions end to end against the emulator, as an admin sets them up and members
/// use them.
@Suite("Ticket types, panels and questions against the emulator")
struct TicketTypesTests {
    /// Two types: the default "Support" and "Billing" with two questions, its own channel names and log routing
    /// that sends openings to a channel of their own.
    static func billingSetup(_ harness: BotHarness, _ fixture: TicketFixture, openingsLog: ChannelID) async throws {
        var config = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
        config.types = [
            TicketType(staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category]),
            TicketType(
                id: 2, name: "Billing", emoji: "💳", summary: "Payments and refunds", staffRoleIDs: [fixture.staffRole],
                categoryIDs: [fixture.category], nameTemplate: "{type}-{number}",
                welcomeText: "Thanks! **Billing** answers within a day.",
                questions: [
                    TicketQuestion(label: "Order number", minimumLength: 3, maximumLength: 20),
                    TicketQuestion(label: "What happened?", style: .paragraph, required: false),
                ]),
        ]
        config.panels = [TicketPanel(typeIDs: [1, 2])]
        config.logRouting = .everything(to: fixture.logChannel)
        config.logRouting[.created] = openingsLog
        // The log channel was just made: the bot accepts it once its gateway has shown the channel (a saved
        // setting naming a channel the bot cannot see is refused).
        let settings = config
        try await eventually("the settings naming the new channel are accepted") {
            (try? await harness.bot.guilds.updateConfig(settings, for: fixture.guildID, by: fixture.admin)) != nil
        }
    }

    static func textChannel(_ name: String, in fixture: TicketFixture, _ harness: BotHarness) async throws -> ChannelID
    {
        let created = try await harness.discord.control(
            .POST, "/guilds/\(fixture.guildID)/channels", json: #"{"name":"\#(name)","type":0}"#)
        return try #require(created.json?["id"]?.snowflakeValue.map { ChannelID($0) })
    }

    @Test(
        "a type with questions: the modal is shown, the client refuses a missing answer, the answers open the ticket and appear in it, the log and the transcript"
    )
    func questionsModal() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            let openings = try await Self.textChannel("ticket-openings", in: fixture, harness)
            try await Self.billingSetup(harness, fixture, openingsLog: openings)
            let panel = try await harness.postPanel(fixture)
            let buttons = (panel.components ?? []).flatMap(\.flattened).filter { $0.type == .button }
            #expect(buttons.map(\.label) == ["Support", "Billing"])
            #expect(buttons.last?.emoji?.name == "💳")

            let member = fixture.members[0]
            let click = try await harness.click(
                "aetheria:ticket:open:2", on: panel.id, in: fixture.supportChannel, as: member)
            let shown = try await harness.modal(answering: click)
            #expect(shown["title"]?.stringValue == "Open a ticket: Billing")
            #expect(shown["components"]?.arrayValue?.count == 2)
            #expect(try await harness.ticketChannels(of: fixture.guildID).isEmpty, "nothing opens before the form")

            let control = harness.discord.controlAPI
            await #expect(throws: EmulatorControlError.self, "a required question left empty is not submitted") {
                _ = try await control.submitModal(of: click, values: ["q1": "no order number"])
            }
            let submitted = try await control.submitModal(
                of: click, values: ["q0": "A-1234", "q1": "I was charged twice"])
            _ = try await harness.answer(to: submitted, containing: "Your ticket is ready")
            await #expect(throws: EmulatorControlError.self, "a modal is submitted once") {
                _ = try await control.submitModal(of: click, values: ["q0": "A-1234"])
            }

            let channel = try #require(try await harness.ticketChannels(of: fixture.guildID).first)
            #expect(channel.name == "billing-0001" && channel.parentId == fixture.category)
            let welcome = try await harness.welcome(in: channel.id)
            #expect(welcome.embeds.first?.title == "Answers")
            #expect(welcome.embeds.first?.fields?.map(\.value) == ["A-1234", "I was charged twice"])
            #expect(welcome.embeds.last?.description?.contains("**Billing** answers within a day") == true)
            #expect(welcome.content.contains("<@&\(fixture.staffRole)>"))

            try await eventually("the opening is logged in its own channel, with the answers") {
                try await harness.messages(in: openings).contains {
                    $0.embeds.first?.title == "Ticket #1 created"
                        && $0.embeds.first?.fields?.contains { $0.name == "Order number" && $0.value == "A-1234" }
                            == true
                }
            }
            #expect(
                !(try await harness.auditTitles(fixture)).contains("Ticket #1 created"),
                "openings no longer go to the general log")

            let close = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: member)
            _ = try await harness.answer(to: close)
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("<dt>Type</dt><dd>Billing</dd>"))
            #expect(html.contains("<dt>Order number</dt><dd>A-1234</dd>"))
            // The answers are searchable among the guild's transcripts.
            var search = TranscriptQuery()
            search.words = TranscriptSearch.queryWords("charged TWICE")
            let found = try await harness.bot.transcripts.list(guildID: fixture.guildID, query: search)
            #expect(found.map(\.ticketNumber) == [1])
            let text = try await harness.bot.transcripts.searchTexts(guildID: fixture.guildID, ticketNumbers: [1])[1]
            #expect(
                TranscriptSearch.snippet(of: text ?? "", words: search.words) == "What happened?: I was charged twice")
        }
    }

    @Test(
        "five 4,000-character answers (emoji with skin tones: two code points each) and a long welcome: the welcome fits Discord's limits, cut visibly, with its Close button and the staff ping"
    )
    func longAnswersFit() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            var config = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
            config.types = [
                TicketType(
                    staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category],
                    welcomeText: String(repeating: "Please describe everything. ", count: 70),
                    questions: (0..<5).map {
                        TicketQuestion(label: "Question \($0)", style: .paragraph, maximumLength: 4_000)
                    })
            ]
            config.logRouting = .everything(to: fixture.logChannel)
            _ = try await harness.bot.guilds.updateConfig(config, for: fixture.guildID, by: fixture.admin)
            let panel = try await harness.postPanel(fixture)
            let member = fixture.members[0]
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
            _ = try await harness.modal(answering: click)
            let answer = String(repeating: "👍🏽", count: 2_000)  // 2,000 characters, 4,000 code points
            #expect(answer.unicodeScalars.count == 4_000)
            let values = Dictionary(uniqueKeysWithValues: (0..<5).map { ("q\($0)", answer) })
            let submitted = try await harness.discord.controlAPI.submitModal(of: click, values: values)
            _ = try await harness.answer(to: submitted, containing: "Your ticket is ready")
            let channel = try #require(try await harness.ticketChannels(of: fixture.guildID).first)
            let welcome = try await harness.welcome(in: channel.id)
            #expect(welcome.content.contains("<@&\(fixture.staffRole)>"), "the staff are pinged")
            let total = welcome.embeds.reduce(0) { $0 + MessageRequest.total(of: $1) }
            #expect(total <= Embed.Limits.totalCharacters, "\(total) code points in the embeds")
            for field in welcome.embeds.first?.fields ?? [] {
                #expect(field.value.unicodeScalars.count <= Embed.Limits.fieldValue)
                #expect(field.value.hasSuffix(MessageRequest.cutMark), "a cut answer is marked")
            }
            try await eventually("the opening's log entry is posted too") {
                try await harness.auditTitles(fixture).contains("Ticket #1 created")
            }
        }
    }

    @Test(
        "a select-menu panel picked through /ticket-setup's autocomplete opens the chosen type; an edited panel updates its message; a deleted one is forgotten"
    )
    func selectMenuPanel() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            var config = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
            config.types.append(
                TicketType(
                    id: 2, name: "Appeals", emoji: "⚖️", summary: "Contest a ban", staffRoleIDs: [fixture.staffRole],
                    nameTemplate: "{type}-{username}"))
            config.panels.append(
                TicketPanel(id: 2, name: "Appeals desk", title: "Appeals", layout: .selectMenu, typeIDs: [1, 2]))
            _ = try await harness.bot.guilds.updateConfig(config, for: fixture.guildID, by: fixture.admin)

            let control = harness.discord.controlAPI
            let typing = try await control.autocomplete(
                "ticket-setup", in: fixture.supportChannel, as: fixture.admin,
                options: [.init(name: "panel", value: "appe", focused: true)])
            let suggestions = Mutex<[JSONValue]>([])
            try await eventually("the panels are suggested") {
                let record = try await control.interaction(typing)
                suggestions.withLock { $0 = record["choices"]?.arrayValue ?? [] }
                return record["callback_type"]?.intValue == 8
            }
            let choices = suggestions.withLock { $0 }
            #expect(choices.map { $0["name"]?.stringValue } == ["Appeals desk"])
            #expect(choices.first?["value"]?.stringValue == "2")
            // A member whose client asks anyway (the command is hidden from them) learns no panel names.
            let prying = try await control.autocomplete(
                "ticket-setup", in: fixture.supportChannel, as: fixture.members[0],
                options: [.init(name: "panel", value: "", focused: true)])
            try await eventually("the member is answered with no suggestions") {
                let record = try await control.interaction(prying)
                return record["callback_type"]?.intValue == 8 && record["choices"]?.arrayValue?.isEmpty == true
            }

            let setup = try await control.runCommand(
                "ticket-setup", in: fixture.supportChannel, as: fixture.admin,
                options: [.init(name: "panel", value: "2")])
            let panelBox = Mutex<Message?>(nil)
            try await eventually("the select-menu panel is posted") {
                let posted = try await harness.messages(in: fixture.supportChannel).last {
                    $0.components?.first?.components?.first?.type == .stringSelect
                }
                panelBox.withLock { $0 = posted }
                return posted != nil
            }
            let panel = try #require(panelBox.withLock { $0 })
            _ = setup
            let select = try #require(panel.components?.first?.components?.first)
            #expect(select.options?.map(\.label) == ["Support", "Appeals"])
            #expect(select.options?.last?.description == "Contest a ban")
            try await eventually("the posted panel is remembered") {
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.panelPlacements.map(\.messageID)
                    == [panel.id]
            }

            let member = fixture.members[0]
            let customID = try #require(select.customId)
            await #expect(throws: EmulatorControlError.self, "a value the menu does not offer cannot be picked") {
                _ = try await control.select(["99"], in: customID, on: panel.id, in: fixture.supportChannel, as: member)
            }
            let chosen = try await control.select(
                ["2"], in: customID, on: panel.id, in: fixture.supportChannel, as: member)
            _ = try await harness.answer(to: chosen, containing: "Your ticket is ready")
            let channel = try #require(try await harness.ticketChannels(of: fixture.guildID).first)
            #expect(channel.name == "appeals-\(fixture.username(of: member))")
            let opened = try #require(await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets.first)
            #expect(opened.typeID == 2)

            // The admin renames the panel's title on the dashboard: the message already posted follows.
            var edited = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
            edited.panels[1].title = "Ban appeals"
            _ = try await harness.bot.guilds.updateConfig(edited, for: fixture.guildID, by: fixture.admin)
            try await eventually("the posted panel is edited") {
                try await harness.messages(in: fixture.supportChannel).first { $0.id == panel.id }?.embeds.first?
                    .title == "Ban appeals"
            }

            // Someone deletes the panel message in Discord: it is forgotten, and later edits do not try it.
            _ = try await harness.discord.control(.DELETE, "/channels/\(fixture.supportChannel)/messages/\(panel.id)")
            try await eventually("the deleted panel message is forgotten") {
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.panelPlacements.isEmpty == true
            }
        }
    }

    @Test("a full category overflows into the next one; when every category is full the member is told clearly")
    func overflowCategories() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            let overflow = try #require(
                try await harness.discord.control(
                    .POST, "/guilds/\(fixture.guildID)/channels", json: #"{"name":"Tickets 2","type":4}"#
                ).json?["id"]?.snowflakeValue.map { ChannelID($0) })
            try await harness.configure(fixture) { $0.types[0].categoryIDs = [fixture.category, overflow] }
            let existing =
                try await harness.discord.controlAPI.guild(fixture.guildID).channels?.count {
                    $0.parentId == fixture.category
                } ?? 0
            for index in existing..<OpenWorkflow.channelsPerCategory {
                _ = try await harness.discord.control(
                    .POST, "/guilds/\(fixture.guildID)/channels",
                    json: #"{"name":"filler-\#(index)","type":0,"parent_id":"\#(fixture.category)"}"#)
            }
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            #expect(channel.parentId == overflow, "the full category is skipped")

            for index in 1..<OpenWorkflow.channelsPerCategory {
                _ = try await harness.discord.control(
                    .POST, "/guilds/\(fixture.guildID)/channels",
                    json: #"{"name":"filler-b\#(index)","type":0,"parent_id":"\#(overflow)"}"#)
            }
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: fixture.members[1])
            _ = try await harness.answer(to: click, containing: "the ticket category is full")
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1)
        }
    }
}

extension BotHarness {
    /// The modal the bot answered `interaction` with.
    func modal(answering interaction: SentInteraction) async throws -> JSONValue {
        let box = Mutex<JSONValue?>(nil)
        try await eventually("the bot answers with a modal") {
            let record = try await discord.controlAPI.interaction(interaction)
            box.withLock { $0 = record["modal"] }
            return record["callback_type"]?.intValue == 9
        }
        return try #require(box.withLock { $0 })
    }
}
