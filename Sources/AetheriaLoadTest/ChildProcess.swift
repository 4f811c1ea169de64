import AetheriaServer
import Foundation
import Synchronization

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
        Self.register(process.processIdentifier)
    }

    /// The pids of children still running, in a fixed C array a signal handler may read (async-signal-safe).
    nonisolated(unsafe) private static let childPIDs: UnsafeMutablePointer<pid_t> = {
        let pids = UnsafeMutablePointer<pid_t>.allocate(capacity: maximumChildren)
        pids.initialize(repeating: 0, count: maximumChildren)
        return pids
    }()
    private static let maximumChildren = 64
    private static let registry = Mutex(())

    private static func register(_ pid: pid_t) {
        registry.withLock { _ in
            if let free = (0..<maximumChildren).first(where: { childPIDs[$0] == 0 }) { childPIDs[free] = pid }
        }
    }

    private static func unregister(_ pid: pid_t) {
        registry.withLock { _ in
            for index in 0..<maximumChildren where childPIDs[index] == pid { childPIDs[index] = 0 }
        }
    }

    /// On SIGINT or SIGTERM: stop every child, then exit, so an interrupted load test leaves no bots or
    /// servers behind. A handler (not SIG_IGN) so children still start with the default dispositions.
    static func stopChildrenOnSignals() {
        _ = childPIDs
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { received in
                for index in 0..<ChildProcess.maximumChildren where ChildProcess.childPIDs[index] > 0 {
                    // SIGKILL: children may inherit SIGTERM blocked, and their state is throwaway anyway.
                    kill(ChildProcess.childPIDs[index], SIGKILL)
                }
                _exit(128 + received)
            }
        }
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

    /// Stops the child: SIGTERM for a graceful stop (the bot flushes and leaves), or SIGKILL for a helper that
    /// may have inherited SIGTERM blocked from the thread that spawned it (redis-server does not unblock it).
    func stop(signal: Int32 = SIGTERM) {
        Self.unregister(process.processIdentifier)
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }
}
