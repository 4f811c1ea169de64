import Foundation

/// A throwaway `redis-server` for the load test: loopback only, append-only file with `fsync` every second
/// (the durability a production deployment would choose), in a temporary directory.
final class LocalRedis: Sendable {
    let url: String
    private let process: ChildProcess

    /// Starts one, or returns `nil` when `redis-server` is not installed.
    static func start(directory: String) async throws -> LocalRedis? {
        guard let server = executable(named: "redis-server") else { return nil }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for _ in 0..<5 {
            let port = Int.random(in: 20_000...60_000)
            let process = try ChildProcess(
                executable: server,
                arguments: [
                    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                    "--appendfsync", "everysec", "--dir", directory,
                ], environment: [:], log: directory + "/redis.log")
            if await answersPing(port: port) {
                return LocalRedis(url: "redis://127.0.0.1:\(port)/0", process: process)
            }
            process.stop(signal: SIGKILL)  // most likely the port was taken: try another
        }
        throw ChildProcess.Failed(description: "redis-server did not start; see \(directory)/redis.log")
    }

    private init(url: String, process: ChildProcess) {
        self.url = url
        self.process = process
    }

    func stop() { process.stop(signal: SIGKILL) }

    private static func answersPing(port: Int) async -> Bool {
        guard let cli = executable(named: "redis-cli") else {
            try? await Task.sleep(for: .seconds(1))
            return true
        }
        for _ in 0..<50 {
            let ping = Process()
            ping.executableURL = URL(fileURLWithPath: cli)
            ping.arguments = ["-p", String(port), "ping"]
            let output = Pipe()
            ping.standardOutput = output
            ping.standardError = FileHandle.nullDevice
            guard (try? ping.run()) != nil else { return false }
            ping.waitUntilExit()
            let answer = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if answer.contains("PONG") { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return (path.split(separator: ":") + ["/usr/sbin", "/usr/bin"]).map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
