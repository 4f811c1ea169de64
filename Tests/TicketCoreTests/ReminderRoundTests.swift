import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// Stale reminders driven step by step: recorded and stored before posting, confirmed or forgotten per
/// ticket, never twice for one idle period.
@Suite("Reminder rounds")
struct ReminderRoundTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let later = start.addingTimeInterval(49 * 3_600)

    /// Three open tickets, idle since `start` (the guild reminds after 48 h).
    static func idleGuild() -> GuildTickets {
        var tickets = GuildTickets(config: TicketConfig(maximumOpenTicketsPerUser: 3, staleAfterHours: 48))
        for number in 1...3 {
            _ = tickets.requestOpen(
                openerID: UserID(UInt64(10 + number)), openerName: "m\(number)", interaction: nil, now: start)
            tickets.confirmChannel(number: number, channelID: ChannelID(UInt64(500 + number)), name: "t\(number)")
        }
        return tickets
    }

    static func run(
        _ tickets: inout GuildTickets, answer: (ReminderRound.Effect) -> ReminderRound.Outcome
    ) -> (effects: [ReminderRound.Effect], posted: Int)? {
        guard var (round, effect) = ReminderRound.begin(&tickets, now: later) else { return nil }
        var effects = [effect]
        while let next = round.next(after: answer(effect), tickets: &tickets) {
            effects.append(next)
            effect = next
        }
        return (effects, round.posted)
    }

    @Test("every due reminder is stored before the first is posted, then each is posted and confirmed")
    func wholeRound() throws {
        var tickets = Self.idleGuild()
        let (effects, posted) = try #require(Self.run(&tickets) { _ in .succeeded })
        #expect(effects.first == .storeReminders && effects.count == 4 && posted == 3)
        #expect(tickets.tickets.allSatisfy { $0.reminderSentAt == Self.later && $0.reminderPosted == true })
        #expect(Self.run(&tickets) { _ in .succeeded }?.posted == nil, "one reminder per idle period")
    }

    @Test("storage down: nothing is posted and nothing stays recorded, so the next round tries again")
    func storageDown() throws {
        var tickets = Self.idleGuild()
        let (effects, posted) = try #require(Self.run(&tickets) { $0 == .storeReminders ? .failed : .succeeded })
        #expect(effects == [.storeReminders] && posted == 0)
        #expect(tickets.tickets.allSatisfy { $0.reminderSentAt == nil })
        #expect(Self.run(&tickets) { _ in .succeeded }?.posted == 3)
    }

    @Test("one channel refuses: the others are reminded, that one is forgotten and tried at the next round")
    func oneRefused() throws {
        var tickets = Self.idleGuild()
        let (_, posted) = try #require(
            Self.run(&tickets) { effect in
                if case .post(let ticket) = effect, ticket.number == 2 { return .failed }
                return .succeeded
            })
        #expect(posted == 2)
        #expect(tickets.ticket(number: 2)?.reminderSentAt == nil)
        #expect(Self.run(&tickets) { _ in .succeeded }?.posted == 1)
    }

    @Test("a member writing while the round runs clears that ticket's reminder; it is skipped, not posted")
    func messageDuringRound() throws {
        var tickets = Self.idleGuild()
        guard var (round, effect) = ReminderRound.begin(&tickets, now: Self.later) else {
            Issue.record("nothing due")
            return
        }
        var posts: [Int] = []
        while true {
            if case .post(let ticket) = effect { posts.append(ticket.number) }
            if effect == .storeReminders {
                tickets.recordMessage(inChannel: 503, authorID: 13, authorIsBot: false, at: Self.later)
            }
            guard let next = round.next(after: .succeeded, tickets: &tickets) else { break }
            effect = next
        }
        #expect(posts == [1, 2])
    }

    @Test("tickets another round is handling are left out; resuming posts only what is still recorded")
    func busyAndResume() throws {
        var tickets = Self.idleGuild()
        let begun = ReminderRound.begin(&tickets, now: Self.later, excluding: [1, 2])
        #expect(begun?.0.numbers == [3])
        #expect(ReminderRound.resume([1, 3], tickets: tickets)?.1 == .post(try #require(tickets.ticket(number: 3))))
        #expect(ReminderRound.resume([1], tickets: tickets)?.1 == nil, "ticket 1 has no recorded reminder")
    }
}
