import AetheriaPorts
import DiscordGateway
import DiscordModels
import EmulatorTestSupport
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A guild handler like the bot's: keeps the GUILD_CREATE snapshot and checks it only ever sees its own
/// guild's events, in order, on its event loop.
final class RecordingGuild: GuildEventHandling {
    let guildID: GuildID
    let eventLoop: any EventLoop
    let log: EventLog
    var snapshot: GuildSnapshot?
    var lastSequence = 0

    init(guildID: GuildID, eventLoop: any EventLoop, log: EventLog) {
        self.guildID = guildID
        self.eventLoop = eventLoop
        self.log = log
    }

    func handle(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        var problems: [String] = []
        if !eventLoop.inEventLoop { problems.append("off loop") }
        if let sequence = envelope.sequence {
            if sequence <= lastSequence { problems.append("out of order") }
            lastSequence = sequence
        }
        if envelope.event == .guildCreate, let range = envelope.payloadRange {
            snapshot = GuildCreateDecoder.decode(frame[range])
            if snapshot?.id != guildID { problems.append("wrong guild") }
        } else if let id = envelope.guildID, id != guildID.rawValue {
            problems.append("wrong guild")
        }
        let entry = "\(guildID) \((envelope.event ?? .other).description) \(problems.joined(separator: ","))"
        log.append(entry)
    }
}

/// Lines written by handlers on several event loops.
final class EventLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite("Routing dispatches to per-guild handlers")
struct GuildRouterTests {
    @Test("every guild gets its own handler with its GUILD_CREATE; messages reach only their guild, in order")
    func routesByGuild() async throws {
        try await EmulatorHarness.run({ $0.guilds = 6 }) { harness in
            let log = EventLog()
            let unrouted = Mutex(0)
            let router = GuildRouter<RecordingGuild>(
                makeHandler: { guildID, eventLoop in RecordingGuild(guildID: guildID, eventLoop: eventLoop, log: log) },
                unrouted: { _, _, _ in unrouted.withLock { $0 += 1 } })
            let info = try await harness.api(.GET, "/gateway/bot").decode(GatewayBotInfo.self)
            let plan = try ShardManager.plan(
                gatewayBot: info, shardCount: .fixed(2), shardRange: nil, gatewayURLOverride: nil)
            let manager = try await ShardManager.make(
                plan: plan, configuration: GatewayConfiguration(token: harness.token),
                sessionStore: InMemorySessionStore(),
                consumer: router, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: ShardIntegrationTests.logger,
                identifyWindow: .zero)
            manager.start()
            let guilds = try await harness.guilds()
            try await eventually("six GUILD_CREATE") {
                log.all.filter { $0.contains("GUILD_CREATE") }.count == 6
            }
            for guild in guilds.prefix(3) {
                let channel = try #require(guild.channel(named: "general"))
                let member = try #require(guild.ordinaryMembers.first)
                for index in 0..<5 {
                    _ = try await harness.control(
                        .POST, "/channels/\(channel.id)/messages",
                        json: #"{"user_id":"\#(member)","content":"m\#(index)"}"#)
                }
            }
            try await eventually("fifteen MESSAGE_CREATE") {
                log.all.filter { $0.contains("MESSAGE_CREATE") }.count == 15
            }
            let entries = log.all
            #expect(entries.allSatisfy { $0.hasSuffix(" ") }, "problems: \(entries.filter { !$0.hasSuffix(" ") })")
            for guild in guilds.prefix(3) {
                #expect(entries.filter { $0.hasPrefix("\(guild.id) MESSAGE_CREATE") }.count == 5)
            }
            // READY has no guild: it takes the unrouted path, once per shard.
            #expect(unrouted.withLock { $0 } == 2)
            var handlers = 0
            for shard in manager.shards {
                handlers += try await router.guildCount(shardID: shard.identity.id, eventLoop: shard.eventLoop).get()
            }
            #expect(handlers == 6)
            await manager.shutdown()
        }
    }
}
