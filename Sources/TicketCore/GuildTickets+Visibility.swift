public import DiscordModels

/// Who is looking at a guild's tickets on the dashboard: their current roles (from Discord, not the browser)
/// and whether they administer the server.
public struct TicketViewer: Sendable, Hashable {
    public var userID: UserID
    public var roles: [RoleID]
    /// Owner, Administrator or Manage Server: sees every ticket, as Administrator does in Discord.
    public var isAdmin: Bool

    public init(userID: UserID, roles: [RoleID], isAdmin: Bool) {
        self.userID = userID
        self.roles = roles
        self.isAdmin = isAdmin
    }
}

/// What a staff member may see on the dashboard follows what Discord's channel permissions let them see while
/// the ticket was open: the staff of its type see it; in a "only the claimer sees it" type, once claimed, only
/// the claimer; admins see everything. A ticket of a type deleted since is the admins' alone (its staff is
/// unknown). docs/dashboard.md has the table, which the router tests enforce row by row.
extension GuildTickets {
    /// Whether `viewer` may see a ticket (open, or its transcript) of `typeID`, claimed by `claimerID`.
    public func mayView(typeID: Int?, claimerID: UserID?, viewer: TicketViewer) -> Bool {
        if viewer.isAdmin { return true }
        if let claimerID, claimerID == viewer.userID { return true }
        guard let type = typeID.map(config.existingType) ?? config.defaultType else { return false }
        guard type.staffRoleIDs.contains(where: viewer.roles.contains) else { return false }
        return !(type.claimMode == .claimerOnly && claimerID != nil)
    }

    /// The types whose tickets `viewer` works on (every type for admins).
    public func visibleTypeIDs(for viewer: TicketViewer) -> Set<Int> {
        Set(config.types.filter { viewer.isAdmin || $0.staffRoleIDs.contains(where: viewer.roles.contains) }.map(\.id))
    }

    /// A copy with only what `viewer` may see: the tickets they may view, the counters of their types only
    /// (summed; the guild's own counters when they see every type), no other staff member's statistics, and
    /// only their types' pending deliveries. Admins get the whole guild.
    public func restricted(to viewer: TicketViewer) -> GuildTickets {
        guard !viewer.isAdmin else { return self }
        var copy = self
        copy.tickets = tickets.filter { mayView(typeID: $0.typeID, claimerID: $0.claimerID, viewer: viewer) }
        let visible = visibleTypeIDs(for: viewer)
        if visible.count < config.types.count {
            var sum = TicketAnalytics()
            for typeID in visible.sorted() { sum.add(analytics(ofType: typeID)) }
            copy.analytics = sum
        }
        copy.typeAnalyticsStorage = typeAnalyticsStorage?.filter { key, _ in
            Int(key).map(visible.contains) ?? false
        }
        copy.staffStatisticsStorage = staffStatisticsStorage?.filter { $0.key == viewer.userID.description }
        copy.pendingDeliveriesStorage = pendingDeliveriesStorage?.filter {
            mayView(typeID: $0.ticket.typeID, claimerID: $0.ticket.claimerID, viewer: viewer)
        }
        copy.lastOpenedAt = [:]
        copy.recentOpeningsStorage = nil
        return copy
    }
}

extension TicketAnalytics {
    /// Adds another set of counters to these (one type's to another's), day by day.
    public mutating func add(_ other: TicketAnalytics) {
        opened += other.opened
        closed += other.closed
        resolutionSecondsTotal += other.resolutionSecondsTotal
        resolutionCount += other.resolutionCount
        firstResponseSecondsTotal += other.firstResponseSecondsTotal
        firstResponseCount += other.firstResponseCount
        if !other.resolutionHistogram.isEmpty {
            if resolutionHistogram.isEmpty {
                resolutionHistogram = Array(repeating: 0, count: other.resolutionHistogram.count)
            }
            for index in other.resolutionHistogram.indices where resolutionHistogram.indices.contains(index) {
                resolutionHistogram[index] += other.resolutionHistogram[index]
            }
        }
        var byDay: [Int: Day] = [:]
        for day in days + other.days {
            var entry = byDay[day.day] ?? Day(day: day.day)
            entry.opened += day.opened
            entry.closed += day.closed
            entry.resolutionSeconds += day.resolutionSeconds
            byDay[day.day] = entry
        }
        days = byDay.values.sorted { $0.day < $1.day }.suffix(Self.retainedDays).map { $0 }
    }
}

extension RatingSummary {
    /// Only what `visibleTypeIDs` and the viewer's own row give away (`restricted` for the dashboard).
    public func restricted(toTypes visibleTypeIDs: Set<Int>, staffID: UserID) -> RatingSummary {
        var copy = RatingSummary()
        copy.byType = byType.filter { visibleTypeIDs.contains($0.key) }
        for tally in copy.byType.values {
            copy.all.total += tally.total
            copy.all.count += tally.count
        }
        copy.byStaff = byStaff.filter { $0.key == staffID }
        return copy
    }
}
