import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// `aetheria run` as a real child process, killed with SIGKILL in the middle of a ticket workflow and started
/// again on the same SQLite file: Discord's state (checked in the emulator) must come out right.
@Suite("kill -9 of Aetheria mid-workflow, then restart", .serialized)
struct CrashRecoveryTests {
    /// The `aetheria` executable built beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("aetheria")
    }

    final class BotProcess: Sendable {
        let process: Process

        init(
            discord: EmulatorHarness, dataDirectory: String, crashAt: String? = nil, redisURL: String? = nil
        ) throws {
            let configPath = dataDirectory + "/aetheria.json"
            try Data("{}".utf8).write(to: URL(fileURLWithPath: configPath))
            let process = Process()
            process.executableURL = CrashRecoveryTests.executable
            process.arguments = ["run", "--config", configPath]
            process.environment = [
                "DISCORD_TOKEN": discord.token, "DISCORD_API_URL": discord.endpoints.restBaseURL.absoluteString,
                "AETHERIA_DATA_DIR": dataDirectory, "AETHERIA_LOG_LEVEL": "warning",
            ]
            // Each child's dashboard on a port of its own (8080 may be taken, or held by a process being killed).
            process.environment?["DASHBOARD_PORT"] = String(Int.random(in: 30_000...60_000))
            if let crashAt { process.environment?["AETHERIA_CRASH_AT"] = crashAt }
            if let redisURL { process.environment?["REDIS_URL"] = redisURL }
            let log = FileHandle(forWritingAtPath: dataDirectory + "/aetheria.log") ?? .nullDevice
            process.standardOutput = log
            process.standardError = log
            try process.run()
            self.process = process
        }

        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// A test that fails half-way must not leave its bot running (it would hold ports and sessions).
        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        /// Waits for the process to kill itself at its crash point.
        func waitForCrash(_ harness: BotHarness, at point: String) async throws {
            try await harness.eventually("the process killed itself at \(point)", timeout: .seconds(30)) {
                !self.process.isRunning
            }
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Waits until the emulator sees a connected session (the process is up and listening to events).
    static func waitUntilConnected(_ discord: EmulatorHarness, _ harness: BotHarness) async throws {
        try await harness.eventually("the bot process is connected", timeout: .seconds(30)) {
            let sessions = try await discord.control(.GET, "/records/sessions").json?.arrayValue ?? []
            return sessions.contains { $0["connected"]?.boolValue == true }
        }
    }

    @Test("killed while creating a ticket channel, then while closing one: no ticket lost, no duplicate channel")
    func killedMidOpenAndMidClose() async throws {
        let dataDirectory = BotHarness.temporaryDataDirectory()
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            // Set the guild up with the in-process bot, as an admin would, then hand over to the real process.
            let (fixture, panel) = try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) {
                harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture) { $0.deleteDelaySeconds = 1 }
                return (fixture, try await harness.postPanel(fixture))
            }
            // The member-side helpers, without an in-process bot (the bot is the child process from here on).
            let harness = BotHarness(
                discord: discord, bot: AetheriaBot(configuration: AetheriaConfiguration(), logger: BotHarness.logger),
                clock: TestClock(), dataDirectory: dataDirectory)
            let member = fixture.members[0]
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: dataDirectory + "/aetheria.log", contents: nil)

            // 1. Killed while Discord is still creating the channel.
            _ = try await discord.control(
                .POST, "/faults/rest",
                json: #"{"kind":"latency","path_contains":"/guilds/","method":"POST","latency_milliseconds":1500}"#)
            var bot = try BotProcess(discord: discord, dataDirectory: dataDirectory)
            try await Self.waitUntilConnected(discord, harness)
            let click = try await harness.click(
                "aetheria:ticket:open", on: panel.id, in: fixture.supportChannel, as: member)
            try await harness.eventually("the click is acknowledged") {
                try await discord.control(.GET, "/interactions/\(click.id)").json?["acknowledged"]?.boolValue == true
            }
            try await Task.sleep(for: .milliseconds(500))  // the channel request is in flight now
            bot.kill9()
            _ = try await discord.control(.DELETE, "/faults")

            bot = try BotProcess(discord: discord, dataDirectory: dataDirectory)
            try await harness.eventually("the ticket exists once, visible to its opener", timeout: .seconds(30)) {
                let channels = try await harness.ticketChannels(of: fixture.guildID)
                guard channels.count == 1, let channel = channels.first else { return false }
                return try await harness.access(of: member, to: channel.id).view
            }
            try await Task.sleep(for: .seconds(1))
            let channels = try await harness.ticketChannels(of: fixture.guildID)
            #expect(channels.count == 1, "no duplicate channel after the restart")
            let channel = try #require(channels.first)

            // 2. Killed while fetching the history for the transcript (after the lock).
            try await harness.post("Please help with my order", in: channel.id, as: member)
            let welcome = try await harness.welcome(in: channel.id)
            _ = try await discord.control(
                .POST, "/faults/rest",
                json: #"{"kind":"latency","path_contains":"/messages","method":"GET","latency_milliseconds":3000}"#)
            _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.staff)
            try await harness.eventually("the channel is locked") {
                try await harness.access(of: member, to: channel.id).send == false
            }
            bot.kill9()
            _ = try await discord.control(.DELETE, "/faults")
            #expect(try await harness.ticketChannels(of: fixture.guildID).count == 1, "killed before the deletion")

            bot = try BotProcess(discord: discord, dataDirectory: dataDirectory)
            try await harness.eventually("the close is finished: channel deleted", timeout: .seconds(30)) {
                try await harness.ticketChannels(of: fixture.guildID).isEmpty
            }
            bot.stop()

            let database = try SQLiteDatabase(path: dataDirectory + "/aetheria.sqlite")
            let transcripts = try await SQLiteTranscriptStore(database: database)
            let html = try await transcripts.html(guildID: fixture.guildID, ticketNumber: 1)
            #expect(html.map { String(decoding: $0, as: UTF8.self).contains("Please help with my order") } == true)
            let stored = try #require(try await SQLiteGuildStore(database: database).load(fixture.guildID))
            let tickets = try GuildTicketsCodec.decode(stored.payload, guildID: fixture.guildID)
            #expect(tickets.tickets.isEmpty)
            #expect(tickets.analytics.opened == 1 && tickets.analytics.closed == 1)
            await database.shutdown()
        }
    }
}
