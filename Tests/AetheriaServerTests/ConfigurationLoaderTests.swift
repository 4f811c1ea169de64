import AetheriaServer
import Foundation
import Testing

@Suite("Configuration: file, environment, and clear errors")
struct ConfigurationLoaderTests {
    /// Writes `json` to a temporary file and loads it with `environment`.
    static func load(
        _ json: String?, environment: [String: String] = [:]
    ) throws(ConfigurationError) -> AetheriaConfiguration {
        var path: String?
        if let json {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "aetheria-\(UUID().uuidString).json")
            _ = FileManager.default.createFile(atPath: url.path, contents: Data(json.utf8))
            path = url.path
        }
        defer { if let path { try? FileManager.default.removeItem(atPath: path) } }
        return try ConfigurationLoader().load(file: path, environment: environment)
    }

    @Test("the checked-in config/aetheria.json loads and gives the documented defaults")
    func checkedInFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let configuration = try ConfigurationLoader().load(
            file: root.appendingPathComponent("config/aetheria.json").path, environment: [:])
        #expect(configuration == AetheriaConfiguration())
        #expect(configuration.discordAPIURL.absoluteString == "https://discord.com/api/v10")
        #expect(configuration.shardCount == .automatic)
        #expect(configuration.dashboardHost == "127.0.0.1")
    }

    @Test("every key Aetheria reads is in config/aetheria.json and in docs/configuration.md, with its variable")
    func everyKeyIsListedAndDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try ConfigurationLoader.flatten(
            Data(contentsOf: root.appendingPathComponent("config/aetheria.json")), file: "config/aetheria.json")
        let json = try String(contentsOf: root.appendingPathComponent("config/aetheria.json"), encoding: .utf8)
        let documentation = try String(
            contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        for key in ConfigurationLoader.keys {
            let section = key.path.split(separator: ".")
            // Present in the file, with null (the default) or a value.
            #expect(
                file[key.path] != nil || json.contains("\"\(section.last ?? "")\": null"),
                "config/aetheria.json lacks \(key.path)")
            #expect(documentation.contains("| `\(key.path)` |"), "docs/configuration.md lacks \(key.path)")
            if let variable = key.environmentVariable {
                #expect(documentation.contains("`\(variable)`"), "docs/configuration.md lacks \(variable)")
            }
        }
    }

    @Test("environment variables override the file")
    func environmentWins() throws {
        let configuration = try Self.load(
            #"{"shards":{"count":4},"dashboard":{"port":9000}}"#,
            environment: [
                "AETHERIA_SHARDS": "16", "AETHERIA_SHARD_RANGE": "0-7", "DASHBOARD_PORT": "9100",
                "REDIS_URL": "redis://user:hunter2@127.0.0.1:6379/0", "AETHERIA_GATEWAY_COMPRESSION": "false",
            ])
        #expect(configuration.gatewayCompression == false)
        #expect(configuration.shardCount == .fixed(16))
        #expect(configuration.shardRange == 0...7)
        #expect(configuration.dashboardPort == 9100)
        #expect(configuration.redisURL?.host == "127.0.0.1")
    }

    @Test(
        "a bad value stops start-up with one message naming the key",
        arguments: [
            (#"{"shards":{"count":"many"}}"#, [String: String](), "shards.count (AETHERIA_SHARDS)"),
            (#"{"shards":{"count":4,"range":"2-9"}}"#, [:], "shards.range (AETHERIA_SHARD_RANGE)"),
            (#"{"dashboard":{"port":70000}}"#, [:], "dashboard.port (DASHBOARD_PORT)"),
            (#"{"discord":{"apiURL":"ftp://example.com"}}"#, [:], "discord.apiURL (DISCORD_API_URL)"),
            (#"{"dashbord":{"port":1}}"#, [:], "dashbord.port"),
            ("{}", ["REDIS_URL": "localhost:6379"], "storage.redisURL (REDIS_URL)"),
            ("{}", ["AETHERIA_LOG_LEVEL": "loud"], "log.level (AETHERIA_LOG_LEVEL)"),
            (#"{"gateway":{"compression":"yes"}}"#, [:], "gateway.compression (AETHERIA_GATEWAY_COMPRESSION)"),
            (
                "{}", ["AETHERIA_ACTIVITY_FLUSH_SECONDS": "0"],
                "storage.activityFlushSeconds (AETHERIA_ACTIVITY_FLUSH_SECONDS)"
            ),
        ])
    func badValues(json: String, environment: [String: String], key: String) {
        #expect {
            try Self.load(json, environment: environment)
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test("a malformed token is refused without echoing it; secrets never appear in descriptions")
    func secretsStaySecret() throws {
        let secretToken = "super-secret-token-without-dots"
        do {
            _ = try Self.load("{}", environment: ["DISCORD_TOKEN": secretToken])
            Issue.record("a malformed token was accepted")
        } catch {
            #expect(!error.description.contains(secretToken))
            #expect(error.key == "discord.token (DISCORD_TOKEN)")
        }
        let configuration = try Self.load(
            "{}",
            environment: [
                "DISCORD_TOKEN": "MTIz.abc.def-secret", "DISCORD_CLIENT_SECRET": "client-secret-value",
                "REDIS_URL": "redis://aetheria:redis-password@127.0.0.1:6379/0",
            ])
        let description = configuration.description
        #expect(!description.contains("def-secret"))
        #expect(!description.contains("client-secret-value"))
        #expect(!description.contains("redis-password"))
        #expect(description.contains("set (redacted)"))
    }

    @Test("a file that is not JSON is reported by its path")
    func notJSON() {
        #expect {
            try Self.load("not json at all")
        } throws: { error in
            (error as? ConfigurationError)?.problem == "is not valid JSON"
        }
    }
}
