import AetheriaServer
import ArgumentParser
import Foundation
import Logging

/// `aetheria run`: the production entry point. Loads the configuration (file + environment), then runs the
/// bot until SIGINT/SIGTERM, shutting down gracefully so the next start resumes its sessions.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run Aetheria against Discord (DISCORD_TOKEN and the configuration file).")

    @Option(help: "The configuration file.")
    var config = "config/aetheria.json"

    func run() async throws {
        let loaded: AetheriaConfiguration
        do {
            loaded = try ConfigurationLoader().load(file: config)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let logger = Logging.bootstrapped(level: Logger.Level(rawValue: loaded.logLevel) ?? .info, label: "aetheria")
        logger.info("configuration: \(loaded)")
        let application: AetheriaApplication
        do {
            application = try await AetheriaApplication.build(
                loaded, environment: .init(logger: logger, registry: AetheriaApplication.bootstrapMetrics()))
        } catch {
            logger.critical("Aetheria cannot start: \(error)")
            throw ExitCode.failure
        }
        let group = application.serviceGroup(gracefulShutdownSignals: [.sigint, .sigterm])
        do {
            try await group.run()
        } catch {
            if let line = StartupFailures.line(for: error, command: "run") {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            } else {
                logger.critical("Aetheria stopped: \(error)")
            }
            throw ExitCode.failure
        }
    }
}
