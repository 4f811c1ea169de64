import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// A real `aetheria run` that kills itself with SIGKILL exactly at one step of a workflow
/// (`AETHERIA_CRASH_AT`, see CrashPoint), then a restart on the same SQLite file. Asserted through the
/// emulator's state, as a guild would see it: one ticket, one channel, one welcome, one entry per event in the
/// moderation log, one transcript, and the buttons of the killed process still work.
@Suite("Crash matrix: kill -9 at every step, then restart", .serialized)
struct CrashMatrixTests {
    typealias BotProcess = CrashRecoveryTests.BotProcess

    struct World: Sendable {
        var discord: EmulatorHarness
        var harness: BotHarness
        var fixture: TicketFixture
        var panel: Message
        var dataDirectory: String
        var member: UserID { fixture.members[0] }
    }

    /// The guild set up as an admin would (in-process), then handed to child processes.
    static func world(
        _ body: @escaping @Sendable (World) async throws -> Void
    ) async throws {
        let dataDirectory = BotHarness.temporaryDataDirectory()
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let (fixture, panel) = try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) {
                harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture) { $0.deleteDelaySeconds = 1 }
                return (fixture, try await harness.postPanel(fixture))
            }
            let harness = BotHarness(
                discord: discord, bot: AetheriaBot(configuration: AetheriaConfiguration(), logger: BotHarness.logger),
                clock: TestClock(), dataDirectory: dataDirectory)
            FileManager.default.createFile(atPath: dataDirectory + "/aetheria.log", contents: nil)
            try await body(
                World(discord: discord, harness: harness, fixture: fixture, panel: panel, dataDirectory: dataDirectory))
        }
    }

    struct ChildExited: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a child and waits until the emulator sees its session; a child that exits first fails the test
    /// at once, with the end of its log.
    static func start(_ world: World, crashAt point: String? = nil) async throws -> BotProcess {
        let bot = try BotProcess(discord: world.discord, dataDirectory: world.dataDirectory, crashAt: point)
        try await world.harness.eventually("the bot process is connected", timeout: .seconds(30)) {
            guard bot.process.isRunning else {
                let log = (try? String(contentsOfFile: world.dataDirectory + "/aetheria.log", encoding: .utf8)) ?? ""
                throw ChildExited(description: "the bot exited before connecting: \(log.suffix(500))")
            }
            let sessions = try await world.discord.control(.GET, "/records/sessions").json?.arrayValue ?? []
            return sessions.contains { $0["connected"]?.boolValue == true }
        }
        return bot
    }

    /// Moderation-log titles, counted.
    static func auditCounts(_ world: World) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for title in try await world.harness.auditTitles(world.fixture) { counts[title, default: 0] += 1 }
        return counts
    }

    static func transcriptCount(_ world: World) async throws -> Int {
        let database = try SQLiteDatabase(path: world.dataDirectory + "/aetheria.sqlite")
        let store = try await SQLiteTranscriptStore(database: database)
        let count = try await store.list(guildID: world.fixture.guildID, query: TranscriptQuery(limit: 100)).count
        await database.shutdown()
        return count
    }

    /// The member's ticket, once it exists exactly once with its welcome and its audit entry.
    static func settledTicket(_ world: World) async throws -> (channel: DiscordModels.Channel, welcome: Message) {
        let harness = world.harness
        try await harness.eventually("the ticket is settled after the restart", timeout: .seconds(30)) {
            let channels = try await harness.ticketChannels(of: world.fixture.guildID)
            guard channels.count == 1, let channel = channels.first else { return false }
            let welcomes = try await harness.messages(in: channel.id).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:close"
            }
            let created = try await auditCounts(world)["Ticket #1 created"] ?? 0
            return welcomes.count == 1 && created >= 1
        }
        let channels = try await harness.ticketChannels(of: world.fixture.guildID)
        #expect(channels.count == 1, "no duplicate channel")
        let channel = try #require(channels.first)
        #expect(try await harness.access(of: world.member, to: channel.id).view, "the opener sees the ticket")
        return (channel, try await harness.welcome(in: channel.id))
    }

    /// Closes through the welcome's Close button (of whichever process posted it) and waits for the deletion.
    static func closeAndAwaitDeletion(_ world: World, welcome: Message, channel: ChannelID) async throws {
        _ = try await world.harness.click(
            "aetheria:ticket:close", on: welcome.id, in: channel, as: world.fixture.staff)
        try await world.harness.eventually("the ticket is closed and its channel deleted", timeout: .seconds(30)) {
            let deleted = try await auditCounts(world)["Ticket #1 channel deleted"] ?? 0
            return try await world.harness.ticketChannels(of: world.fixture.guildID).isEmpty && deleted >= 1
        }
    }

    static func expectOneOfEach(_ world: World) async throws {
        let counts = try await auditCounts(world)
        for title in ["Ticket #1 created", "Ticket #1 closed", "Ticket #1 channel deleted"] {
            #expect(counts[title] == 1, "\(title): \(counts[title] ?? 0) entries")
        }
        #expect(try await transcriptCount(world) == 1, "exactly one transcript")
    }

    @Test(
        "killed while opening: one ticket, one welcome, one audit entry; its Close button still works",
        arguments: ["open.recorded", "open.channel-created", "open.welcome-posted"])
    func killedWhileOpening(_ point: String) async throws {
        try await Self.world { world in
            var bot = try await Self.start(world, crashAt: point)
            _ = try await world.harness.click(
                "aetheria:ticket:open", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            try await bot.waitForCrash(world.harness, at: point)
            bot = try await Self.start(world)
            let (channel, welcome) = try await Self.settledTicket(world)
            try await Self.closeAndAwaitDeletion(world, welcome: welcome, channel: channel.id)
            bot.stop()
            try await Self.expectOneOfEach(world)
        }
    }

    @Test(
        "killed while closing or deleting: the close finishes once, with one transcript and one entry per event",
        arguments: ["close.locked", "close.transcript-saved", "close.closed-recorded", "delete.due"])
    func killedWhileClosing(_ point: String) async throws {
        try await Self.world { world in
            var bot = try await Self.start(world, crashAt: point)
            _ = try await world.harness.click(
                "aetheria:ticket:open", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            let (channel, welcome) = try await Self.settledTicket(world)
            try await world.harness.post("Please help with my order", in: channel.id, as: world.member)
            _ = try await world.harness.click(
                "aetheria:ticket:close", on: welcome.id, in: channel.id, as: world.fixture.staff)
            try await bot.waitForCrash(world.harness, at: point)
            bot = try await Self.start(world)
            try await world.harness.eventually("the close is finished after the restart", timeout: .seconds(30)) {
                let deleted = try await Self.auditCounts(world)["Ticket #1 channel deleted"] ?? 0
                return try await world.harness.ticketChannels(of: world.fixture.guildID).isEmpty && deleted >= 1
            }
            bot.stop()
            try await Self.expectOneOfEach(world)
            #expect(try await Self.transcriptCount(world) == 1)
        }
    }

    @Test("killed right after posting the panel: the replayed command posts no second panel")
    func killedAfterPanel() async throws {
        try await Self.world { world in
            var bot = try await Self.start(world, crashAt: "setup.panel-posted")
            _ = try await world.harness.runCommand(
                "ticket-setup", in: world.fixture.supportChannel, as: world.fixture.admin)
            try await bot.waitForCrash(world.harness, at: "setup.panel-posted")
            bot = try await Self.start(world)
            // The restarted process replays the session from its stored position, the command included; a
            // member's click on the panel is then answered, which shows the replay has been handled.
            let panels = try await world.harness.messages(in: world.fixture.supportChannel).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:open"
            }
            let newest = try #require(panels.last)
            _ = try await world.harness.openTicket(world.fixture, panel: newest, as: world.member)
            let after = try await world.harness.messages(in: world.fixture.supportChannel).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:open"
            }
            bot.stop()
            #expect(after.count == 2, "the set-up panel plus the one posted before the crash, no third")
        }
    }
}
