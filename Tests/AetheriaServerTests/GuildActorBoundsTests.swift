import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
import TicketCore
import TicketTestSupport

@testable import AetheriaServer

/// A store that is down for good: every guild that receives an event stays loading.
struct UnavailableGuildStore: GuildStore {
    func load(_ guildID: GuildID) async throws(GuildStoreError) -> StoredGuildSnapshot? {
        throw .unavailable("connection refused")
    }
    func save(_ snapshot: StoredGuildSnapshot) async throws(GuildStoreError) {
        throw .unavailable("connection refused")
    }
    func storedGuildIDs() async throws(GuildStoreError) -> [GuildID] { throw .unavailable("connection refused") }
}

@Suite("A guild actor's memory stays bounded: store outages, busy tickets, leaving a guild")
struct GuildActorBoundsTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func services(store: any GuildStore) -> TicketServices {
        TicketServices(
            discordAPI: RecordingDiscordActions(),
            guildStore: store, transcriptStore: InMemoryTranscriptStore(), botUserID: 1, applicationID: 2,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func frame(_ event: String, guild: GuildID, channel: UInt64, id: Int) -> [UInt8] {
        Array(
            #"{"op":0,"s":\#(id),"t":"\#(event)","d":{"id":"\#(1_000_000 + id)","guild_id":"\#(guild)","channel_id":"\#(channel)","author":{"id":"5","username":"m","discriminator":"0"},"content":"message \#(id)","timestamp":"2025-06-15T12:00:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0}}"#
                .utf8)
    }

    static func deliver(_ frames: [[UInt8]], to actor: GuildActor, on loop: any EventLoop) async throws {
        try await loop.submit {
            for frame in frames {
                guard let envelope = GatewayEnvelope.scan(frame) else { continue }
                actor.handle(envelope, frame: frame)
            }
        }.get()
    }

    @Test("while the store is down a loading guild keeps at most its share of events, and gives the bytes back")
    func pendingEventsAreBounded() async throws {
        let loop = Self.group.next()
        let services = Self.services(store: UnavailableGuildStore())
        let actor = GuildActor(guildID: 77, eventLoop: loop, services: services)
        let chatter = (0..<30_000).map { Self.frame("MESSAGE_CREATE", guild: 77, channel: 9, id: $0) }
        try await Self.deliver(chatter, to: actor, on: loop)
        let kept = await actor.pendingEvents.count
        #expect(kept == GuildActor.pendingChatterLimit)
        #expect(services.pendingEventBudget.used == (await actor.pendingBytes))
        #expect(services.pendingEventBudget.used < 2_000 * 1_024)
        // Lifecycle events still fit, up to their own limit.
        let updates = (0..<20_000).map { Self.frame("CHANNEL_UPDATE", guild: 77, channel: 9, id: $0) }
        try await Self.deliver(updates, to: actor, on: loop)
        #expect(await actor.pendingEvents.count == GuildActor.pendingEventLimit)
        // The bot leaves the guild: everything it held is given back.
        try await Self.deliver(
            [Array(#"{"op":0,"s":1,"t":"GUILD_DELETE","d":{"id":"77"}}"#.utf8)], to: actor, on: loop)
        #expect(await actor.pendingEvents.isEmpty)
        #expect(services.pendingEventBudget.used == 0)
    }

    @Test("the process-wide budget stops every loading guild together")
    func processBudget() {
        let budget = PendingEventBudget(limitBytes: 1_000)
        #expect(budget.reserve(600))
        #expect(!budget.reserve(500))
        #expect(budget.reserve(400))
        budget.release(1_000)
        #expect(budget.used == 0)
    }

    /// An actor whose stored state holds one open ticket in channel 9, and the GUILD_CREATE that lists that
    /// channel (delivered first, it spares the guild a REST call to learn itself).
    static func actorWithOpenTicket(guild: GuildID, on loop: any EventLoop) async throws -> (GuildActor, [UInt8]) {
        let store = InMemoryGuildStore()
        var tickets = GuildTickets()
        _ = tickets.requestOpen(openerID: 5, openerName: "m", interaction: nil, now: Date())
        tickets.confirmChannel(number: 1, channelID: 9, name: "ticket-m")
        try await store.save(
            StoredGuildSnapshot(guildID: guild, version: 1, fencingToken: 1, payload: GuildTicketsCodec.encode(tickets))
        )
        let guildCreate = Array(
            #"{"op":0,"s":1,"t":"GUILD_CREATE","d":{"id":"\#(guild)","name":"g","owner_id":"5","roles":[],"channels":[{"id":"9","type":0,"name":"ticket-m","position":0}]}}"#
                .utf8)
        return (GuildActor(guildID: guild, eventLoop: loop, services: Self.services(store: store)), guildCreate)
    }

    @Test("a busy ticket captures at most 5,000 messages; the rest are left to the REST history")
    func captureIsBounded() async throws {
        let (actor, guildCreate) = try await Self.actorWithOpenTicket(guild: 78, on: Self.group.next())
        let loop = actor.eventLoop
        let messages = (0..<6_000).map { Self.frame("MESSAGE_CREATE", guild: 78, channel: 9, id: $0) }
        try await Self.deliver([guildCreate] + Array(messages.prefix(1)), to: actor, on: loop)
        let deadline = ContinuousClock.now + .seconds(10)
        // The first message starts the load; the rest arrive once the guild is ready.
        while ContinuousClock.now < deadline {
            let captured = await actor.captured[9]?.count ?? 0
            if captured > 0 { break }
            await Task.yield()
        }
        try await Self.deliver(Array(messages.dropFirst()), to: actor, on: loop)
        #expect(await actor.captured[9]?.count == GuildActor.capturedMessagesPerTicket)
        #expect(await actor.tickets.ticket(number: 1)?.messageCount == 6_000)
    }

    @Test("a message replayed after a restart, older than the stored activity, is not counted again")
    func replayedMessagesCountOnce() async throws {
        let (actor, guildCreate) = try await Self.actorWithOpenTicket(guild: 80, on: Self.group.next())
        let loop = actor.eventLoop
        let message = Self.frame("MESSAGE_CREATE", guild: 80, channel: 9, id: 1)
        try await Self.deliver([guildCreate, message], to: actor, on: loop)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, await actor.tickets.ticket(number: 1)?.messageCount != 1 {
            await Task.yield()
        }
        // The same message again, replayed: not counted twice.
        try await loop.submit {
            var envelope = GatewayEnvelope.scan(message)!
            envelope.isReplayed = true
            actor.handle(envelope, frame: message)
        }.get()
        #expect(await actor.tickets.ticket(number: 1)?.messageCount == 1)
    }

    @Test("a guild the bot left stops and leaves the directory, so a re-invite's actor is the only one")
    func leavingGuildLeavesDirectory() async throws {
        let loop = Self.group.next()
        let directory = GuildDirectory()
        let actor = GuildActor(
            guildID: 79, eventLoop: loop, services: Self.services(store: InMemoryGuildStore()),
            leftGuild: { directory.unregister($0) })
        directory.register(actor)
        // An outage is not a departure.
        try await Self.deliver(
            [Array(#"{"op":0,"s":1,"t":"GUILD_DELETE","d":{"id":"79","unavailable":true}}"#.utf8)], to: actor,
            on: loop)
        #expect(directory.contains(79))
        try await Self.deliver([Array(#"{"op":0,"s":2,"t":"GUILD_DELETE","d":{"id":"79"}}"#.utf8)], to: actor, on: loop)
        let deadline = ContinuousClock.now + .seconds(10)
        while directory.contains(79), ContinuousClock.now < deadline { await Task.yield() }
        #expect(!directory.contains(79))
        // A newer actor for the same guild is not removed by the old one leaving.
        let newer = GuildActor(guildID: 79, eventLoop: loop, services: Self.services(store: InMemoryGuildStore()))
        directory.register(newer)
        directory.unregister(actor)
        #expect(directory.contains(79))
    }
}
