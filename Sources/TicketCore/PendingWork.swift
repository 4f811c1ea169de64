public import Foundation

/// One piece of a guild's unfinished work, as staff see it on the dashboard: which ticket, what is pending,
/// and (once an attempt failed) why and when it is tried next.
public struct PendingWork: Sendable, Hashable {
    public var ticketNumber: Int
    /// The ticket's type, so the dashboard shows it only to those who may see that type's tickets.
    public var typeID: Int?
    public var what: String
    public var retry: RetryState?

    public init(ticketNumber: Int, typeID: Int?, what: String, retry: RetryState?) {
        self.ticketNumber = ticketNumber
        self.typeID = typeID
        self.what = what
        self.retry = retry
    }
}

extension GuildTickets {
    /// The guild's unfinished work: closes and openings waiting for a retry, and transcripts not yet delivered
    /// everywhere (a delivery not tried yet has no retry state). In a viewer's `restricted` copy, only what
    /// that viewer may see.
    public var pendingWork: [PendingWork] {
        let workflows = tickets.compactMap { ticket -> PendingWork? in
            guard let retry = ticket.retry else { return nil }
            return PendingWork(
                ticketNumber: ticket.number, typeID: ticket.typeID,
                what: ticket.state == .opening
                    ? "opening" : ticket.state == .closed ? "deleting the channel" : "closing",
                retry: retry)
        }
        let deliveries = pendingDeliveries.map { delivery in
            PendingWork(
                ticketNumber: delivery.ticket.number, typeID: delivery.ticket.typeID,
                what: "transcript delivery " + delivery.remaining.map(\.inWords).joined(separator: " and "),
                retry: delivery.retry)
        }
        return workflows + deliveries
    }
}

extension TranscriptDelivery.Destination {
    public var inWords: String {
        switch self {
        case .transcriptsChannel: "to the transcripts channel"
        case .member: "to the member by direct message"
        }
    }
}
