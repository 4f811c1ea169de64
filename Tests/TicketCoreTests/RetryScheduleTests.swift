import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// The one backoff of every unfinished workflow, and the guild's delivery outbox, as pure values.
@Suite("Retry schedule and the delivery outbox")
struct RetryScheduleTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("delays double from the base and never exceed the cap, whatever the failure count")
    func backoff() {
        let schedule = RetrySchedule(base: .seconds(5), cap: .seconds(300))
        #expect(schedule.delay(afterFailures: 1) == .seconds(5))
        #expect(schedule.delay(afterFailures: 2) == .seconds(10))
        #expect(schedule.delay(afterFailures: 6) == .seconds(160))
        #expect(schedule.delay(afterFailures: 7) == .seconds(300))
        for hostile in [0, -5, 64, Int.max, Int.min] {
            #expect(schedule.delay(afterFailures: hostile) <= .seconds(300))
        }
        var state: RetryState?
        for _ in 0..<50 { state = schedule.failed(state, problem: String(repeating: "x", count: 999), now: Self.start) }
        #expect(state?.failures == 50 && state?.problem.count == RetryState.maximumProblemLength)
        #expect(state?.since == Self.start && state?.nextAttemptAt == Self.start.addingTimeInterval(300))
    }

    /// A guild with a transcripts channel whose type DMs the member; ticket #1 open in channel 500.
    static func guild() -> GuildTickets {
        var config = TicketConfig()
        config.types[0].sendsTranscriptToOpener = true
        config.logRouting[.transcripts] = ChannelID(900)
        var tickets = GuildTickets(config: config)
        _ = tickets.requestOpen(openerID: UserID(11), openerName: "alice", interaction: nil, now: start)
        tickets.confirmChannel(number: 1, channelID: ChannelID(500), name: "ticket-alice")
        return tickets
    }

    static func close(_ tickets: inout GuildTickets, at now: Date) {
        _ = tickets.requestClose(
            inChannel: ChannelID(500), closerID: UserID(11), closerIsStaff: false, reason: nil, now: now)
        tickets.markTranscriptSaved(number: 1)
        tickets.markClosed(number: 1, now: now)
    }

    @Test("a close queues one delivery per destination; each leaves once done, failures wait on the schedule")
    func deliveryOutbox() throws {
        var tickets = Self.guild()
        Self.close(&tickets, at: Self.start)
        let delivery = try #require(tickets.pendingDeliveries.first)
        #expect(delivery.remaining == [.transcriptsChannel, .member])
        #expect(tickets.nextRetryAt(now: Self.start) == Self.start, "a new delivery is due at once")
        tickets.delivered(delivery.identity, to: .transcriptsChannel)
        tickets.deliveryFailed(delivery.identity, problem: "502", schedule: RetrySchedule(), now: Self.start)
        #expect(tickets.pendingDeliveries.first?.remaining == [.member])
        #expect(tickets.nextRetryAt(now: Self.start) == Self.start.addingTimeInterval(5))
        // The outbox survives a snapshot round trip, and outlives the ticket's channel.
        var stored = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: GuildID(1))
        stored.archive(number: 1)
        #expect(stored.pendingDeliveries.count == 1)
        stored.delivered(delivery.identity, to: .member)
        #expect(stored.pendingDeliveries.isEmpty && stored.nextRetryAt(now: Self.start) == nil)
    }

    @Test("two closes of one ticket (a reopen between them) are two deliveries with their own identities")
    func secondCloseIsNewDelivery() throws {
        var tickets = Self.guild()
        Self.close(&tickets, at: Self.start)
        var ticket = try #require(tickets.pendingDeliveries.first).ticket
        let first = TranscriptDelivery(ticket: ticket, remaining: [.member])
        ticket.closedAt = Self.start.addingTimeInterval(120)
        let second = TranscriptDelivery(ticket: ticket, remaining: [.member])
        #expect(first.identity != second.identity && first.transcriptNumber == second.transcriptNumber)
    }

    @Test("a snapshot with a hostile retry or delivery is refused as corrupt")
    func hostileStoredRetries() throws {
        var tickets = Self.guild()
        Self.close(&tickets, at: Self.start)
        var json = String(decoding: GuildTicketsCodec.encode(tickets), as: UTF8.self)
        json = json.replacingOccurrences(
            of: "\"remaining\":[",
            with: "\"retry\":{\"failures\":-1,\"nextAttemptAt\":0,\"problem\":\"x\",\"since\":0},\"remaining\":[")
        #expect(throws: SnapshotFormatError.self) {
            try GuildTicketsCodec.decode(Array(json.utf8), guildID: GuildID(1))
        }
    }
}
