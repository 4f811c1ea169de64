public import Foundation

/// One round of stale-ticket reminders in a guild, as a pure state machine (see `CloseWorkflow`). Every due
/// reminder is recorded and stored before any is posted, so a crash can never post one twice for the same
/// idle period (after a restart the unconfirmed ones are looked for in their channel first); each is then
/// posted and confirmed, or forgotten so that the next round tries again.
public struct ReminderRound: Sendable {
    public enum Effect: Sendable, Hashable {
        /// Store the recorded reminders before anything is posted.
        case storeReminders
        /// Post the reminder of this ticket (as recorded: its reminder time makes a repeated post the same one).
        case post(Ticket)
    }

    public enum Outcome: Sendable, Hashable {
        case succeeded
        case failed
    }

    /// The tickets of this round, in ticket-number order.
    public let numbers: [Int]
    /// Reminders posted so far.
    public private(set) var posted = 0
    private var nextIndex = 0
    private var stored = false

    /// Records the reminders due now (leaving out `busy` tickets, which another round is handling) and returns
    /// the round with its first effect, or `nil` when none is due.
    public static func begin(
        _ tickets: inout GuildTickets, now: Date, excluding busy: Set<Int> = []
    ) -> (ReminderRound, Effect)? {
        let due = tickets.dueReminders(now: now).map(\.number).filter { !busy.contains($0) }
        guard !due.isEmpty else { return nil }
        for number in due { tickets.markReminded(number: number, at: now) }
        return (ReminderRound(numbers: due), .storeReminders)
    }

    /// Reminders a crash may have left recorded but not confirmed, found not to be in their channel: post
    /// them now (`.post` is the first effect), instead of losing them.
    public static func resume(_ numbers: [Int], tickets: GuildTickets) -> (ReminderRound, Effect)? {
        var round = ReminderRound(numbers: numbers)
        round.stored = true
        guard let first = round.nextPost(tickets) else { return nil }
        return (round, first)
    }

    private init(numbers: [Int]) {
        self.numbers = numbers
    }

    public mutating func next(after outcome: Outcome, tickets: inout GuildTickets) -> Effect? {
        if !stored {
            guard outcome == .succeeded else {
                // Not stored, so not promised: forget them all; the next round records them again.
                for number in numbers { tickets.clearReminder(number: number) }
                return nil
            }
            stored = true
            return nextPost(tickets)
        }
        let number = numbers[nextIndex - 1]
        if outcome == .succeeded {
            tickets.confirmReminder(number: number)
            posted += 1
        } else {
            tickets.clearReminder(number: number)
        }
        return nextPost(tickets)
    }

    /// The next ticket still waiting for its reminder (a message since, or a close, cleared it: skipped).
    private mutating func nextPost(_ tickets: GuildTickets) -> Effect? {
        while nextIndex < numbers.count {
            let ticket = tickets.ticket(number: numbers[nextIndex])
            nextIndex += 1
            if let ticket, ticket.channelID != nil, ticket.reminderSentAt != nil { return .post(ticket) }
        }
        return nil
    }
}
