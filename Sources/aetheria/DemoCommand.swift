import ArgumentParser
import DiscordEmulator
import Logging

/// `aetheria demo`: the main job. Today it runs the emulator with seeded guilds; the bot and the dashboard
/// join it as their issues land.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: the local Discord with seeded guilds (bot and dashboard to follow).")

    @OptionGroup var options: EmulatorOptions
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = Logging.bootstrapped(level: logLevel, label: "aetheria.demo")
        let emulator = LocalDiscord(configuration: options.configuration, logger: logger)
        try await EmulatorAnnouncer.runPrintingURLs(emulator, logger: logger, heading: "Aetheria demo (emulator)")
    }
}
