public import ArgumentParser
import DiscordEmulator
public import Logging
import ServiceLifecycle

/// `aetheria emulator`: the local Discord on its own, until SIGINT or SIGTERM.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator", abstract: "Run the local Discord emulator (REST, gateway, OAuth2, control API).")

    @OptionGroup var options: EmulatorOptions
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = Logging.bootstrapped(level: logLevel, label: "aetheria.emulator")
        let emulator = LocalDiscord(configuration: options.configuration, logger: logger)
        do {
            try await EmulatorAnnouncer.runPrintingURLs(emulator, logger: logger, heading: "Discord emulator")
        } catch {
            try StartupFailures.report(error, command: "emulator")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum Logging {
    static func bootstrapped(level: Logger.Level, label: String) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}
