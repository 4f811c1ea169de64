public import Foundation

/// A guild's own brake on its workflows. When Discord keeps refusing the bot in one guild (a permission was
/// taken away, the moderation log channel was locked), every further click would only add invalid requests,
/// which Discord counts per IP for the whole process (10,000 per 10 minutes earn a ban). So after a few
/// refusals in a short time the guild pauses itself: new tickets are refused with a clear answer, its admins
/// are told once in the moderation log which permission is missing, and the pause lifts when the guild's roles
/// or channels change (someone fixed something), when an admin saves the settings, or after `pauseLength`.
///
/// Pure state with the time passed in, like the ticket rules.
public struct GuildPause: Sendable, Hashable {
    /// Refusals within `window` that pause the guild.
    public static let refusalLimit = 5
    public static let window: TimeInterval = 600
    public static let pauseLength: TimeInterval = 600

    public private(set) var recentRefusals: [Date] = []
    public private(set) var pausedUntil: Date?
    /// Why, in words for the guild's admins (the permission that was missing).
    public private(set) var reason: String?

    public init() {}

    public func isPaused(now: Date) -> Bool {
        pausedUntil.map { now < $0 } ?? false
    }

    /// Discord refused a request of this guild's for want of a permission or access. Returns `true` when this
    /// refusal paused the guild (so the caller tells its admins once).
    public mutating func recordRefusal(missing permission: String, now: Date) -> Bool {
        if isPaused(now: now) { return false }
        recentRefusals = recentRefusals.filter { now.timeIntervalSince($0) < Self.window } + [now]
        guard recentRefusals.count >= Self.refusalLimit else { return false }
        pausedUntil = now.addingTimeInterval(Self.pauseLength)
        reason = permission
        recentRefusals = []
        return true
    }

    /// Something changed that may have fixed the cause: try again.
    public mutating func lift() {
        pausedUntil = nil
        reason = nil
        recentRefusals = []
    }
}
