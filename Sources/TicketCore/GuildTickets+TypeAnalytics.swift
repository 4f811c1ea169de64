extension GuildTickets {
    /// The counters of one ticket type (opened, closed, resolution, first response), kept beside the guild's.
    public func analytics(ofType typeID: Int) -> TicketAnalytics {
        typeAnalyticsStorage?[String(typeID)] ?? TicketAnalytics()
    }

    /// Tickets of `typeID` not yet closed.
    /// Like `openTicketCount`, for one type.
    public func openTicketCount(ofType typeID: Int) -> Int {
        tickets.count { ($0.state == .open || $0.state == .closing) && type(of: $0).id == typeID }
    }

    /// Applies `change` to the guild's counters and to those of the ticket's type.
    mutating func recordAnalytics(of ticket: Ticket, _ change: (inout TicketAnalytics) -> Void) {
        change(&analytics)
        let key = String(type(of: ticket).id)
        var perType = typeAnalyticsStorage ?? [:]
        change(&perType[key, default: TicketAnalytics()])
        typeAnalyticsStorage = perType
    }

    /// Forgets the counters of types that no longer exist (called when settings change), so a guild that
    /// creates and deletes types does not keep their history without bound.
    mutating func dropAnalyticsOfDeletedTypes() {
        guard let perType = typeAnalyticsStorage else { return }
        let kept = Set(config.types.map { String($0.id) })
        typeAnalyticsStorage = perType.filter { kept.contains($0.key) }
    }
}
