public import DiscordModels
public import Foundation

/// Everything Aetheria remembers about one guild's tickets: its configuration, the tickets not yet archived,
/// the next ticket number and the analytics counters. The ticket rules live here as pure functions over this
/// value with the time passed in; the guild actor calls them in one synchronous turn, persists the result
/// and then performs the I/O they ask for.
public struct GuildTickets: Sendable, Hashable, Codable {
    public var config: TicketConfig
    /// Tickets from `opening` to `closed`, in ticket-number order.
    public internal(set) var tickets: [Ticket]
    public private(set) var nextTicketNumber: Int
    public internal(set) var analytics: TicketAnalytics
    /// When each member last opened a ticket, for the cooldown (only entries still inside it are kept).
    public internal(set) var lastOpenedAt: [UserID: Date]
    /// Interactions handled in the last 15 minutes (`firstDelivery(of:now:)`); optional so that snapshots
    /// written before it existed still load.
    var handledInteractionsStorage: [InteractionID: Date]?
    /// See `GuildTickets+SettingsChanges.swift`; optional for the same reason.
    var settingsRevisionStorage: Int?
    var pendingSettingsChangeStorage: SettingsChange?
    /// See `GuildTickets+Panels.swift`; optional for the same reason.
    var panelPlacementsStorage: [PanelPlacement]?
    /// The settings revision the posted panels were last brought up to (see `GuildTickets+Panels.swift`).
    var panelsRevisionStorage: Int?
    /// Analytics per ticket type, keyed by the type's ID as text (see `GuildTickets+TypeAnalytics.swift`).
    var typeAnalyticsStorage: [String: TicketAnalytics]?
    /// When the guild's recent tickets were opened, for its openings limit (`TicketAccess`): only those inside
    /// the window, at most the limit.
    var recentOpeningsStorage: [Date]?
    /// Per staff member, keyed by user ID as text (see `StaffStatistics.swift`).
    var staffStatisticsStorage: [String: StaffStatistics]?
    /// Transcripts on their way to the transcripts channel and the member (see `TranscriptDelivery.swift`).
    var pendingDeliveriesStorage: [TranscriptDelivery]?

    public init(config: TicketConfig = TicketConfig()) {
        self.config = config
        self.tickets = []
        self.nextTicketNumber = 1
        self.analytics = TicketAnalytics()
        self.lastOpenedAt = [:]
    }

    // MARK: - Queries

    public func ticket(number: Int) -> Ticket? { tickets.first { $0.number == number } }
    public func ticket(inChannel channelID: ChannelID) -> Ticket? { tickets.first { $0.channelID == channelID } }
    public var activeTicketCount: Int { tickets.count { $0.state == .open || $0.state == .opening } }
    /// Tickets whose channel exists and that are not closed yet (open, or closing): what the dashboard shows as
    /// "open now", so that opened = closed + open now always holds (a ticket counts as opened once its
    /// channel exists, as closed once it is closed or its channel vanished).
    public var openTicketCount: Int { tickets.count { $0.state == .open || $0.state == .closing } }

    /// The type `ticket` was opened as (the default type when that type was deleted since).
    public func type(of ticket: Ticket) -> TicketType { config.type(ticket.typeID) }

    /// Whether a member counts as support staff for `type` (any type when `nil`): one of its staff roles, or
    /// the right to manage channels (admins).
    public func isStaff(roles: [RoleID], permissions: Permissions?, for type: TicketType?) -> Bool {
        let staffRoles = type.map(\.staffRoleIDs) ?? config.types.flatMap(\.staffRoleIDs)
        if staffRoles.contains(where: roles.contains) { return true }
        guard let permissions else { return false }
        return permissions.contains(.administrator) || permissions.contains(.manageChannels)
    }

    // MARK: - Opening

    public enum OpenDecision: Sendable, Hashable {
        /// Recorded as `opening`: create its channel.
        case create(Ticket)
        /// The member already has as many open tickets as allowed; this is the newest.
        case alreadyOpen(Ticket)
        /// The same interaction was already handled (Discord redelivered it, or a resumed session replayed it).
        case duplicateInteraction(Ticket)
        case coolingDown(until: Date)
        /// The member, or one of their roles, is on the guild's blocklist.
        case blocked(TicketAccess.BlockEntry)
        /// The whole guild opened its limit of tickets in the last ten minutes (a raid, or a rush).
        case guildBusy(until: Date)
    }

    /// What `requestOpen` would answer for reasons that do not depend on the interaction (the limit, the
    /// cooldown), without recording anything: checked before the questions modal is shown.
    public func openRefusal(type: TicketType, openerID: UserID, openerRoles: [RoleID], now: Date) -> OpenDecision? {
        if let entry = config.access.block(for: openerID, roles: openerRoles) { return .blocked(entry) }
        let mine = tickets.filter { $0.openerID == openerID && $0.isActive && self.type(of: $0).id == type.id }
        if mine.count >= type.maximumOpenTicketsPerUser, let newest = mine.last { return .alreadyOpen(newest) }
        if let last = lastOpenedAt[openerID], now.timeIntervalSince(last) < Double(type.openCooldownSeconds) {
            return .coolingDown(until: last.addingTimeInterval(Double(type.openCooldownSeconds)))
        }
        let limit = config.access.openingsPerWindow
        let recent = (recentOpeningsStorage ?? []).filter { now.timeIntervalSince($0) < TicketAccess.openingWindow }
        if limit > 0, recent.count >= limit, let oldest = recent.min() {
            return .guildBusy(until: oldest.addingTimeInterval(TicketAccess.openingWindow))
        }
        return nil
    }

    /// A member asks for a ticket of `type`. Checks the replay, the per-member limit of the type and its
    /// cooldown (counted from the member's last ticket of any type) and records the intent, all in one step,
    /// so two clicks can never both pass the limit.
    public mutating func requestOpen(
        type: TicketType, openerID: UserID, openerRoles: [RoleID] = [], openerName: String,
        interaction: Ticket.OpeningInteraction?, answers: [TicketAnswer]? = nil, now: Date
    ) -> OpenDecision {
        if let interaction, let earlier = tickets.first(where: { $0.openingInteraction?.id == interaction.id }) {
            return .duplicateInteraction(earlier)
        }
        let longestCooldown = Double(config.types.map(\.openCooldownSeconds).max() ?? 0)
        lastOpenedAt = lastOpenedAt.filter { now.timeIntervalSince($0.value) < longestCooldown }
        if let refusal = openRefusal(type: type, openerID: openerID, openerRoles: openerRoles, now: now) {
            return refusal
        }
        let number = nextTicketNumber
        nextTicketNumber += 1
        let name = TicketChannelName.render(
            template: type.nameTemplate, username: openerName, number: number, typeName: type.name)
        let ticket = Ticket(
            number: number, typeID: type.id, openerID: openerID, openerName: openerName, channelName: name,
            openingInteraction: interaction, openedAt: now, answers: answers)
        tickets.append(ticket)
        if longestCooldown > 0 { lastOpenedAt[openerID] = now }
        let limit = config.access.openingsPerWindow
        recentOpeningsStorage =
            limit == 0
            ? nil
            : Array(
                ((recentOpeningsStorage ?? []).filter { now.timeIntervalSince($0) < TicketAccess.openingWindow } + [now])
                    .suffix(limit))
        return .create(ticket)
    }

    /// The channel exists: the ticket is open.
    @discardableResult
    public mutating func confirmChannel(number: Int, channelID: ChannelID, name: String) -> Ticket? {
        guard ticket(number: number)?.state == .opening else { return nil }
        let opened = update(number) { ticket in
            ticket.state = .open
            ticket.channelID = channelID
            ticket.channelName = name
            ticket.pendingAnnouncements = (ticket.pendingAnnouncements ?? []) + [.created]
        }
        if let opened { recordAnalytics(of: opened) { $0.recordOpened(at: opened.openedAt) } }
        return opened
    }

    /// Creating the channel failed for good (missing permission, full category, a click Discord refused):
    /// forget the intent, so the member can try again once an admin fixed it. Its number is not handed out
    /// again: work still finishing under it (a reply, the in-progress bookkeeping) must never meet a new
    /// ticket with the same number, so numbering may have gaps.
    @discardableResult
    public mutating func abandonOpening(number: Int) -> Ticket? {
        guard let index = tickets.firstIndex(where: { $0.number == number && $0.state == .opening }) else {
            return nil
        }
        lastOpenedAt[tickets[index].openerID] = nil
        return tickets.remove(at: index)
    }

    /// The deferred reply was finished; the token is no longer needed.
    public mutating func forgetOpeningInteraction(number: Int) {
        update(number) { $0.openingInteraction = nil }
    }

    // MARK: - Activity and reminders

    /// A message was posted in a channel. Returns the ticket when the channel is one; people's messages move
    /// its last activity, clear the stale reminder and may be the first staff response.
    @discardableResult
    public mutating func recordMessage(
        inChannel channelID: ChannelID, authorID: UserID, authorIsBot: Bool, at date: Date
    ) -> Ticket? {
        guard let index = tickets.firstIndex(where: { $0.channelID == channelID }) else { return nil }
        guard !authorIsBot else { return tickets[index] }
        tickets[index].messageCount += 1
        tickets[index].lastActivityAt = max(tickets[index].lastActivityAt, date)
        tickets[index].reminderSentAt = nil
        tickets[index].reminderPosted = nil
        // The member wrote after a close request: that is an answer, so it no longer closes by itself.
        if authorID == tickets[index].openerID { tickets[index].closeRequest?.autoCloseAt = nil }
        // Only the opener, staff and admins can see a ticket, so anyone else writing in it is staff.
        if authorID != tickets[index].openerID, tickets[index].firstStaffResponseAt == nil {
            tickets[index].firstStaffResponseAt = date
            tickets[index].firstResponderID = authorID
            let seconds = date.timeIntervalSince(tickets[index].openedAt)
            recordAnalytics(of: tickets[index]) { $0.recordFirstStaffResponse(after: seconds) }
            recordStaffStatistics(of: authorID, at: date) {
                $0.firstResponses += 1
                $0.firstResponseSecondsTotal += max(0, seconds)
            }
        }
        return tickets[index]
    }

    /// Open tickets idle for longer than the guild's limit that have not been reminded in this idle period.
    public func dueReminders(now: Date) -> [Ticket] {
        tickets.filter {
            $0.state == .open && $0.reminderSentAt == nil
                && now.timeIntervalSince($0.lastActivityAt) > Double(type(of: $0).staleAfterHours) * 3_600
        }
    }

    /// Records the reminder before it is posted, so a crash can never post it twice.
    public mutating func markReminded(number: Int, at date: Date) {
        update(number) { $0.reminderSentAt = date }
    }

    /// Posting the reminder failed: try again at the next run.
    public mutating func clearReminder(number: Int) {
        update(number) {
            $0.reminderSentAt = nil
            $0.reminderPosted = nil
        }
    }

    /// The reminder is in the channel.
    public mutating func confirmReminder(number: Int) {
        update(number) { if $0.reminderSentAt != nil { $0.reminderPosted = true } }
    }

    /// The guild was told (`announcement` posted): it leaves the ticket's outbox.
    public mutating func announced(_ announcement: Ticket.Announcement, number: Int) {
        update(number) { ticket in
            ticket.pendingAnnouncements?.removeAll { $0 == announcement }
            if ticket.pendingAnnouncements?.isEmpty == true { ticket.pendingAnnouncements = nil }
        }
    }

    /// Tickets whose outbox is not empty.
    public var ticketsWithPendingAnnouncements: [Ticket] { tickets.filter { !($0.pendingAnnouncements ?? []).isEmpty } }

    /// Reminders recorded but not confirmed: a crash may have come between recording and posting.
    public var unconfirmedReminders: [Ticket] {
        tickets.filter { $0.state == .open && $0.reminderSentAt != nil && $0.reminderPosted != true }
    }

    // MARK: - Closing

    public enum CloseDecision: Sendable, Hashable {
        /// Recorded as `closing`: lock the channel, make the transcript.
        case close(Ticket)
        case notATicket
        case notAllowed(String)
        /// Already closing or closed; nothing more to do.
        case alreadyClosing(Ticket)
    }

    public mutating func requestClose(
        inChannel channelID: ChannelID, closerID: UserID, closerIsStaff: Bool, reason: String?, now: Date
    ) -> CloseDecision {
        guard let ticket = ticket(inChannel: channelID) else { return .notATicket }
        if let refusal = closeRefusal(of: ticket, closerID: closerID, closerIsStaff: closerIsStaff) { return refusal }
        return beginClosing(ticket.number, closerID: closerID, reason: reason, now: now).map(CloseDecision.close)
            ?? .notATicket
    }

    /// Why `closerID` may not close `ticket` now (its state, or the type's close policy); `nil` when they may.
    public func closeRefusal(of ticket: Ticket, closerID: UserID, closerIsStaff: Bool) -> CloseDecision? {
        guard ticket.state == .open || ticket.state == .opening else { return .alreadyClosing(ticket) }
        switch type(of: ticket).closePolicy {
        case .openerAndStaff where closerID == ticket.openerID || closerIsStaff: return nil
        case .staffOnly where closerIsStaff: return nil
        case .staffOnly:
            return .notAllowed("Only the support staff can close tickets in this server.")
        case .openerAndStaff:
            return .notAllowed("Only the member who opened this ticket and the support staff can close it.")
        }
    }

    /// Records `closing` (`closerID` is `nil` when the ticket closed by itself); a waiting close request is
    /// answered by it.
    mutating func beginClosing(_ number: Int, closerID: UserID?, reason: String?, now: Date) -> Ticket? {
        update(number) {
            $0.state = .closing
            $0.closerID = closerID
            $0.closeReason = reason
            $0.closeRequestedAt = now
            $0.closeRequest = nil
        }
    }

    public mutating func markTranscriptSaved(number: Int, transcriptNumber: Int? = nil) {
        update(number) { ticket in
            ticket.transcriptSaved = true
            if let transcriptNumber, transcriptNumber != number { ticket.transcriptNumber = transcriptNumber }
        }
    }

    /// Gives ticket `number`'s transcript a number no ticket of this guild has used, because its own is taken
    /// in the store by another channel's transcript. Returns the new number.
    public mutating func reserveTranscriptNumber(forTicket number: Int) -> Int {
        let fresh = nextTicketNumber
        nextTicketNumber += 1
        update(number) { $0.transcriptNumber = fresh }
        return fresh
    }

    /// The transcript is saved: the ticket is closed and its channel is due for deletion after the delay.
    @discardableResult
    public mutating func markClosed(number: Int, now: Date) -> Ticket? {
        guard let ticket = ticket(number: number), ticket.state == .closing else { return nil }
        let type = self.type(of: ticket)
        let deleteDelay = Double(type.deleteDelaySeconds)
        let closed = update(number) { ticket in
            ticket.state = .closed
            ticket.closedAt = now
            ticket.deleteAt = now.addingTimeInterval(deleteDelay)
            ticket.retry = nil
            ticket.pendingAnnouncements =
                (ticket.pendingAnnouncements ?? []).filter { $0 != .created && $0 != .delivery } + [.closed]
        }
        if let closed {
            // In the same write as `closed`: the delivery is owed from now on, whatever happens to the channel.
            queueDelivery(of: closed)
            recordAnalytics(of: closed) { $0.recordClosed(openedAt: closed.openedAt, closedAt: now) }
            if let closer = closed.closedByStaff { recordStaffStatistics(of: closer, at: now) { $0.closed += 1 } }
        }
        return closed
    }

    /// The channel is gone: the ticket leaves the active list.
    @discardableResult
    public mutating func archive(number: Int) -> Ticket? {
        guard let index = tickets.firstIndex(where: { $0.number == number }) else { return nil }
        return tickets.remove(at: index)
    }

    /// A ticket's channel disappeared (deleted by hand, or by us). A ticket that was not closed yet is closed
    /// now, without a transcript, so counts stay right. Returns the ticket as it was.
    public mutating func channelVanished(_ channelID: ChannelID, now: Date) -> Ticket? {
        guard let ticket = ticket(inChannel: channelID) else { return nil }
        if ticket.state == .open || ticket.state == .closing {
            recordAnalytics(of: ticket) { $0.recordClosed(openedAt: ticket.openedAt, closedAt: now) }
        }
        archive(number: ticket.number)
        return ticket
    }

    // MARK: - Reconciliation

    /// A second channel carrying the marker of a ticket that already has its channel.
    public struct DuplicateChannel: Sendable, Hashable {
        public var channelID: ChannelID
        public var ticket: Ticket
    }

    /// What differs between the records and the channels Discord reports, and what to do about it.
    public struct Reconciliation: Sendable, Hashable {
        /// Marked channels that had no record: now recorded as open tickets (or as closing, when the member
        /// already has their maximum of open tickets; those are also in `unfinishedCloses`).
        public var adopted: [Ticket] = []
        /// Records whose channel is gone: archived.
        public var vanished: [Ticket] = []
        /// Interrupted openings with no channel yet: create it.
        public var unfinishedOpenings: [Ticket] = []
        /// Interrupted closes: finish them.
        public var unfinishedCloses: [Ticket] = []
        /// Closed tickets whose channel still exists: delete it at `deleteAt`.
        public var pendingDeletions: [Ticket] = []
        /// Marked channels of a ticket that already has another channel (a creation that was retried after a
        /// crash while the first request was still being served): delete them.
        public var duplicateChannels: [DuplicateChannel] = []

        public var isEmpty: Bool {
            adopted.isEmpty && vanished.isEmpty && unfinishedOpenings.isEmpty && unfinishedCloses.isEmpty
                && pendingDeletions.isEmpty && duplicateChannels.isEmpty
        }
    }

    /// Brings the records in line with the guild's channels (on every GUILD_CREATE and after a restart).
    public mutating func reconcile(
        channels: [(id: ChannelID, name: String, marker: TicketMarker?)], now: Date
    ) -> Reconciliation {
        var result = Reconciliation()
        let present = Set(channels.map(\.id))
        for channel in channels {
            guard let marker = channel.marker, ticket(inChannel: channel.id) == nil else { continue }
            if let opening = ticket(number: marker.ticketNumber), opening.state == .opening,
                opening.openerID == marker.openerID
            {
                // Crashed after Discord made the channel but before it was recorded.
                if let adopted = confirmChannel(number: opening.number, channelID: channel.id, name: channel.name) {
                    result.adopted.append(adopted)
                }
            } else if let owner = ticket(number: marker.ticketNumber), owner.channelID != nil,
                owner.channelID != channel.id, owner.openerID == marker.openerID
            {
                result.duplicateChannels.append(DuplicateChannel(channelID: channel.id, ticket: owner))
            } else if ticket(number: marker.ticketNumber) == nil {
                var adopted = Ticket(
                    number: marker.ticketNumber, typeID: marker.typeID.flatMap(config.existingType)?.id,
                    openerID: marker.openerID, openerName: channel.name, channelName: channel.name,
                    openingInteraction: nil, openedAt: now)
                adopted.state = .open
                adopted.channelID = channel.id
                let active = tickets.count { $0.openerID == marker.openerID && $0.isActive }
                if active >= self.type(of: adopted).maximumOpenTicketsPerUser {
                    // A leftover duplicate (say, created twice around a crash): adopting it as open would
                    // give the member more tickets than allowed, so it is closed properly instead.
                    adopted.state = .closing
                    adopted.closeReason = "Duplicate ticket channel found during reconciliation"
                    adopted.closeRequestedAt = now
                }
                insertSorted(adopted)
                recordAnalytics(of: adopted) { $0.recordOpened(at: now) }
                nextTicketNumber = max(nextTicketNumber, marker.ticketNumber + 1)
                result.adopted.append(adopted)
            }
        }
        for ticket in tickets {
            guard let channelID = ticket.channelID else {
                if ticket.state == .opening { result.unfinishedOpenings.append(ticket) }
                continue
            }
            if !present.contains(channelID) {
                if let gone = channelVanished(channelID, now: now) { result.vanished.append(gone) }
                continue
            }
            switch ticket.state {
            case .closing: result.unfinishedCloses.append(ticket)
            case .closed: result.pendingDeletions.append(ticket)
            case .opening, .open: break
            }
        }
        return result
    }

    // MARK: - Helpers

    @discardableResult
    mutating func update(_ number: Int, _ change: (inout Ticket) -> Void) -> Ticket? {
        guard let index = tickets.firstIndex(where: { $0.number == number }) else { return nil }
        change(&tickets[index])
        return tickets[index]
    }

    private mutating func insertSorted(_ ticket: Ticket) {
        let index = tickets.firstIndex { $0.number > ticket.number } ?? tickets.endIndex
        tickets.insert(ticket, at: index)
    }
}
