import AetheriaServer
import Foundation

/// A child `aetheria run` for the load test: its own process, so its CPU time and resident memory are read
/// from `/proc` without the emulator's share.
final class ChildProcess: Sendable {
    let process: Process

    let logPath: String

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    init(executable: String, arguments: [String], environment: [String: String], log: String) throws {
        self.logPath = log
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log) ?? .nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }

    /// User + system CPU seconds so far.
    var cpuSeconds: Double { ProcessStatistics.cpuSeconds(pid: pid) }

    /// Resident set size in bytes.
    var residentBytes: Int { ProcessStatistics.residentBytes(pid: pid) }

    /// Throws when the child has exited or logged a critical error (such as a shard Discord refused), so the
    /// load test stops at once with the reason instead of waiting out its timeout.
    func checkHealthy() throws {
        guard process.isRunning else {
            throw Failed(description: "the bot exited with status \(process.terminationStatus); see \(logPath)")
        }
        guard let log = try? String(contentsOfFile: logPath, encoding: .utf8),
            let line = log.split(separator: "\n").first(where: { $0.contains(" critical ") })
        else { return }
        throw Failed(description: "the bot stopped: \(line)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
