import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// Ticket types, panels, questions and log routing as pure rules: migration from the single configuration,
/// per-type limits, category overflow, the questions form and the custom IDs members send back.
@Suite("Ticket types and panels")
struct TicketTypesTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("a format-1 snapshot (one configuration per guild) loads as one type, one panel and every log kind routed")
    func legacySnapshotMigrates() throws {
        let legacy = """
            {"format":1,"guild":{"config":{"staffRoleID":"77","parentCategoryID":"88","nameTemplate":"help-{number}",
            "logChannelID":"99","maximumOpenTicketsPerUser":2,"openCooldownSeconds":30,"closePolicy":"staff_only",
            "deleteDelaySeconds":5,"staleAfterHours":12},"tickets":[{"number":3,"state":"open","openerID":"11",
            "openerName":"alice","channelName":"help-0003","channelID":"500","openedAt":1750000000,
            "lastActivityAt":1750000000,"messageCount":2,"transcriptSaved":false}],"nextTicketNumber":4,
            "analytics":{"opened":3,"closed":2,"resolutionSecondsTotal":60,"resolutionCount":2,
            "resolutionHistogram":[],"firstResponseSecondsTotal":0,"firstResponseCount":0,"days":[]},
            "lastOpenedAt":[]}}
            """
        let tickets = try GuildTicketsCodec.decode(Array(legacy.utf8), guildID: 1)
        let type = tickets.config.defaultType
        #expect(tickets.config.types.count == 1)
        #expect(type.staffRoleIDs == [77] && type.categoryIDs == [88] && type.nameTemplate == "help-{number}")
        #expect(type.maximumOpenTicketsPerUser == 2 && type.openCooldownSeconds == 30 && type.closePolicy == .staffOnly)
        #expect(type.deleteDelaySeconds == 5 && type.staleAfterHours == 12)
        #expect(
            LogRouting.Kind.allCases.filter { $0 != .transcripts }.allSatisfy { tickets.config.logRouting[$0] == 99 })
        #expect(tickets.config.logRouting[.transcripts] == nil, "transcript files are never posted unasked")
        #expect(tickets.config.panels.map(\.typeIDs) == [[type.id]])
        let old = try #require(tickets.ticket(number: 3))
        #expect(old.typeID == nil && tickets.type(of: old) == type, "a ticket from before types has the first type")
        // Written again, it is format 2 and reads back the same.
        let again = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        #expect(again == tickets)
        #expect(String(decoding: GuildTicketsCodec.encode(tickets), as: UTF8.self).contains("\"format\":2"))
    }

    @Test("limits are per type; the cooldown counts from the member's last ticket of any type")
    func perTypeLimits() {
        let support = TicketType(id: 1, maximumOpenTicketsPerUser: 1, openCooldownSeconds: 0)
        let billing = TicketType(id: 2, name: "Billing", maximumOpenTicketsPerUser: 1, openCooldownSeconds: 60)
        var tickets = GuildTickets(config: TicketConfig(types: [support, billing], panels: []))
        guard
            case .create = tickets.requestOpen(
                type: support, openerID: 5, openerName: "a", interaction: nil, now: Self.start)
        else {
            Issue.record("the first ticket was refused")
            return
        }
        guard
            case .alreadyOpen = tickets.requestOpen(
                type: support, openerID: 5, openerName: "a", interaction: nil, now: Self.start)
        else {
            Issue.record("a second Support ticket passed the limit")
            return
        }
        guard
            case .coolingDown = tickets.openRefusal(
                type: billing, openerID: 5, openerRoles: [], now: Self.start.addingTimeInterval(10))
        else {
            Issue.record("Billing's cooldown did not count the Support ticket")
            return
        }
        guard
            case .create(let second) = tickets.requestOpen(
                type: billing, openerID: 5, openerName: "a", interaction: nil, now: Self.start.addingTimeInterval(61))
        else {
            Issue.record("Billing was refused after its cooldown")
            return
        }
        #expect(second.typeID == 2 && second.channelName == "ticket-a")
    }

    @Test("a deleted type's tickets keep working with the first type's settings")
    func deletedTypeFallsBack() {
        let billing = TicketType(id: 2, name: "Billing", deleteDelaySeconds: 600)
        var tickets = GuildTickets(
            config: TicketConfig(types: [TicketType(deleteDelaySeconds: 5), billing], panels: []))
        guard
            case .create(let ticket) = tickets.requestOpen(
                type: billing, openerID: 5, openerName: "a", interaction: nil, now: Self.start)
        else {
            Issue.record("refused")
            return
        }
        tickets.config.types.removeAll { $0.id == 2 }
        #expect(tickets.type(of: ticket).id == 1 && tickets.type(of: ticket).deleteDelaySeconds == 5)
    }

    @Test(
        "the channel goes to the first category with room; Discord's 'full' moves it to the next; all full is refused")
    func categoryOverflow() {
        var builder = GuildSnapshot.Builder()
        builder.setGuildName("Test")
        builder.addRole(id: 1, name: "@everyone", permissions: [], position: 0, color: 0)
        for category in [10, 20, 30] as [ChannelID] {
            builder.addChannel(
                id: category, type: 4, name: "c\(category)", position: 0, parentID: nil, topic: nil, overwrites: [])
        }
        for index in 0..<50 {
            builder.addChannel(
                id: ChannelID(UInt64(1_000 + index)), type: 0, name: "t\(index)", position: 1, parentID: 10, topic: nil,
                overwrites: [])
        }
        let guild = builder.build(id: 1, ownerID: 5, memberCount: 3)
        let type = TicketType(categoryIDs: [10, 20, 30])
        var tickets = GuildTickets(config: TicketConfig(types: [type], panels: []))
        guard
            case .create(let opening) = tickets.requestOpen(
                type: type, openerID: 11, openerName: "a", interaction: nil, now: Self.start)
        else {
            Issue.record("refused")
            return
        }
        let plan = OpenWorkflow.plan(for: opening, type: type, context: .init(guildID: 1, botID: 99, guild: guild))
        #expect(plan.request.parentId == 20 && plan.overflowCategories == [30, 10], "the full category is tried last")

        let full = DiscordRESTError(
            status: 400,
            body: DiscordErrorBody(
                code: 50035, message: "Invalid Form Body",
                fieldErrors: [.init(path: "parent_id", code: "CHANNEL_PARENT_MAX_CHANNELS", message: "full")]),
            route: "test")
        var workflow = OpenWorkflow(opening: opening, context: .init(guildID: 1, botID: 99, guild: guild))
        var effect: OpenWorkflow.Effect? = workflow.start(acknowledging: false)
        var parents: [ChannelID?] = []
        while let current = effect {
            let outcome: OpenWorkflow.Outcome
            if case .createChannel(let request, _) = current {
                parents.append(request.parentId)
                outcome = .refused(full)
            } else {
                outcome = .succeeded
            }
            effect = workflow.next(after: outcome, tickets: &tickets, now: Self.start)
        }
        #expect(parents == [20, 30, 10])
        #expect(tickets.ticket(number: opening.number) == nil, "every category full: the opening is given up")
    }

    @Test(
        "answers are read by input ID, bounded by the questions as they are now; a missing required answer is refused")
    func questionAnswers() throws {
        let type = TicketType(
            questions: [
                TicketQuestion(label: "Order", minimumLength: 3, maximumLength: 5),
                TicketQuestion(label: "Notes", style: .paragraph, required: false),
            ])
        func submitted(_ values: [String: String]) -> [Component] {
            values.map { id, value in
                var input = Component(type: .textInput, customId: id)
                input.value = value
                return .actionRow([input])
            }
        }
        let answers = try TicketQuestionForm.answers(from: submitted(["q0": "  A-12345678 ", "q1": ""]), for: type)
            .get()
        #expect(answers == [TicketAnswer(question: "Order", answer: "A-123")], "trimmed and cut to the maximum")
        guard case .failure(let missing) = TicketQuestionForm.answers(from: submitted(["q1": "x"]), for: type) else {
            Issue.record("a missing required answer was accepted")
            return
        }
        #expect(missing.message.contains("Order"))
        guard case .failure = TicketQuestionForm.answers(from: submitted(["q0": "ab"]), for: type) else {
            Issue.record("a too-short answer was accepted")
            return
        }
        let modal = TicketQuestionForm.modal(for: type)
        #expect(modal.customId == "aetheria:ticket:form:1" && modal.components.count == 2)
        #expect(modal.components[1].components?.first?.style?.rawValue == 2)
    }

    @Test(
        "custom IDs round-trip; forged ones are refused",
        arguments: [
            "aetheria:ticket:open:0", "aetheria:ticket:open:-1", "aetheria:ticket:open:99999999999999999999",
            "aetheria:ticket:open:1:2", "aetheria:ticket:open:", "aetheria:ticket:open:+1", "aetheria:ticket:choose",
            "aetheria:ticket:close:1", "aetheria:ticket:form:1e3", "other:ticket:open:1",
        ])
    func forgedCustomIDs(_ customID: String) {
        #expect(TicketComponentID(customID) == nil)
    }

    @Test("posted panels are due for an edit from a stored settings change until they are refreshed, across a restart")
    func postedPanelsFollowSettingsRevisions() throws {
        var tickets = GuildTickets(config: TicketConfig(staffRoleID: 77))
        tickets.placePanel(PanelPlacement(panelID: 1, channelID: 10, messageID: 100))
        #expect(!tickets.postedPanelsNeedRefresh, "a panel posted with the current settings shows them")
        var changed = tickets.config
        changed.types[0].name = "Billing"
        let change = tickets.changeSettings(to: changed, by: 5, changes: ["name"])
        // Stored, then the process dies before the edit: the snapshot read back still owes it.
        var restarted = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        #expect(restarted.postedPanelsNeedRefresh)
        restarted.panelsRefreshed(upTo: change.revision)
        #expect(!restarted.postedPanelsNeedRefresh)
        // Another panel posted while an edit is owed does not hide the debt.
        tickets.placePanel(PanelPlacement(panelID: 1, channelID: 11, messageID: 101))
        #expect(tickets.postedPanelsNeedRefresh)
        // A snapshot from before revisions were tracked shows its settings: nothing is owed.
        var legacy = GuildTickets(config: TicketConfig(staffRoleID: 77))
        legacy.placePanel(PanelPlacement(panelID: 1, channelID: 10, messageID: 100))
        legacy.panelsRevisionStorage = nil
        #expect(!legacy.postedPanelsNeedRefresh)
        _ = legacy.changeSettings(to: changed, by: 5, changes: ["name"])
        #expect(legacy.postedPanelsNeedRefresh)
    }

    @Test("the topic marker carries the type: a channel adopted after a lost snapshot keeps its type, if it exists")
    func markerCarriesType() throws {
        let marker = TicketMarker(ticketNumber: 12, openerID: 345, typeID: 2)
        #expect(marker.text == "aetheria:ticket:12:345:2")
        #expect(TicketMarker(topic: marker.topic(openerName: "alice")) == marker)
        #expect(TicketMarker(topic: "aetheria:ticket:12:345")?.typeID == nil, "markers from before types")
        for forged in ["aetheria:ticket:12:345:0", "aetheria:ticket:12:345:99999999999", "aetheria:ticket:12:345:x"] {
            let read = try #require(TicketMarker(topic: forged), "\(forged)")
            #expect(read.typeID == nil && read.isSameTicket(as: marker), "a bad type is no type: \(forged)")
        }
        var config = TicketConfig(staffRoleID: 77)
        config.types.append(TicketType(id: 2, name: "Billing", staffRoleIDs: [77]))
        var tickets = GuildTickets(config: config)
        let result = tickets.reconcile(
            channels: [
                (id: 500, name: "billing-0012", marker: marker),
                (id: 501, name: "gone-0013", marker: TicketMarker(ticketNumber: 13, openerID: 346, typeID: 9)),
            ], now: Self.start)
        #expect(result.adopted.count == 2)
        #expect(tickets.ticket(number: 12)?.typeID == 2)
        #expect(tickets.ticket(number: 13)?.typeID == nil, "a type the guild does not have falls back to the first")
    }

    @Test("every custom ID Aetheria writes reads back as itself")
    func customIDsRoundTrip() {
        for id in [
            TicketComponentID.open(typeID: nil), .open(typeID: 7), .choose(panelID: 3), .form(typeID: 1), .close,
        ] {
            #expect(TicketComponentID(id.customID) == id)
        }
        #expect(TicketComponentID("aetheria:ticket:open") == .open(typeID: nil), "panels from before types still work")
    }

    @Test("validation: unique names, https images, panels offering existing types, questions Discord accepts")
    func validation() throws {
        let guild = GuildSnapshot.Builder().build(id: 1, ownerID: 5, memberCount: 1)
        var config = TicketConfig(
            types: [
                TicketType(id: 1, name: "Help"),
                TicketType(
                    id: 2, name: "help", emoji: "ab",
                    questions: [TicketQuestion(label: "", minimumLength: 10, maximumLength: 5)]),
            ],
            panels: [TicketPanel(imageURL: "http://example.com/x.png", typeIDs: [1, 3])])
        do {
            try config.validate(in: guild)
            Issue.record("accepted")
        } catch {
            let messages = error.problems.map(\.description)
            #expect(messages.contains("type 2 name: another type already has this name"))
            #expect(messages.contains("type 2 emoji: must be a single emoji, or empty"))
            #expect(messages.contains { $0.hasPrefix("type 2 questions: question 1") })
            #expect(messages.contains("panel 1 image_url: must be an https:// address of an image"))
            #expect(messages.contains("panel 1 panel_types: a listed type no longer exists"))
        }
        config.types[1] = TicketType(id: 2, name: "Billing", emoji: "💳")
        config.panels[0] = TicketPanel(imageURL: "https://example.com/x.png", typeIDs: [1, 2])
        try config.validate(in: guild)
        #expect(throws: TicketConfigValidationError.self) {
            try TicketConfig(types: [], panels: []).validate(in: guild)
        }
    }

    @Test("changes are described by type and panel, with names")
    func describedChanges() {
        let guild = GuildSnapshot.Builder().build(id: 1, ownerID: 5, memberCount: 1)
        let old = TicketConfig()
        var new = old
        new.types.append(TicketType(id: 2, name: "Billing"))
        new.types[0].questions = [TicketQuestion(label: "Why?")]
        new.panels[0].layout = .selectMenu
        new.panels[0].typeIDs = [1, 2]
        #expect(
            TicketConfig.describeChanges(from: old, to: new, in: guild) == [
                "Type **Support** · questions: none → “Why?”", "Type added: **Billing**",
                "Panel **Support** · layout: buttons → select_menu",
                "Panel **Support** · types: Support → Support, Billing",
            ])
    }
}

/// `GuildTickets.typeOffered`: what a member may open from the panel message they used.
@Suite("Openings checked against the panel message")
struct PanelOfferRuleTests {
    static let bot = UserID(1)

    static func guild() -> GuildTickets {
        var config = TicketConfig()
        config.types = [TicketType(), TicketType(id: 2, name: "Billing"), TicketType(id: 3, name: "Appeals")]
        config.panels = [TicketPanel(id: 1, typeIDs: [1, 2]), TicketPanel(id: 2, name: "Appeals", typeIDs: [3])]
        var tickets = GuildTickets(config: config)
        tickets.placePanel(PanelPlacement(panelID: 1, channelID: ChannelID(10), messageID: MessageID(100)))
        return tickets
    }

    static func buttons(_ typeIDs: [Int], author: UserID = bot, id: UInt64 = 100) -> PanelMessage {
        PanelMessage(
            messageID: MessageID(id), authorID: author,
            customIDs: Set(typeIDs.map { TicketComponentID.open(typeID: $0).customID }), selectOptions: [:])
    }

    @Test("a button opens only a type its message carries and its stored panel lists")
    func buttons() {
        let tickets = Self.guild()
        #expect(tickets.typeOffered(by: Self.buttons([1, 2]), choice: .open(typeID: 2), botID: Self.bot)?.id == 2)
        #expect(tickets.typeOffered(by: Self.buttons([1, 2]), choice: .open(typeID: 3), botID: Self.bot) == nil)
        // The message says 3, but its stored panel (1) does not offer it: an edited panel, or a forged message.
        #expect(tickets.typeOffered(by: Self.buttons([1, 3]), choice: .open(typeID: 3), botID: Self.bot) == nil)
        #expect(
            tickets.typeOffered(by: Self.buttons([1], author: UserID(9)), choice: .open(typeID: 1), botID: Self.bot)
                == nil)
        #expect(tickets.typeOffered(by: nil, choice: .open(typeID: 1), botID: Self.bot) == nil)
        // A message posted before placements were kept: any panel's types.
        #expect(tickets.typeOffered(by: Self.buttons([3], id: 555), choice: .open(typeID: 3), botID: Self.bot)?.id == 3)
    }

    @Test("a select menu: only a value the menu lists; a modal: only a type its panel offers")
    func selectsAndForms() {
        let tickets = Self.guild()
        let menu = TicketComponentID.choose(panelID: 1).customID
        let panel = PanelMessage(
            messageID: MessageID(100), authorID: Self.bot, customIDs: [menu], selectOptions: [menu: ["1", "2"]])
        #expect(
            tickets.typeOffered(by: panel, choice: .choose(panelID: 1), selectedValue: "2", botID: Self.bot)?.id == 2)
        for forged in ["3", "-1", "99999999999999999999", ""] {
            #expect(
                tickets.typeOffered(by: panel, choice: .choose(panelID: 1), selectedValue: forged, botID: Self.bot)
                    == nil)
        }
        #expect(tickets.typeOffered(by: panel, choice: .choose(panelID: 2), selectedValue: "2", botID: Self.bot) == nil)
        #expect(tickets.typeOffered(by: panel, formTypeID: 2, botID: Self.bot)?.id == 2)
        #expect(tickets.typeOffered(by: panel, formTypeID: 3, botID: Self.bot) == nil)
        #expect(tickets.typeOffered(by: nil, formTypeID: 1, botID: Self.bot) == nil)
    }
}
