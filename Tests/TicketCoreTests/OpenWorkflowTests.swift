import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// Making a ticket's channel, driven step by step with scripted outcomes: every refusal and interleaving the
/// real opening meets, without Discord or a store.
@Suite("Open workflow")
struct OpenWorkflowTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let opener = UserID(11)
    static let guildID = GuildID(1)
    static let staffRole = RoleID(2)
    static let category = ChannelID(10)

    static var guild: GuildSnapshot {
        var builder = GuildSnapshot.Builder()
        builder.setGuildName("Test")
        builder.addRole(id: 1, name: "@everyone", permissions: [], position: 0, color: 0)
        builder.addRole(id: staffRole, name: "Staff", permissions: [], position: 1, color: 0)
        builder.addChannel(
            id: category, type: 4, name: "Tickets", position: 0, parentID: nil, topic: nil, overwrites: [])
        return builder.build(id: guildID, ownerID: 5, memberCount: 3)
    }

    /// A guild with one click recorded (`opening`), with its interaction token.
    static func clicked(
        _ config: TicketConfig = TicketConfig(staffRoleID: staffRole, parentCategoryID: category)
    )
        -> (GuildTickets, Ticket)
    {
        var tickets = GuildTickets(config: config)
        guard
            case .create(let ticket) = tickets.requestOpen(
                openerID: opener, openerName: "alice",
                interaction: .init(id: 77, token: "token-77", receivedAt: start), now: start)
        else { fatalError("the click was refused") }
        return (tickets, ticket)
    }

    static func channel(_ id: ChannelID = 500) -> Channel {
        Channel(id: id, type: .guildText, guildId: guildID, position: 0, name: "ticket-alice")
    }

    /// Runs the workflow; `answer` scripts the outcome of each effect (by its label).
    static func run(
        _ tickets: inout GuildTickets, _ opening: Ticket, acknowledging: Bool = true, guild: GuildSnapshot? = guild,
        now: Date = start.addingTimeInterval(1), answer: (OpenWorkflow.Effect) -> OpenWorkflow.Outcome
    ) -> [String] {
        var workflow = OpenWorkflow(
            opening: opening, context: .init(guildID: guildID, botID: 99, guild: guild))
        var labels: [String] = []
        var effect: OpenWorkflow.Effect? = workflow.start(acknowledging: acknowledging)
        while let current = effect, labels.count < 30 {
            labels.append(label(current))
            effect = workflow.next(after: answer(current), tickets: &tickets, now: now)
        }
        return labels
    }

    static func label(_ effect: OpenWorkflow.Effect) -> String {
        switch effect {
        case .awaitAcknowledgement: "ack"
        case .storeOpening: "store-opening"
        case .storeQuietly: "store-quietly"
        case .reportProblem(let problem): "problem:\(problem.title)"
        case .createChannel: "create"
        case .findChannel: "find"
        case .recordRefusal: "refusal"
        case .storeOpened: "store-opened"
        case .countOpened: "count"
        case .postWelcome: "welcome"
        case .tellOpener(_, let text): "tell:\(text)"
        case .auditCreated: "audit-created"
        }
    }

    /// Everything works: acknowledged, stored, created.
    static func happy(_ effect: OpenWorkflow.Effect) -> OpenWorkflow.Outcome {
        switch effect {
        case .awaitAcknowledgement: .acknowledgement(.sent)
        case .createChannel: .created(channel())
        default: .succeeded
        }
    }

    static func refusing(_ error: DiscordRESTError) -> (OpenWorkflow.Effect) -> OpenWorkflow.Outcome {
        { effect in
            if case .createChannel = effect { return .refused(error) }
            return happy(effect)
        }
    }

    static func error(_ kind: DiscordRESTError.Kind, code: Int = 0) -> DiscordRESTError {
        DiscordRESTError(
            kind: kind, status: 403, code: code, message: "refused", route: "POST /guilds/{guild.id}/channels")
    }

    @Test("the whole opening, in order: ack, store, create, store open, count, welcome, reply, audit")
    func wholeOpening() throws {
        var (tickets, opening) = Self.clicked()
        let labels = Self.run(&tickets, opening, answer: Self.happy)
        #expect(
            labels == [
                "ack", "store-opening", "create", "store-opened", "count", "welcome",
                "tell:Your ticket is ready: <#500>", "audit-created",
            ])
        let open = try #require(tickets.ticket(number: 1))
        #expect(open.state == .open && open.channelID == 500)
        #expect(open.openingInteraction == nil, "the token is forgotten once the reply was finished")
        #expect(open.pendingAnnouncements == nil, "the created announcement left the outbox")
    }

    @Test("the channel request: private to the member, the staff role and the bot, under the category, marked")
    func channelRequest() throws {
        let (tickets, opening) = Self.clicked()
        let plan = OpenWorkflow.plan(
            for: opening, type: tickets.config.defaultType,
            context: .init(guildID: Self.guildID, botID: 99, guild: Self.guild))
        #expect(plan.request.parentId == Self.category && plan.problems.isEmpty && plan.notes.isEmpty)
        #expect(
            plan.request.topic.flatMap(TicketMarker.init(topic:))?.isSameTicket(
                as: TicketMarker(ticketNumber: 1, openerID: Self.opener)) == true)
        let allowed = Set(
            plan.request.permissionOverwrites?.filter { $0.allow.contains(.viewChannel) }.map(\.id.rawValue) ?? [])
        #expect(allowed == [Self.opener.rawValue, Self.staffRole.rawValue, 99])
    }

    @Test("Discord refused the acknowledgement (a replayed click): no channel, the number is given up")
    func refusedAcknowledgement() {
        var (tickets, opening) = Self.clicked()
        let labels = Self.run(&tickets, opening) { $0.isAcknowledgement ? .acknowledgement(.refused) : .succeeded }
        #expect(labels == ["ack", "store-quietly"])
        #expect(tickets.ticket(number: 1) == nil)
    }

    @Test("storage down: no channel, the member is told, the number is given up")
    func storageDown() {
        var (tickets, opening) = Self.clicked()
        let labels = Self.run(&tickets, opening) { effect in
            if case .storeOpening = effect { return .failed }
            return Self.happy(effect)
        }
        #expect(labels == ["ack", "store-opening", "tell:\(OpenWorkflow.storageUnavailable)"])
        #expect(tickets.ticket(number: 1) == nil)
    }

    @Test("a deleted staff role and category do not block the member: reported, left out, the member is told")
    func deletedRoleAndCategory() throws {
        var (tickets, opening) = Self.clicked(TicketConfig(staffRoleID: 404, parentCategoryID: 405))
        let labels = Self.run(&tickets, opening, answer: Self.happy)
        #expect(labels.contains("problem:Support staff role is missing"))
        #expect(labels.contains("problem:Ticket category is missing"))
        #expect(labels.contains { $0.hasPrefix("tell:") && $0.contains("no longer exists") })
        #expect(tickets.ticket(number: 1)?.state == .open)
        let plan = OpenWorkflow.plan(
            for: opening, type: tickets.config.defaultType,
            context: .init(guildID: Self.guildID, botID: 99, guild: Self.guild))
        #expect(plan.request.parentId == nil)
        #expect(
            OpenWorkflow.plan(
                for: opening, type: tickets.config.defaultType,
                context: .init(guildID: Self.guildID, botID: 99, guild: nil)
            ).problems.isEmpty, "nothing is checked before GUILD_CREATE")
    }

    @Test(
        "refusals in words the member can act on, the staff told, the number given up",
        arguments: [
            (error(.missingPermissions, code: 50013), "missing the permission"),
            (error(.invalidFormBody, code: 30013), "limit of 500 channels"),
        ])
    func refusals(error: DiscordRESTError, memberWords: String) {
        var (tickets, opening) = Self.clicked()
        let labels = Self.run(&tickets, opening, answer: Self.refusing(error))
        #expect(labels.prefix(4) == ["ack", "store-opening", "create", "store-quietly"])
        #expect(labels.contains("refusal") && labels.contains { $0.hasPrefix("tell:") && $0.contains(memberWords) })
        #expect(labels.last == "problem:A ticket could not be created")
        #expect(tickets.ticket(number: 1) == nil)
    }

    @Test("a full category is named as such")
    func fullCategory() {
        var error = Self.error(.invalidFormBody, code: 50035)
        error.fieldErrors = [.init(path: "parent_id", code: "CHANNEL_PARENT_MAX_CHANNELS", message: "full")]
        let refusal = OpenWorkflow.refusal(error, openerID: Self.opener)
        #expect(refusal.failureKind == "category_full" && refusal.memberText.contains("category is full"))
    }

    @Test("a lost answer: the channel is looked for by its marker and adopted when it exists, given up when not")
    func lostAnswer() {
        var (tickets, opening) = Self.clicked()
        let lost = Self.error(.transport)
        let found = Self.run(&tickets, opening) { effect in
            switch effect {
            case .createChannel: .refused(lost)
            case .findChannel: .created(Self.channel(501))
            default: Self.happy(effect)
            }
        }
        #expect(found.contains("find") && found.contains("welcome") && tickets.ticket(number: 1)?.channelID == 501)

        var (again, second) = Self.clicked()
        let gone = Self.run(&again, second) { effect in
            switch effect {
            case .createChannel: .refused(lost)
            case .findChannel: .failed
            default: Self.happy(effect)
            }
        }
        #expect(gone.contains("find") && gone.contains("refusal") && again.ticket(number: 1) == nil)
    }

    @Test("the gateway confirmed the channel first: the opening finishes once, with that channel")
    func gatewayFirst() throws {
        var (tickets, opening) = Self.clicked()
        var workflow = OpenWorkflow(
            opening: opening, context: .init(guildID: Self.guildID, botID: 99, guild: Self.guild))
        var effect: OpenWorkflow.Effect? = workflow.start(acknowledging: false)
        var welcomes = 0
        while let current = effect {
            if case .createChannel = current {
                // CHANNEL_CREATE arrived while the REST answer was on its way.
                tickets.confirmChannel(number: 1, channelID: 500, name: "ticket-alice")
            }
            if case .postWelcome = current { welcomes += 1 }
            effect = workflow.next(after: Self.happy(current), tickets: &tickets, now: Self.start)
        }
        #expect(welcomes == 1 && tickets.ticket(number: 1)?.channelID == 500)
    }

    @Test("after a restart (no acknowledgement now): the stored token finishes the reply, unless 14 minutes passed")
    func afterRestart() {
        var (tickets, opening) = Self.clicked()
        let fresh = Self.run(&tickets, opening, acknowledging: false, answer: Self.happy)
        #expect(fresh.first == "store-opening" && fresh.contains { $0.hasPrefix("tell:") })

        var (late, lateOpening) = Self.clicked()
        let labels = Self.run(
            &late, lateOpening, acknowledging: false, now: Self.start.addingTimeInterval(15 * 60), answer: Self.happy)
        #expect(!labels.contains { $0.hasPrefix("tell:") } && late.ticket(number: 1)?.state == .open)
    }

    @Test("an acknowledgement that failed on the way: the channel is made, the member's reply is not attempted")
    func acknowledgementFailed() {
        var (tickets, opening) = Self.clicked()
        let labels = Self.run(&tickets, opening) { $0.isAcknowledgement ? .acknowledgement(.failed) : Self.happy($0) }
        #expect(labels.contains("welcome") && !labels.contains { $0.hasPrefix("tell:") })
    }
}

extension OpenWorkflow.Effect {
    fileprivate var isAcknowledgement: Bool {
        if case .awaitAcknowledgement = self { return true }
        return false
    }
}
