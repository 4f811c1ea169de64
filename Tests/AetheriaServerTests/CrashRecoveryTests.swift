import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// `aetheria run` as a real child process, for the tests that kill it (CrashMatrixTests). The earlier test
/// here killed the process after fixed sleeps ("the request is in flight now"), which depended on how loaded
/// the machine was; the crash matrix kills it exactly at named steps instead.
enum CrashRecoveryTests {
    /// The `aetheria` executable built beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("aetheria")
    }

    final class BotProcess: Sendable {
        let process: Process

        init(
            discord: EmulatorHarness, dataDirectory: String, crashAt: String? = nil, redisURL: URL? = nil,
            environment extra: [String: String] = [:]
        ) throws {
            // On Redis nothing else makes the directory, and the child's configuration and log live there.
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let configPath = dataDirectory + "/aetheria.json"
            try Data("{}".utf8).write(to: URL(fileURLWithPath: configPath))
            let process = Process()
            process.executableURL = CrashRecoveryTests.executable
            process.arguments = ["run", "--config", configPath]
            process.environment = [
                "DISCORD_TOKEN": discord.token, "DISCORD_API_URL": discord.endpoints.restBaseURL.absoluteString,
                "AETHERIA_DATA_DIR": dataDirectory, "AETHERIA_LOG_LEVEL": "warning",
            ]
            // Each child's dashboard on a port the kernel picks: 8080 may be taken, and a random port can collide
            // with another test's listener (that made a run fail with "Address already in use").
            process.environment?["DASHBOARD_PORT"] = "0"
            if let crashAt { process.environment?["AETHERIA_CRASH_AT"] = crashAt }
            if let redisURL { process.environment?["REDIS_URL"] = redisURL.absoluteString }
            process.environment?.merge(extra) { $1 }
            // Appended to, so a restarted child's log follows the killed one's.
            let log = FileHandle(forWritingAtPath: dataDirectory + "/aetheria.log") ?? .nullDevice
            log.seekToEndOfFile()
            process.standardOutput = log
            process.standardError = log
            try process.run()
            self.process = process
        }

        func kill9() async throws {
            kill(process.processIdentifier, SIGKILL)
            try await process.exited()
        }

        /// A test that fails half-way must not leave its bot running (it would hold ports and sessions).
        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        /// Waits for the process to kill itself at its crash point.
        func waitForCrash(_ harness: BotHarness, at point: String) async throws {
            try await eventually("the process killed itself at \(point)", timeout: .seconds(30)) {
                !self.process.isRunning
            }
            try await process.exited()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        }

        /// Everything the children on `dataDirectory` have logged so far.
        static func log(in dataDirectory: String) -> String {
            (try? String(contentsOfFile: dataDirectory + "/aetheria.log", encoding: .utf8)) ?? ""
        }

        /// SIGTERM, and the graceful shutdown it starts (sessions closed resumably, guilds flushed).
        /// A clean stop exits with status 0: a service that ends by itself cancels the rest, and then nothing is
        /// saved in order.
        func stop() async throws {
            process.terminate()
            try await process.exited()
            #expect(
                process.terminationReason == .exit && process.terminationStatus == 0,
                "a SIGTERM stops the process cleanly")
        }
    }

    /// Waits until the emulator sees a connected session (the process is up and listening to events).
    static func waitUntilConnected(_ discord: EmulatorHarness, _ harness: BotHarness) async throws {
        try await eventually("the bot process is connected", timeout: .seconds(30)) {
            let sessions = try await discord.control(.GET, "/records/sessions").json?.arrayValue ?? []
            return sessions.contains { $0["connected"]?.boolValue == true }
        }
    }
}
