import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// The close and deletion workflows driven step by step with scripted outcomes: no actor, no Discord, no
/// store, no clock but the dates passed in. Each test is one path a real close can take.
@Suite("Close and deletion workflows")
struct CloseWorkflowTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let opener = UserID(11)
    static let channel = ChannelID(500)

    /// A guild with ticket #1 open in `channel` and its close recorded.
    static func closing(deleteDelaySeconds: Int = 10) -> GuildTickets {
        var tickets = GuildTickets(config: TicketConfig(deleteDelaySeconds: deleteDelaySeconds))
        _ = tickets.requestOpen(openerID: opener, openerName: "alice", interaction: nil, now: start)
        tickets.confirmChannel(number: 1, channelID: channel, name: "ticket-alice")
        for _ in 0..<3 {
            tickets.recordMessage(inChannel: channel, authorID: opener, authorIsBot: false, at: start)
        }
        _ = tickets.requestClose(inChannel: channel, closerID: opener, closerIsStaff: false, reason: nil, now: start)
        return tickets
    }

    /// Runs the workflow, answering each effect with the scripted outcome (`.succeeded` when not scripted),
    /// and returns the effects in order.
    static func run(
        _ tickets: inout GuildTickets, now: Date = start.addingTimeInterval(5),
        answer: (CloseWorkflow.Effect) -> CloseWorkflow.Outcome = { _ in .succeeded }
    ) -> [CloseWorkflow.Effect] {
        var workflow = CloseWorkflow(number: 1)
        var effects: [CloseWorkflow.Effect] = []
        var effect: CloseWorkflow.Effect? = workflow.start()
        while let current = effect, effects.count < 20 {
            effects.append(current)
            effect = workflow.next(after: answer(current), tickets: &tickets, now: now)
        }
        #expect(workflow.isFinished)
        return effects
    }

    static func transcript(_ effect: CloseWorkflow.Effect) -> CloseWorkflow.Outcome {
        if case .saveTranscript = effect { return .transcriptSaved(messageCount: 7, transcriptNumber: 1) }
        return .succeeded
    }

    @Test("the whole close: stored, locked, transcript, closed with its deletion time, announced, deletion armed")
    func wholeClose() throws {
        var tickets = Self.closing()
        let effects = Self.run(&tickets, answer: Self.transcript)
        let closed = try #require(tickets.ticket(number: 1))
        #expect(closed.state == .closed && closed.transcriptSaved)
        #expect(closed.deleteAt == Self.start.addingTimeInterval(15))
        #expect(closed.pendingAnnouncements == nil, "the closed notice left the outbox once announced")
        #expect(
            effects == [
                .storeClosing, .lockChannel(Self.channel, openerID: Self.opener),
                .saveTranscript(try #require(Self.closing().ticket(number: 1))), .storeClosed,
                .announceClosed(closed.with(pending: [.closed]), messageCount: 7), .scheduleDeletion(closed),
            ])
        #expect(tickets.analytics.closed == 1)
    }

    @Test("storage down before anything happened: the closer is told, nothing is done in Discord, still closing")
    func storageDown() {
        var tickets = Self.closing()
        let effects = Self.run(&tickets) { $0 == .storeClosing ? .failed : .succeeded }
        #expect(effects == [.storeClosing, .tellCloser(CloseWorkflow.storageUnavailable)])
        #expect(tickets.ticket(number: 1)?.state == .closing, "the next reconciliation finishes it")
    }

    @Test("the channel was deleted meanwhile: no transcript is attempted, the record waits for CHANNEL_DELETE")
    func channelGone() {
        var tickets = Self.closing()
        let effects = Self.run(&tickets) { effect in
            if case .lockChannel = effect { return .channelGone }
            return .succeeded
        }
        #expect(effects.count == 2)
        #expect(tickets.ticket(number: 1)?.state == .closing)
    }

    @Test("a lock refused for another reason does not stop the transcript")
    func lockRefused() {
        var tickets = Self.closing()
        let effects = Self.run(&tickets) { effect in
            if case .lockChannel = effect { return .failed }
            return Self.transcript(effect)
        }
        #expect(effects.contains(.storeClosed) && tickets.ticket(number: 1)?.state == .closed)
    }

    @Test("a transcript that cannot be saved leaves the ticket closing, and the closer is told it finishes later")
    func transcriptFails() {
        var tickets = Self.closing()
        let effects = Self.run(&tickets) { effect in
            if case .saveTranscript = effect { return .failed }
            return .succeeded
        }
        #expect(effects.last == .tellCloser(CloseWorkflow.transcriptUnavailable))
        #expect(tickets.ticket(number: 1)?.state == .closing && tickets.ticket(number: 1)?.transcriptSaved == false)
    }

    @Test("after a restart with the transcript already saved, it is not made again")
    func transcriptOnce() {
        var tickets = Self.closing()
        tickets.markTranscriptSaved(number: 1)
        let effects = Self.run(&tickets)
        #expect(!effects.contains { if case .saveTranscript = $0 { true } else { false } })
        #expect(tickets.ticket(number: 1)?.state == .closed)
    }

    @Test("a transcript stored under a fresh number keeps it on the ticket (the dashboard link)")
    func freshTranscriptNumber() {
        var tickets = Self.closing()
        _ = Self.run(&tickets) { effect in
            if case .saveTranscript = effect { return .transcriptSaved(messageCount: 2, transcriptNumber: 9) }
            return .succeeded
        }
        #expect(tickets.ticket(number: 1)?.transcriptNumber == 9)
    }

    @Test("a second run on an already closed ticket does nothing at all")
    func secondRun() {
        var tickets = Self.closing()
        _ = Self.run(&tickets, answer: Self.transcript)
        let again = Self.run(&tickets, answer: Self.transcript)
        #expect(again == [.storeClosing])
    }

    // MARK: - Deletion

    static func runDeletion(
        _ tickets: inout GuildTickets, now: Date = Date(timeIntervalSince1970: 1_750_000_000),
        answer: (DeletionWorkflow.Effect) -> DeletionWorkflow.Outcome
    ) -> [DeletionWorkflow.Effect] {
        var workflow = DeletionWorkflow(number: 1)
        guard var effect = workflow.start(tickets, now: now) else { return [] }
        var effects = [effect]
        while let next = workflow.next(after: answer(effect), tickets: &tickets), effects.count < 10 {
            effects.append(next)
            effect = next
        }
        return effects
    }

    @Test("deletion: the channel goes, the record is archived, stored and audited once")
    func deletion() throws {
        var tickets = Self.closing()
        _ = Self.run(&tickets, answer: Self.transcript)
        let closed = try #require(tickets.ticket(number: 1))
        let effects = Self.runDeletion(&tickets) { _ in .succeeded }
        #expect(effects == [.deleteChannel(Self.channel), .storeArchived, .auditDeleted(closed)])
        #expect(tickets.ticket(number: 1) == nil)
    }

    @Test("deletion refused: try again in a minute, record kept; already deleted by hand: bookkeeping only")
    func deletionRefusedOrGone() throws {
        var tickets = Self.closing()
        _ = Self.run(&tickets, answer: Self.transcript)
        #expect(
            Self.runDeletion(&tickets) { _ in .failed } == [
                .deleteChannel(Self.channel), .retry(after: DeletionWorkflow.retryDelay),
            ])
        #expect(tickets.ticket(number: 1)?.state == .closed)
        let gone = Self.runDeletion(&tickets) { $0 == .deleteChannel(Self.channel) ? .channelGone : .succeeded }
        #expect(gone.count == 3 && tickets.ticket(number: 1) == nil)
        #expect(Self.runDeletion(&tickets) { _ in .succeeded }.isEmpty, "nothing left to delete")
    }

    @Test("a due deletion waits for the ticket's outbox (after a restart), but not more than 10 minutes past due")
    func deletionWaitsForTheOutbox() throws {
        var tickets = Self.closing()
        // Closed and stored, but the closing notice not yet announced (a kill came in between).
        tickets.markTranscriptSaved(number: 1)
        let marked = tickets.markClosed(number: 1, now: Self.start)
        let closed = try #require(marked)
        #expect(closed.pendingAnnouncements == [.closed])
        let deleteAt = try #require(closed.deleteAt)
        #expect(
            Self.runDeletion(&tickets, now: deleteAt) { _ in .succeeded } == [
                .retry(after: DeletionWorkflow.outboxWait)
            ])
        #expect(tickets.ticket(number: 1) != nil, "the record stays for the notice")
        let late = deleteAt.addingTimeInterval(DeletionWorkflow.longestOutboxWait + 1)
        #expect(Self.runDeletion(&tickets, now: late) { _ in .succeeded }.first == .deleteChannel(Self.channel))
    }

    @Test("the deletion wait comes from the stored time, never negative, never beyond a week")
    func deletionWait() throws {
        var tickets = Self.closing(deleteDelaySeconds: 86_400)
        _ = Self.run(&tickets, answer: Self.transcript)
        let closed = try #require(tickets.ticket(number: 1))
        #expect(DeletionWorkflow.wait(for: closed, now: Self.start) == .milliseconds(86_405_000))
        #expect(DeletionWorkflow.wait(for: closed, now: Self.start.addingTimeInterval(1e9)) == .zero)
        var far = closed
        far.deleteAt = Date(timeIntervalSince1970: 1e15)
        #expect(DeletionWorkflow.wait(for: far, now: Self.start) == DeletionWorkflow.longestWait)
        #expect(DeletionWorkflow.wait(for: Self.closing().ticket(number: 1)!, now: Self.start) == nil)
    }
}

extension Ticket {
    fileprivate func with(pending: [Announcement]) -> Ticket {
        var copy = self
        copy.pendingAnnouncements = pending
        return copy
    }
}
