public import DiscordModels
public import Foundation

/// Closing one ticket after `GuildTickets.requestClose` recorded it, as a pure state machine: the guild actor
/// performs each effect and reports its outcome; the workflow decides the next effect and changes the guild's
/// records in between. It never waits and does no I/O, so every path (a store that fails, a channel deleted
/// meanwhile, a transcript that cannot be saved, a restart half-way) is a unit test.
///
/// Lock → transcript (once) → `closed` with its deletion time and the transcript's delivery queued, stored →
/// notice and audit → deletion scheduled. Every step may run again after a restart: the lock and the deletion
/// are idempotent, the transcript is saved once (`transcriptSaved`), and the notice leaves the ticket's outbox
/// only once posted. When the close cannot go on (the store, or Discord's history, unavailable), the failure is
/// recorded on the ticket with the guild's `RetrySchedule` and the guild's retry timer runs the close again:
/// nothing waits for the next GUILD_CREATE. The delivery is the guild's own outbox (`TranscriptDelivery`).
public struct CloseWorkflow: Sendable {
    public enum Effect: Sendable, Hashable {
        /// Store the `closing` record before anything is done in Discord.
        case storeClosing
        /// Take the opener's right to write (they keep reading).
        case lockChannel(ChannelID, openerID: UserID)
        /// Fetch the history, render and store the transcript.
        case saveTranscript(Ticket)
        /// Store the `closed` record and its deletion time before anyone is told.
        case storeClosed
        /// The closing notice (as the reply to the click when there is one), the audit entry and the metrics.
        case announceClosed(Ticket, messageCount: Int)
        /// Arm the deletion timer for `deleteAt` (the time itself is stored).
        case scheduleDeletion(Ticket)
        /// Tell the member who clicked why the close has not finished yet (it finishes by itself later).
        case tellCloser(String)
    }

    public enum Outcome: Sendable, Hashable {
        case succeeded
        case failed
        /// Discord says the ticket's channel does not exist any more.
        case channelGone
        case transcriptSaved(messageCount: Int, transcriptNumber: Int)
        /// The step could not be done now, for this reason (the store, or Discord, unavailable): retried later.
        case unavailable(String)
    }

    private enum Stage: Sendable {
        case storingClosing, locking, savingTranscript, storingClosed, announcing, scheduling, telling
        case finished
    }

    public let number: Int
    public let schedule: RetrySchedule
    private var stage = Stage.storingClosing
    private var messageCount = 0

    public static let storageUnavailable =
        "Closing failed because storage is unavailable; it will finish automatically."
    public static let transcriptUnavailable =
        "The transcript could not be saved yet; closing will finish automatically."

    public init(number: Int, schedule: RetrySchedule = RetrySchedule()) {
        self.number = number
        self.schedule = schedule
    }

    /// The first effect.
    public mutating func start() -> Effect {
        stage = .storingClosing
        return .storeClosing
    }

    public var isFinished: Bool { stage == .finished }

    /// The next effect after `outcome` of the previous one, or `nil` when the workflow is over.
    public mutating func next(after outcome: Outcome, tickets: inout GuildTickets, now: Date) -> Effect? {
        switch stage {
        case .storingClosing:
            guard outcome == .succeeded else {
                return retryLater(Self.storageUnavailable, outcome, &tickets, now: now)
            }
            // Another path may have finished or archived it while the record was being stored.
            guard let ticket = tickets.ticket(number: number), ticket.state == .closing,
                let channelID = ticket.channelID
            else { return finish() }
            messageCount = ticket.messageCount
            stage = .locking
            return .lockChannel(channelID, openerID: ticket.openerID)
        case .locking:
            // Deleted meanwhile: CHANNEL_DELETE archives the record. A lock that failed otherwise is reported by
            // the actor and the close goes on (the transcript matters more than the lock).
            guard outcome != .channelGone, let ticket = tickets.ticket(number: number) else { return finish() }
            if ticket.transcriptSaved { return markClosed(&tickets, now: now) }
            stage = .savingTranscript
            return .saveTranscript(ticket)
        case .savingTranscript:
            guard case .transcriptSaved(let count, let transcriptNumber) = outcome else {
                return retryLater(Self.transcriptUnavailable, outcome, &tickets, now: now)
            }
            messageCount = count
            tickets.markTranscriptSaved(number: number, transcriptNumber: transcriptNumber)
            return markClosed(&tickets, now: now)
        case .storingClosed:
            // A failure to store is logged by the actor; the close goes on (the record is in memory and written
            // with the next change, and a restart before that finishes the close again).
            guard let closed = tickets.ticket(number: number) else { return finish() }
            stage = .announcing
            return .announceClosed(closed, messageCount: messageCount)
        case .announcing:
            tickets.announced(.closed, number: number)
            guard let closed = tickets.ticket(number: number) else { return finish() }
            stage = .scheduling
            return .scheduleDeletion(closed)
        case .scheduling, .telling, .finished:
            return finish()
        }
    }

    private mutating func markClosed(_ tickets: inout GuildTickets, now: Date) -> Effect? {
        guard tickets.markClosed(number: number, now: now) != nil else { return finish() }
        stage = .storingClosed
        return .storeClosed
    }

    /// The close stops here for now: the ticket records why and when it is tried again, and the closer is told.
    private mutating func retryLater(
        _ text: String, _ outcome: Outcome, _ tickets: inout GuildTickets, now: Date
    ) -> Effect {
        let problem: String
        if case .unavailable(let why) = outcome { problem = why } else { problem = text }
        tickets.workFailed(number: number, problem: problem, schedule: schedule, now: now)
        return tell(text)
    }

    private mutating func tell(_ text: String) -> Effect {
        stage = .telling
        return .tellCloser(text)
    }

    private mutating func finish() -> Effect? {
        stage = .finished
        return nil
    }
}
