public import Foundation

/// Waits until `condition` holds, polling it, and fails after `timeout` naming what it waited for. The one
/// way the tests wait for something that happens asynchronously (the bot and Discord work that way): never a
/// fixed sleep standing in for an event. Timeouts are generous on purpose, since only a failure waits them out.
public func eventually(
    _ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    // One last look: a condition that became true while the poll slept counts.
    if try await condition() { return }
    throw TimedOut(description: "timed out after \(timeout) waiting until \(what)")
}

/// `eventually` gave up.
public struct TimedOut: Error, CustomStringConvertible {
    public var description: String
}

extension Process {
    /// Waits until the process has exited, without blocking a thread of the cooperative pool the way
    /// `waitUntilExit` does (the tests run many such waits at once on two cores).
    public func exited(timeout: Duration = .seconds(30)) async throws {
        try await eventually("process \(processIdentifier) exits", timeout: timeout) { !isRunning }
    }
}
