import AsyncHTTPClient
import EmulatorTestSupport
import Foundation
import Testing

/// `aetheria demo` as a newcomer runs it: a real child process whose output goes to a file, as it does under
/// a service manager or `> demo.log`.
@Suite("aetheria demo, as a newcomer runs it")
struct DemoCommandTests {
    @Test(
        "prints its URLs at once into a file, serves the dashboard on DASHBOARD_PORT, keeps its data in AETHERIA_DATA_DIR, stops cleanly on SIGTERM"
    )
    func printsURLsAndHonoursTheEnvironment() async throws {
        let dataDirectory = BotHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let outputPath = dataDirectory + "/demo.out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let dashboardPort = try FreeLoopbackPort.pick()

        let process = Process()
        process.executableURL = CrashRecoveryTests.executable
        // The emulator on ports the kernel picks; the dashboard's port and the data only from the environment.
        process.arguments = ["demo", "--port", "0", "--gateway-port", "0", "--guilds", "1"]
        process.environment = [
            "DASHBOARD_PORT": "\(dashboardPort)", "AETHERIA_DATA_DIR": dataDirectory, "AETHERIA_LOG_LEVEL": "error",
        ]
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let dashboardLine = "Dashboard    http://127.0.0.1:\(dashboardPort)/"
        try await eventually("the demo prints its dashboard URL into the file", timeout: .seconds(60)) {
            let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            return printed.contains(dashboardLine) || !process.isRunning
        }
        let printed = try String(contentsOfFile: outputPath, encoding: .utf8)
        #expect(printed.contains(dashboardLine), "output so far:\n\(printed)")
        #expect(printed.contains("Data         \(dataDirectory)"))

        let health = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(dashboardPort)/healthz"), timeout: .seconds(10))
        #expect(health.status == .ok || health.status == .serviceUnavailable, "the dashboard answers on the port")
        #expect(FileManager.default.fileExists(atPath: dataDirectory + "/aetheria.sqlite"))

        process.terminate()
        try await process.exited()
        let printedAtExit = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "output:\n\(printedAtExit)")
        // In order: the bot saves its sessions and guilds before the emulator goes (nothing is cancelled midway).
        #expect(!printedAtExit.contains("could not save"), "output:\n\(printedAtExit)")
    }
}
