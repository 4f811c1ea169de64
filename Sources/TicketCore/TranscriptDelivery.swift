public import DiscordModels
public import Foundation

/// A closed ticket's transcript on its way to the transcripts channel and to the member by DM: a guild-level
/// outbox entry, apart from the ticket itself, so that a delivery Discord keeps refusing with 5xx outlives the
/// ticket's channel (which is deleted a few minutes after the close) and survives restarts. Each destination
/// leaves the entry once Discord took the message, or refused it for good (closed DMs, missing access), which
/// the guild's log says.
public struct TranscriptDelivery: Sendable, Hashable, Codable {
    public enum Destination: String, Sendable, Hashable, Codable, CaseIterable {
        case transcriptsChannel
        case member
    }

    /// The ticket as it closed (who, why, its transcript's number).
    public var ticket: Ticket
    /// What is still to be delivered.
    public var remaining: [Destination]
    /// `nil` until an attempt failed in a way worth retrying.
    public var retry: RetryState?

    public init(ticket: Ticket, remaining: [Destination]) {
        self.ticket = ticket
        self.remaining = remaining
    }

    /// The number the transcript is stored (and rated) under.
    public var transcriptNumber: Int { ticket.transcriptNumber ?? ticket.number }

    /// What makes this delivery unique among every delivery of the guild: the ticket's channel and number and
    /// the close's time. A reopened ticket closes again at another time, so its second transcript is a new
    /// message, not the first one handed back by Discord's nonce check.
    public var identity: String {
        let closedAt = ticket.closedAt.map { OutsideNumber.milliseconds(since1970: $0) } ?? 0
        return "\(ticket.channelID?.rawValue ?? 0):\(transcriptNumber):\(closedAt)"
    }
}

extension GuildTickets {
    /// Bounded like every other list in a snapshot: a guild whose deliveries fail for days keeps the newest.
    public static let maximumPendingDeliveries = 500

    /// Transcripts not yet delivered everywhere, oldest first.
    public var pendingDeliveries: [TranscriptDelivery] { pendingDeliveriesStorage ?? [] }

    /// Queues `ticket`'s transcript for the destinations the guild and the ticket's type ask for (none: nothing).
    mutating func queueDelivery(of ticket: Ticket) {
        let type = type(of: ticket)
        var remaining: [TranscriptDelivery.Destination] = []
        if config.logRouting[.transcripts] != nil { remaining.append(.transcriptsChannel) }
        if type.sendsTranscriptToOpener || type.asksForFeedback { remaining.append(.member) }
        guard !remaining.isEmpty else { return }
        var queue = pendingDeliveries
        let delivery = TranscriptDelivery(ticket: ticket, remaining: remaining)
        guard !queue.contains(where: { $0.identity == delivery.identity }) else { return }
        queue.append(delivery)
        if queue.count > Self.maximumPendingDeliveries {
            queue.removeFirst(queue.count - Self.maximumPendingDeliveries)
        }
        pendingDeliveriesStorage = queue
    }

    /// Queues the delivery of a ticket closed by an Aetheria that kept deliveries in the ticket's own outbox.
    public mutating func queueLegacyDelivery(number: Int) {
        guard let ticket = ticket(number: number), ticket.state == .closed else { return }
        queueDelivery(of: ticket)
        announced(.delivery, number: number)
    }

    /// `destination` of the delivery `identity` is done (delivered, or refused for good).
    public mutating func delivered(_ identity: String, to destination: TranscriptDelivery.Destination) {
        var queue = pendingDeliveries
        guard let index = queue.firstIndex(where: { $0.identity == identity }) else { return }
        queue[index].remaining.removeAll { $0 == destination }
        if queue[index].remaining.isEmpty { queue.remove(at: index) }
        pendingDeliveriesStorage = queue.isEmpty ? nil : queue
    }

    /// An attempt at delivery `identity` failed in a way worth retrying: it is tried again on `schedule`.
    public mutating func deliveryFailed(_ identity: String, problem: String, schedule: RetrySchedule, now: Date) {
        var queue = pendingDeliveries
        guard let index = queue.firstIndex(where: { $0.identity == identity }) else { return }
        queue[index].retry = schedule.failed(queue[index].retry, problem: problem, now: now)
        pendingDeliveriesStorage = queue
    }
}

extension GuildTickets {
    /// Ticket `number`'s workflow failed at a step worth retrying: it is run again on `schedule`.
    public mutating func workFailed(number: Int, problem: String, schedule: RetrySchedule, now: Date) {
        update(number) { $0.retry = schedule.failed($0.retry, problem: problem, now: now) }
    }

    /// Ticket `number`'s workflow got past the step that failed.
    public mutating func workRecovered(number: Int) {
        guard ticket(number: number)?.retry != nil else { return }
        update(number) { $0.retry = nil }
    }

    /// Tickets whose opening or close waits for a retry.
    public var ticketsAwaitingRetry: [Ticket] { tickets.filter { $0.retry != nil } }

    /// The earliest time any of the guild's unfinished work is due: a ticket's retry or a delivery (a delivery
    /// never tried is due now).
    public func nextRetryAt(now: Date) -> Date? {
        let times =
            tickets.compactMap(\.retry?.nextAttemptAt) + pendingDeliveries.map { $0.retry?.nextAttemptAt ?? now }
        return times.min()
    }
}
