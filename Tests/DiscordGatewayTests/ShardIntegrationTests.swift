import AetheriaPorts
import DiscordEmulator
import DiscordGateway
import DiscordModels
import EmulatorTestSupport
import Foundation
import Logging
import NIOPosix
import Testing

@Suite("Shards against the emulator: startup, faults, restarts")
struct ShardIntegrationTests {
    static let logger = Logger(label: "test.gateway", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts a shard manager for `shardCount` shards against the harness's emulator.
    static func startManager(
        _ harness: EmulatorHarness, shardCount: Int, consumer: RecordingConsumer, store: any SessionStore,
        identifyWindow: Duration = .milliseconds(0), adjust: (inout GatewayConfiguration) -> Void = { _ in }
    ) async throws -> ShardManager {
        let info = try await harness.api(.GET, "/gateway/bot").decode(GatewayBotInfo.self)
        let plan = try ShardManager.plan(
            gatewayBot: info, shardCount: .fixed(shardCount), shardRange: nil, gatewayURLOverride: nil)
        var configuration = GatewayConfiguration(token: harness.token)
        configuration.backoffBase = .milliseconds(50)
        configuration.backoffCap = .milliseconds(200)
        adjust(&configuration)
        let manager = try await ShardManager.make(
            plan: plan, configuration: configuration, sessionStore: store, consumer: consumer,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger, identifyWindow: identifyWindow)
        manager.start()
        return manager
    }

    static func waitConnected(_ manager: ShardManager, timeout: Duration = .seconds(10)) async throws {
        try await eventually("all shards connected", timeout: timeout) {
            manager.statuses.allSatisfy { $0.state == "connected" }
        }
    }

    /// Every session's deliveries are 1, 2, 3, … with no gap and no repeat, and the current one matches what
    /// the emulator dispatched to that session.
    static func expectContinuity(_ harness: EmulatorHarness, consumer: RecordingConsumer, shard: Int) async throws {
        let sessions = consumer.sessions(of: shard)
        for deliveries in sessions {
            #expect(
                deliveries.map(\.sequence) == Array(1...max(1, deliveries.count)).prefix(deliveries.count).map { $0 })
        }
        let records = try await harness.control(.GET, "/records/sessions").json?.arrayValue ?? []
        let live = records.filter {
            $0["connected"]?.boolValue == true && $0["shard"]?.arrayValue?.first?.intValue == shard
        }
        guard let sessionID = live.first?["session_id"]?.stringValue else {
            Issue.record("no live session for shard \(shard)")
            return
        }
        let dispatched = try await harness.control(.GET, "/records/dispatches?session_id=\(sessionID)").json
        let expected = dispatched?["dispatches"]?.arrayValue?.compactMap { $0["s"]?.intValue } ?? []
        let current = sessions.last ?? []
        // RESUMED is the emulator's too; compare sequence numbers only.
        #expect(current.map(\.sequence) == expected)
    }

    /// A member posts in the first guild, producing one MESSAGE_CREATE on its shard.
    static func memberPosts(_ harness: EmulatorHarness, _ content: String) async throws {
        let guild = try #require(try await harness.guilds().first)
        let channel = try #require(guild.channel(named: "general"))
        let member = try #require(guild.ordinaryMembers.first)
        _ = try await harness.control(
            .POST, "/channels/\(channel.id)/messages", json: #"{"user_id":"\#(member)","content":"\#(content)"}"#)
    }

    @Test("4 shards with max_concurrency 2 start; identifies are paced per bucket; every guild arrives on its loop")
    func startupPacing() async throws {
        try await EmulatorHarness.run({
            $0.guilds = 8
            $0.maxConcurrency = 2
            $0.identifyWindow = .milliseconds(800)
        }) { harness in
            let consumer = RecordingConsumer()
            let manager = try await Self.startManager(
                harness, shardCount: 4, consumer: consumer, store: InMemorySessionStore(),
                // Wider than the emulator's 0.8 s, so a loaded machine's delays never land two in one window.
                identifyWindow: .milliseconds(1300))
            try await Self.waitConnected(manager)
            let guilds = try await harness.guilds()
            try await eventually("every GUILD_CREATE") {
                consumer.guildsSeen == Set(guilds.map(\.id.rawValue))
            }
            #expect(consumer.deliveredOnShardLoop)
            let identifies = try await harness.control(.GET, "/records/identifies").json?.arrayValue ?? []
            #expect(identifies.count == 4)
            #expect(identifies.allSatisfy { $0["accepted"]?.boolValue == true })
            func time(_ shard: Int) -> Double {
                identifies.first { $0["shard"]?.arrayValue?.first?.intValue == shard }?["at"].flatMap {
                    if case .number(let value) = $0 { value } else { nil }
                } ?? 0
            }
            // One identify per bucket (shard % 2) per window, whichever shard of the bucket asked first.
            #expect(abs(time(2) - time(0)) >= 0.8)
            #expect(abs(time(3) - time(1)) >= 0.8)
            #expect(manager.statuses.map(\.guildCount).reduce(0, +) == 8)
            await manager.shutdown()
        }
    }

    @Test(
        "each injected fault ends in the documented recovery with no lost or duplicated dispatch",
        arguments: [
            #"{"action":"close","code":4000}"#, #"{"action":"reconnect"}"#,
            #"{"action":"invalidate","resumable":true}"#,
            #"{"action":"drop"}"#, #"{"action":"close","code":4009}"#, #"{"action":"invalidate","resumable":false}"#,
            #"{"action":"close","code":4007}"#, #"{"action":"invalid_json"}"#, #"{"action":"corrupt_zlib"}"#,
            #"{"action":"oversized_frame","bytes":2000000}"#,
        ])
    func faultRecovery(fault: String) async throws {
        try await EmulatorHarness.run { harness in
            let consumer = RecordingConsumer()
            let manager = try await Self.startManager(
                harness, shardCount: 1, consumer: consumer, store: InMemorySessionStore(),
                adjust: { $0.maximumFrameSize = 1_000_000 })
            try await Self.waitConnected(manager)
            try await Self.memberPosts(harness, "before")
            try await eventually("the first message") {
                consumer.count("MESSAGE_CREATE", shard: 0) == 1
            }
            let before = manager.statuses[0]

            let injected = try await harness.control(.POST, "/faults/gateway", json: fault)
            #expect(injected.status == 200)
            // Traffic while the shard recovers must not be lost.
            try await Self.memberPosts(harness, "during")
            try await eventually("a reconnect") { manager.statuses[0].reconnects > before.reconnects }
            try await Self.waitConnected(manager)
            try await Self.memberPosts(harness, "after")
            try await eventually("every message") {
                // A new session (4007/4009/op 9 false) cannot replay "during"; a resumed one must.
                consumer.sessions(of: 0).last?.contains { $0.event == "MESSAGE_CREATE" } == true
                    && consumer.count("MESSAGE_CREATE", shard: 0) >= 2
            }
            try await Task.sleep(for: .milliseconds(100))
            try await Self.expectContinuity(harness, consumer: consumer, shard: 0)
            let status = manager.statuses[0]
            let identifies = try await harness.control(.GET, "/records/identifies").json?.arrayValue ?? []
            let newSession = fault.contains("4009") || fault.contains("4007") || fault.contains("false")
            #expect(identifies.count == (newSession ? 2 : 1), "identifies after \(fault)")
            if !newSession {
                #expect(status.resumes == before.resumes + 1)
                #expect(consumer.count("MESSAGE_CREATE", shard: 0) == 3)
            }
            await manager.shutdown()
        }
    }

    @Test("a silent gateway (no heartbeat ACKs) is detected as a zombie and the session resumes")
    func zombieConnection() async throws {
        try await EmulatorHarness.run({ $0.heartbeatInterval = .milliseconds(200) }) { harness in
            let consumer = RecordingConsumer()
            let manager = try await Self.startManager(
                harness, shardCount: 1, consumer: consumer, store: InMemorySessionStore())
            try await Self.waitConnected(manager)
            _ = try await harness.control(.POST, "/faults/gateway", json: #"{"action":"silence"}"#)
            try await eventually("a resume") { manager.statuses[0].resumes == 1 }
            try await Self.waitConnected(manager)
            let identifies = try await harness.control(.GET, "/records/identifies").json?.arrayValue ?? []
            #expect(identifies.count == 1)
            // The new connection is acknowledged again: the heartbeat round trip is measured.
            try await eventually("a heartbeat ACK") { manager.statuses[0].heartbeatLatency != nil }
            await manager.shutdown()
        }
    }

    @Test("a fatal close code stops the shard with an operator-facing error and never loops", arguments: [4004, 4014])
    func fatalCloseCodes(code: Int) async throws {
        try await EmulatorHarness.run { harness in
            let consumer = RecordingConsumer()
            let manager = try await Self.startManager(
                harness, shardCount: 1, consumer: consumer, store: InMemorySessionStore())
            try await Self.waitConnected(manager)
            _ = try await harness.control(.POST, "/faults/gateway", json: #"{"action":"close","code":\#(code)}"#)
            // Stopped for good is the state the machine leaves only by a restart of the process: no reconnect or
            // identify can follow it (a sleep shorter than the reconnect backoff guarded nothing).
            try await eventually("the shard stops") { manager.statuses[0].fatalError != nil }
            let identifies = try await harness.control(.GET, "/records/identifies").json?.arrayValue ?? []
            #expect(identifies.count == 1)
            #expect(manager.statuses[0].state.hasPrefix("stopped"))
            #expect(manager.statuses[0].fatalError?.description.contains("\(code)") == true)
            await manager.shutdown()
        }
    }

    @Test("a restart with saved sessions resumes every shard: zero new identifies")
    func restartResumes() async throws {
        try await EmulatorHarness.run({ $0.guilds = 4 }) { harness in
            let store = InMemorySessionStore()
            let first = RecordingConsumer()
            let manager = try await Self.startManager(harness, shardCount: 2, consumer: first, store: store)
            try await Self.waitConnected(manager)
            try await eventually("guilds") { first.guildsSeen.count == 4 }
            await manager.shutdown()
            #expect(await store.all.count == 2)

            try await Self.memberPosts(harness, "while restarting")
            let second = RecordingConsumer()
            let restarted = try await Self.startManager(harness, shardCount: 2, consumer: second, store: store)
            try await Self.waitConnected(restarted)
            let identifies = try await harness.control(.GET, "/records/identifies").json?.arrayValue ?? []
            #expect(identifies.count == 2)
            let resumes = try await harness.control(.GET, "/records/resumes").json?.arrayValue ?? []
            #expect(resumes.filter { $0["accepted"]?.boolValue == true }.count == 2)
            // The message posted while no process ran is replayed to the restarted one.
            try await eventually("the replayed message") {
                second.count("MESSAGE_CREATE", shard: 0) + second.count("MESSAGE_CREATE", shard: 1) == 1
            }
            await restarted.shutdown()
        }
    }

    @Test("the manager refuses to start when the daily identify budget cannot cover the shards")
    func refusesToBurnBudget() async throws {
        try await EmulatorHarness.run({ $0.sessionStartLimit = 1 }) { harness in
            await #expect(throws: ShardManager.StartRefused.self) {
                _ = try await Self.startManager(
                    harness, shardCount: 2, consumer: RecordingConsumer(), store: InMemorySessionStore())
            }
        }
    }
}
