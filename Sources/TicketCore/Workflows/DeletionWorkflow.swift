public import DiscordModels
public import Foundation

/// Deleting a closed ticket's channel when its delay is up, as a pure state machine (see `CloseWorkflow`).
/// The deletion time is stored with the ticket; the actor's timer only says "look now", and reconciliation
/// arms it again after a restart.
public struct DeletionWorkflow: Sendable {
    public enum Effect: Sendable, Hashable {
        case deleteChannel(ChannelID)
        /// The channel is gone and the record archived: store that.
        case storeArchived
        case auditDeleted(Ticket)
        /// Discord refused for now: look again after this long.
        case retry(after: Duration)
    }

    public enum Outcome: Sendable, Hashable {
        case succeeded
        case failed
        case channelGone
    }

    public static let retryDelay = Duration.seconds(60)
    /// How long a due deletion waits for the ticket's outbox (the closing notice, the transcript's delivery)
    /// after a restart, and how long at most past its time: the channel and the record must outlive what is
    /// still to be said about them, but never for ever.
    public static let outboxWait = Duration.seconds(5)
    public static let longestOutboxWait: TimeInterval = 600
    /// The longest a deletion timer is armed for; a later time is looked at again then (the time is stored).
    public static let longestWait = Duration.seconds(7 * 86_400)

    private enum Stage: Sendable {
        case deleting
        case storing(archived: Ticket)
        case auditing
        case finished
    }

    public let number: Int
    private var stage = Stage.deleting

    public init(number: Int) {
        self.number = number
    }

    /// How long until ticket's deletion is due, from its stored time: never negative, and never longer than
    /// `longestWait` whatever a snapshot says; `nil` when it is not due for deletion at all.
    public static func wait(for ticket: Ticket, now: Date) -> Duration? {
        guard ticket.state == .closed, let deleteAt = ticket.deleteAt else { return nil }
        let seconds = deleteAt.timeIntervalSince(now)
        guard seconds.isFinite, seconds > 0 else { return .zero }
        let milliseconds = min(seconds * 1_000, Double(longestWait.components.seconds) * 1_000)
        return .milliseconds(Int64(milliseconds.rounded(.up)))
    }

    /// The first effect, or `nil` when the ticket is not (or no longer) a closed ticket with a channel.
    public mutating func start(_ tickets: GuildTickets, now: Date) -> Effect? {
        guard let ticket = tickets.ticket(number: number), ticket.state == .closed, let channelID = ticket.channelID
        else { return nil }
        let overdue = ticket.deleteAt.map { now.timeIntervalSince($0) } ?? 0
        if !(ticket.pendingAnnouncements ?? []).isEmpty, overdue < Self.longestOutboxWait {
            stage = .finished
            return .retry(after: Self.outboxWait)
        }
        return .deleteChannel(channelID)
    }

    public mutating func next(after outcome: Outcome, tickets: inout GuildTickets) -> Effect? {
        switch stage {
        case .deleting:
            guard outcome != .failed else {
                stage = .finished
                return .retry(after: Self.retryDelay)
            }
            // Already archived when CHANNEL_DELETE got here first: nothing left to do.
            guard let archived = tickets.archive(number: number) else {
                stage = .finished
                return nil
            }
            stage = .storing(archived: archived)
            return .storeArchived
        case .storing(let archived):
            // A failed write is retried with the guild's next change; the audit entry is written once anyway.
            stage = .auditing
            return .auditDeleted(archived)
        case .auditing, .finished:
            stage = .finished
            return nil
        }
    }
}
