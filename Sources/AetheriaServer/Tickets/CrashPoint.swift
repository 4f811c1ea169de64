import Foundation

/// Named points in the workflows where the crash-matrix test (CrashMatrixTests) has the process kill itself
/// with SIGKILL, exactly there, to prove that a restart loses nothing and does nothing twice. Armed only by
/// the `AETHERIA_CRASH_AT` environment variable; in every other process `reached` is one comparison.
enum CrashPoint: String, CaseIterable, Sendable {
    /// Opening: the intent (and the click's ID) is stored; nothing is sent to Discord yet.
    case openingRecorded = "open.recorded"
    /// Opening: Discord made the channel; the ticket is not yet stored as open.
    case channelCreated = "open.channel-created"
    /// Opening: the welcome message is posted; the member's reply and the audit entry are not.
    case welcomePosted = "open.welcome-posted"
    /// Closing: the opener is locked out; no transcript yet.
    case closeLocked = "close.locked"
    /// Closing: the transcript is stored; the ticket is not yet stored as closed.
    case transcriptSaved = "close.transcript-saved"
    /// Closing: stored as closed with its deletion time; nobody told yet.
    case closedRecorded = "close.closed-recorded"
    /// Closing: the transcript is posted to the transcripts channel; the member's DM is not sent, and the
    /// delivery is not yet stored as done.
    case transcriptPosted = "close.transcript-posted"
    /// Deletion: due, the channel not yet deleted.
    case deletionDue = "delete.due"
    /// Stale reminder: recorded as sent, not posted yet.
    case reminderRecorded = "reminder.recorded"
    /// Stale reminder: posted, not yet confirmed in the store.
    case reminderPosted = "reminder.posted"
    /// `/ticket` action: stored, not yet carried out in Discord nor announced.
    case staffActionRecorded = "staff.recorded"
    /// Configuration: stored, not yet audited.
    case configSaved = "config.saved"
    /// `/ticket-setup`: the panel is posted; the command's reply is not yet removed.
    case panelPosted = "setup.panel-posted"

    static let armed: CrashPoint? = ProcessInfo.processInfo.environment["AETHERIA_CRASH_AT"].flatMap(Self.init)

    static func reached(_ point: CrashPoint) {
        guard armed == point else { return }
        kill(getpid(), SIGKILL)
    }
}
