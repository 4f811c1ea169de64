import AetheriaServer
import EmulatorTestSupport
import Foundation
import Testing

/// `aetheria check-config` must refuse exactly what `aetheria run` refuses before the network: it once said
/// "configuration OK" for a configuration without a token, which `run` then refused.
@Suite("check-config: the same start-up check as run")
struct CheckConfigTests {
    /// Runs the real binary with only `environment`, returning its exit status and what it wrote.
    static func checkConfig(environment: [String: String]) async throws -> (status: Int32, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("aetheria.json")
        try Data("{}".utf8).write(to: config)
        let output = folder.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = CrashRecoveryTests.executable
        process.arguments = ["check-config", "--config", config.path]
        var childEnvironment = environment
        childEnvironment["AETHERIA_DATA_DIR"] = environment["AETHERIA_DATA_DIR"] ?? folder.path + "/data"
        process.environment = childEnvironment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try await process.exited()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }

    @Test("no token: refused with the key named, as run refuses it")
    func noToken() async throws {
        let result = try await Self.checkConfig(environment: [:])
        #expect(result.status == 78)
        #expect(result.output.contains("discord.token (DISCORD_TOKEN) is not set"))
        #expect(!result.output.contains("configuration OK"))
    }

    @Test("a data folder that cannot be created: refused, naming the key")
    func dataFolderUnderAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("check-config-file-\(UUID())")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await Self.checkConfig(
            environment: ["DISCORD_TOKEN": "MTIz.abc.zq9secret", "AETHERIA_DATA_DIR": file.path + "/data"])
        #expect(result.status == 78)
        #expect(result.output.contains("storage.dataDirectory (AETHERIA_DATA_DIR)"))
        #expect(!result.output.contains("zq9secret"), "the token is never printed")
    }

    @Test("a complete configuration: OK, secrets redacted, and nothing created on disk")
    func complete() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("check-config-data-\(UUID())")
        let result = try await Self.checkConfig(
            environment: ["DISCORD_TOKEN": "MTIz.abc.secret-part", "AETHERIA_DATA_DIR": data.path])
        #expect(result.status == 0)
        #expect(result.output.contains("configuration OK"))
        #expect(!result.output.contains("secret-part"))
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    @Test("the check itself, in process: what build refuses first")
    func inProcess() throws {
        #expect(throws: AetheriaApplication.StartupError.self) { try StartupCheck.validate(AetheriaConfiguration()) }
        var configuration = AetheriaConfiguration()
        configuration.discordToken = "MTIz.abc.def"
        configuration.dataDirectory = FileManager.default.temporaryDirectory.path + "/never-made-\(UUID().uuidString)/x"
        try StartupCheck.validate(configuration)
    }
}
