import ArgumentParser
import Dashboard
import DiscordEmulator
import Foundation

/// A listener that could not start, as one line naming the address, the port and the setting that chooses
/// it, for the commands to print before they exit non-zero (instead of a raw `bind(descriptor:ptr:bytes:)`
/// errno, or a process that waited for ever for a listener that never came).
enum StartupFailures {
    /// The one line for `error`, or `nil` when it is not a listener's failure to start.
    static func line(for error: any Error, command: String) -> String? {
        switch error {
        case let failure as LocalDiscord.StartFailure:
            let option =
                switch failure.portInUse?.listener {
                case .gateway?: " (choose another with --gateway-port, or 0 for a free one)"
                case .rest?: " (choose another with --port, or 0 for a free one)"
                case nil: ""
                }
            return "aetheria \(command): \(failure.description)\(option)"
        case let failure as DashboardServer.StartFailure:
            return "aetheria \(command): \(failure.description)"
        default:
            return nil
        }
    }

    /// Prints the line for `error` when there is one and turns it into exit status 1; rethrows anything else.
    static func report(_ error: any Error, command: String) throws -> Never {
        if let line = line(for: error, command: command) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            throw ExitCode.failure
        }
        throw error
    }
}
