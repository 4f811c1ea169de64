import EmulatorTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Every command stops when it must: a port in use is one clear line (address, port, the setting that chooses
/// it) and a non-zero exit, never a process that waits for ever; SIGTERM while Discord is unreachable ends
/// `aetheria run` at once. Real child processes of the `aetheria` binary.
@Suite("Processes that stop: ports in use, an unreachable Discord")
struct ProcessStopTests {
    struct Outcome {
        var status: Int32
        var output: String
        var seconds: Double
    }

    /// A listener holding a loopback port for the test's duration.
    static func holdPort() async throws -> (any Channel, Int) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 0)
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, try #require(channel.localAddress?.port))
    }

    /// Runs `aetheria <arguments>`; sends SIGTERM once `terminateWhen` holds for its output (if given), and
    /// returns how it ended and how long after the signal (or after the start) it took.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], terminateWhen: ((String) -> Bool)? = nil
    ) async throws -> Outcome {
        let folder = BotHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outputPath = folder + "/output.txt"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = CrashRecoveryTests.executable
        process.arguments = arguments
        process.environment = ["AETHERIA_DATA_DIR": folder].merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var started = ContinuousClock.now
        if let terminateWhen {
            try await eventually("the process reaches the state to stop it in", timeout: .seconds(30)) {
                terminateWhen((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") || !process.isRunning
            }
            started = .now
            process.terminate()
        }
        try await process.exited(timeout: .seconds(30))
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Outcome(
            status: process.terminationStatus,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "", seconds: seconds)
    }

    @Test("aetheria emulator with its gateway port, or its REST port, in use: one line naming it, exit 1")
    func emulatorPortInUse() async throws {
        let (holder, port) = try await Self.holdPort()
        defer { holder.close(promise: nil) }
        for (arguments, option) in [
            (["emulator", "--port", "0", "--gateway-port", "\(port)"], "--gateway-port"),
            (["emulator", "--port", "\(port)", "--gateway-port", "0"], "--port"),
        ] {
            let outcome = try await Self.run(arguments)
            #expect(outcome.status == 1, "\(outcome.output)")
            let lines = outcome.output.split(separator: "\n").filter { $0.contains("127.0.0.1:\(port)") }
            #expect(lines.count == 1 && lines[0].contains("in use") && lines[0].contains(option), "\(outcome.output)")
        }
    }

    @Test("aetheria demo with its dashboard port in use: one line naming DASHBOARD_PORT, exit 1")
    func demoDashboardPortInUse() async throws {
        let (holder, port) = try await Self.holdPort()
        defer { holder.close(promise: nil) }
        let outcome = try await Self.run(
            ["demo", "--port", "0", "--gateway-port", "0", "--guilds", "1", "--duration", "60"],
            environment: ["DASHBOARD_PORT": "\(port)", "AETHERIA_LOG_LEVEL": "error"])
        #expect(outcome.status == 1, "\(outcome.output)")
        let lines = outcome.output.split(separator: "\n")
        #expect(
            lines.contains { $0.contains("DASHBOARD_PORT") && $0.contains("127.0.0.1:\(port)") }, "\(outcome.output)")
        #expect(lines.count <= 2, "a port in use is said in one line, not many:\n\(outcome.output)")
    }

    @Test(
        "aetheria run against an unreachable Discord stops within seconds of SIGTERM; with its dashboard port in use it says so"
    )
    func runUnreachableDiscord() async throws {
        let closed = try FreeLoopbackPort.pick()
        let environment = [
            "DISCORD_TOKEN": "MTIz.abc.def", "DISCORD_API_URL": "http://127.0.0.1:\(closed)/api/v10",
            "DASHBOARD_PORT": "0", "AETHERIA_LOG_LEVEL": "info",
        ]
        let folder = BotHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/aetheria.json"))
        let stopped = try await Self.run(
            ["run", "--config", folder + "/aetheria.json"], environment: environment,
            terminateWhen: { $0.contains("Server started and listening") })
        #expect(stopped.status == 0, "\(stopped.output)")
        #expect(stopped.seconds < 5, "took \(stopped.seconds) s after SIGTERM")

        let (holder, port) = try await Self.holdPort()
        defer { holder.close(promise: nil) }
        var taken = environment
        taken["DASHBOARD_PORT"] = "\(port)"
        let refused = try await Self.run(["run", "--config", folder + "/aetheria.json"], environment: taken)
        #expect(refused.status == 1)
        #expect(refused.output.contains("DASHBOARD_PORT") && refused.output.contains("127.0.0.1:\(port)"))
        #expect(!refused.output.contains("bind(descriptor"), "no raw errno:\n\(refused.output)")
    }
}
