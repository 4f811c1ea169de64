import DiscordEmulator
import Foundation
import Logging
import ServiceLifecycle

/// Runs the emulator under a `ServiceGroup` (graceful shutdown on SIGINT/SIGTERM) and prints where to reach it.
enum EmulatorAnnouncer {
    static func runPrintingURLs(_ emulator: LocalDiscord, logger: Logger, heading: String) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: emulator)], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let endpoints = try await emulator.endpoints()
            print(announcement(heading: heading, endpoints: endpoints, emulator: emulator))
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    static func announcement(heading: String, endpoints: LocalDiscord.Endpoints, emulator: LocalDiscord) -> String {
        var lines = [
            "\(heading) is running. Press Ctrl-C to stop.",
            "  REST API     \(endpoints.restBaseURL.absoluteString)",
            "  Gateway      \(endpoints.gatewayURL.absoluteString)/?v=10&encoding=json",
            "  OAuth2       \(endpoints.origin.absoluteString)/oauth2/authorize",
            "  Control API  \(endpoints.controlURL.absoluteString)/state   (docs/emulator.md)",
            "  Bot token    \(emulator.configuration.botToken)   (development token; works only here)",
            "  Guilds:",
        ]
        for guild in emulator.guildSummaries() {
            lines.append(
                "    \(guild.id)  \(guild.name)  (\(guild.memberCount) members, \(guild.channelCount) channels)")
        }
        return lines.joined(separator: "\n")
    }
}
