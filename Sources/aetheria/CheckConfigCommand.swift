import AetheriaServer
import ArgumentParser
import Foundation

/// `aetheria check-config`: loads the configuration the way `aetheria run` will, runs the same start-up check
/// as `run` (`StartupCheck`: the token, the Redis URL, the data folder; no network) and reports the first
/// problem, naming the key; prints the effective values (secrets redacted) when all is well.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate config/aetheria.json plus the environment.")

    @Option(help: "The configuration file.")
    var config = "config/aetheria.json"

    func run() throws {
        do {
            let loaded = try ConfigurationLoader().load(file: config)
            try StartupCheck.validate(loaded)
            print("configuration OK: \(loaded)")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
    }
}
