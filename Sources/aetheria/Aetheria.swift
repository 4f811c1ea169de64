import AetheriaLoadTest
import ArgumentParser

/// The `aetheria` command: thin on purpose. Each subcommand parses its options and hands over to
/// `AetheriaServer` (the composition root) or the emulator.
@main
struct Aetheria: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Aetheria: a Discord support-ticket bot server, with a local Discord emulator.",
        subcommands: [
            RunCommand.self, DemoCommand.self, EmulatorCommand.self, LoadTestCommand.self, CheckConfigCommand.self,
        ]
    )
}
