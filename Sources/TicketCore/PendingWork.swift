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
