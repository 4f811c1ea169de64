import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Logging
import Storage
import Synchronization
import Testing
import TicketCore

@Suite("Unreadable snapshots and an unreachable Redis")
struct StoreFailureTests {
    @Test(
        "a corrupt or newer-format snapshot pauses that guild with a clear answer and is never overwritten",
        arguments: [Array("{\"format\":99,\"guild\":{}}".utf8), Array("\u{0}garbage".utf8)])
    func unreadableSnapshot(payload: [UInt8]) async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let guild = try TicketFixture(try #require(try await discord.guilds().first))
            let dataDirectory = BotHarness.temporaryDataDirectory()
            let path = dataDirectory + "/aetheria.sqlite"
            let stored = try await BotHarness.seedStoredState(
                payload, guildID: guild.guildID, dataDirectory: dataDirectory, version: 7)

            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                let overview = try #require(await harness.bot.guilds.overview(of: guild.guildID))
                #expect(overview.unreadableReason?.contains("guild \(guild.guildID)") == true)
                let command = try await harness.runCommand("ticket-setup", in: guild.supportChannel, as: guild.admin)
                _ = try await harness.answer(to: command, containing: "tickets are paused")
                #expect(try await harness.messages(in: guild.supportChannel).isEmpty, "no panel while paused")
            }
            let reopened = try SQLiteDatabase(path: path)
            #expect(try await SQLiteGuildStore(database: reopened).load(guild.guildID) == stored, "left untouched")
            await reopened.shutdown()
        }
    }

    @Test("Redis unreachable at start: one clear error naming the URL (password hidden), no identify until it answers")
    func redisUnreachableAtStart() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let port = Int.random(in: 40_000...49_000)
            let lines = LogCapture()
            var configuration = AetheriaConfiguration()
            configuration.discordToken = discord.token
            configuration.discordAPIURL = discord.endpoints.restBaseURL
            configuration.redisURL = URL(string: "redis://:hunter2-secret@127.0.0.1:\(port)/0")
            configuration.dashboardPort = 0
            let bot = try await AetheriaApplication.build(
                configuration,
                environment: .init(logger: Logger(label: "test", factory: { _ in lines.handler() })))
            let run = Task { try await bot.run() }
            // Until the error is logged (then the bot keeps retrying, and must still not identify).
            let deadline = ContinuousClock.now + .seconds(20)
            while !lines.text.contains("is unreachable"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            run.cancel()
            _ = await run.result
            let text = lines.text
            #expect(text.contains("redis://:***@127.0.0.1:\(port)/0 is unreachable"))
            #expect(!text.contains("hunter2-secret"))
            let identifies = try await discord.control(.GET, "/records/identifies").json?.arrayValue ?? []
            #expect(identifies.isEmpty, "no gateway identify is spent while the store is missing")
        }
    }
}

/// Collects log lines in memory.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler() -> some LogHandler {
        Handler(capture: self)
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.lines.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }
}
