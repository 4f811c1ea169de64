import DiscordGateway
import DiscordModels
import EmulatorTestSupport
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import TicketCore

@testable import AetheriaServer

/// A clock that stands still until the test moves it.
final class ManualClock: Sendable {
    private let instant = Mutex(Date(timeIntervalSince1970: 1_790_000_000))

    var now: Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) { instant.withLock { $0.addTimeInterval(seconds) } }
}

/// The ticket workflows of one guild actor driven through the `DiscordActions` port and in-memory stores: no
/// emulator, no HTTP, a clock that moves only when told. What is checked is what Discord was asked to do and
/// what was stored, in order.
@Suite("Ticket workflows through the DiscordActions port, without the emulator")
struct TicketWorkflowTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let guildID: GuildID = 77
    static let supportChannel: ChannelID = 500

    struct World {
        let discord = RecordingDiscordActions()
        let store = InMemoryGuildStore()
        let clock = ManualClock()
        let loop = TicketWorkflowTests.group.next()
        let actor: GuildActor

        init() {
            let clock = self.clock
            let services = TicketServices(
                discordAPI: discord, guildStore: store, transcriptStore: InMemoryTranscriptStore(), botUserID: 1,
                applicationID: 2, now: { clock.now },
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            actor = GuildActor(guildID: TicketWorkflowTests.guildID, eventLoop: loop, services: services)
        }

        /// A member clicks a button, as Discord delivers it: one INTERACTION_CREATE on the shard's loop.
        func click(_ customID: String, interaction id: UInt64, by userID: UserID, named name: String) async throws {
            var member = GuildMember(
                user: User(id: userID, username: name), roles: [], joinedAt: "2026-01-01T00:00:00.000000+00:00")
            member.permissions = []
            var data = InteractionData()
            data.customId = customID
            data.componentType = .button
            // The panel the button is on, as Discord attaches it (an opening is checked against it).
            let panel = Message(
                id: 600, channelId: TicketWorkflowTests.supportChannel,
                author: User(id: 1, username: "Aetheria", bot: true), content: "",
                timestamp: "2026-01-01T00:00:00.000000+00:00", embeds: [],
                components: [.actionRow([.button(style: .primary, label: "Open a ticket", customId: customID)])],
                type: 0, flags: [])
            let interaction = Interaction(
                id: InteractionID(id), applicationId: 2, type: .messageComponent, data: data,
                guildId: TicketWorkflowTests.guildID,
                channel: .init(
                    id: TicketWorkflowTests.supportChannel, type: .guildText, name: "support",
                    guildId: TicketWorkflowTests.guildID),
                member: member, token: "token-\(id)", message: panel, appPermissions: [])
            let frame =
                Array(#"{"op":0,"s":\#(id),"t":"INTERACTION_CREATE","d":"#.utf8)
                + Array(try DiscordJSON.encode(interaction)) + Array("}".utf8)
            let actor = self.actor
            try await loop.submit {
                guard let envelope = GatewayEnvelope.scan(frame) else { return }
                actor.handle(envelope, frame: frame)
            }.get()
        }

        /// The tickets as stored (what a restarted process would find).
        func storedTickets() async throws -> [Ticket] {
            guard let stored = try await store.load(TicketWorkflowTests.guildID) else { return [] }
            return try GuildTicketsCodec.decode(stored.payload, guildID: TicketWorkflowTests.guildID).tickets
        }

        func replyContaining(_ text: String) async throws {
            try await eventually("the member's reply says \"\(text)\"") {
                discord.calls(.editReply).contains { $0.text?.contains(text) == true }
            }
        }
    }

    @Test("Open: the intent is stored before the click is acknowledged, then the marked channel, welcome and reply")
    func opening() async throws {
        let world = World()
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 1, by: 10, named: "alice")
        try await world.replyContaining("Your ticket is ready")

        let operations = world.discord.calls.map(\.operation)
        let acknowledged = try #require(operations.firstIndex(of: .acknowledge))
        let created = try #require(operations.firstIndex(of: .createChannel))
        #expect(acknowledged < created, "Discord's 3-second deadline is met before the slow part")
        let channelCall = try #require(world.discord.calls(.createChannel).first)
        #expect(channelCall.text?.contains("alice") == true)
        let stored = try await world.storedTickets()
        #expect(stored.count == 1)
        let ticket = try #require(stored.first)
        #expect(ticket.state == .open && ticket.openerID == 10)
        let channelID = try #require(ticket.channelID)
        #expect(world.discord.calls(.postMessage).contains { $0.target == channelID.rawValue }, "welcome posted")
    }

    @Test("Open while Discord refuses for a missing permission: the member is told, nothing stays promised")
    func openingRefused() async throws {
        let world = World()
        world.discord.fail(.createChannel, with: RecordingDiscordActions.refusal(50013, "Missing Permissions"))
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 1, by: 10, named: "alice")
        try await world.replyContaining("missing the permission")
        try await eventually("the abandoned opening is stored") { try await world.storedTickets().isEmpty }
        #expect(world.discord.calls(.postMessage).isEmpty, "no welcome, and no log channel is configured")
    }

    @Test("a click delivered twice (a replay after a resume) opens one ticket; another member's click still works")
    func replayedClick() async throws {
        let world = World()
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 1, by: 10, named: "alice")
        try await world.replyContaining("Your ticket is ready")
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 1, by: 10, named: "alice")
        // A later click, handled after the replay in gateway order, finishes its whole workflow.
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 2, by: 11, named: "bob")
        try await eventually("bob's ticket is ready") {
            world.discord.calls(.editReply).filter { $0.text?.contains("Your ticket is ready") == true }.count == 2
        }
        #expect(world.discord.calls(.createChannel).count == 2)
        #expect(world.discord.calls(.acknowledge).count == 2)
        #expect(try await world.storedTickets().map(\.openerID).sorted() == [10, 11])
    }

    @Test("the per-member limit: a second click of the same member points at the open ticket, makes no channel")
    func secondClickOfTheSameMember() async throws {
        let world = World()
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 1, by: 10, named: "alice")
        try await world.replyContaining("Your ticket is ready")
        world.clock.advance(by: 60)
        try await world.click(TicketComponentID.open(typeID: nil).customID, interaction: 2, by: 10, named: "alice")
        try await eventually("the second click is answered") {
            world.discord.calls(.acknowledge).count == 2
        }
        let answer = try #require(world.discord.calls(.acknowledge).last?.text)
        #expect(answer.contains("already"))
        #expect(world.discord.calls(.createChannel).count == 1)
    }
}
