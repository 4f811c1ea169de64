import AetheriaServer
import Foundation

/// A child `aetheria run` for the load test: its own process, so its CPU time and resident memory are read
/// from `/proc` without the emulator's share.
final class ChildProcess: Sendable {
    let process: Process

    init(executable: String, arguments: [String], environment: [String: String], log: String) throws {
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

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
