public import Foundation

/// The one backoff every unfinished workflow of a guild follows (a close whose history fetch failed, a
/// transcript delivery Discord answered with a 5xx, an opening whose channel could not be made): after the
/// `n`th failure in a row the next attempt is `base · 2^(n-1)` later, never more than `cap`. The times are
/// stored with the work (`RetryState`), so a restart keeps the schedule, and one timer per guild runs whatever
/// is due (`GuildActor+Retries.swift`). Nothing here sleeps: the schedule only says when.
public struct RetrySchedule: Sendable, Hashable {
    /// The first retry's delay.
    public var base: Duration
    /// No attempt waits longer than this after the previous one: once Discord recovers, every pending workflow
    /// finishes within `cap` (plus the attempt itself).
    public var cap: Duration

    public init(base: Duration = .seconds(5), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The delay before the attempt after `failures` failures in a row (`failures` ≥ 1; clamped, never traps).
    public func delay(afterFailures failures: Int) -> Duration {
        let doublings = min(max(failures, 1) - 1, 30)
        let seconds = min(Self.seconds(cap), Self.seconds(base) * Double(1 << doublings))
        return .milliseconds(Int64((seconds * 1_000).rounded()))
    }

    /// How long from `now` until `date`, for a timer: never negative, never more than a day (a later time is
    /// looked at again then; the time itself is stored).
    public static func wait(until date: Date, from now: Date) -> Duration {
        let seconds = min(max(0, date.timeIntervalSince(now)), 86_400)
        return .milliseconds(Int64(seconds * 1_000))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `state` after one more failure at `now`, for `problem` (what went wrong, in words for the dashboard).
    public func failed(_ state: RetryState?, problem: String, now: Date) -> RetryState {
        let failures = min((state?.failures ?? 0) + 1, RetryState.maximumFailures)
        let delay = delay(afterFailures: failures)
        return RetryState(
            failures: failures, nextAttemptAt: now.addingTimeInterval(Self.seconds(delay)),
            problem: String(problem.prefix(RetryState.maximumProblemLength)), since: state?.since ?? now)
    }
}

/// Where one unfinished piece of work stands: how often it failed in a row, when it is tried next, and why
/// (shown to staff on the dashboard as pending, with the reason).
public struct RetryState: Sendable, Hashable, Codable {
    /// Bounded so that a snapshot can never carry a count into arithmetic that traps.
    public static let maximumFailures = 1_000_000
    public static let maximumProblemLength = 300

    public var failures: Int
    public var nextAttemptAt: Date
    public var problem: String
    /// When the first failure of this run happened.
    public var since: Date

    public init(failures: Int, nextAttemptAt: Date, problem: String, since: Date) {
        self.failures = failures
        self.nextAttemptAt = nextAttemptAt
        self.problem = problem
        self.since = since
    }

    public func isDue(at now: Date) -> Bool { nextAttemptAt <= now }
}
