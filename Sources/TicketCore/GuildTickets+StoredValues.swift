public import Foundation

extension GuildTickets {
    /// The first value of a decoded snapshot that no running Aetheria could have written, or `nil`. Stored
    /// state is outside input too (DESIGN.md §10): a snapshot edited by hand, or corrupted, must not carry a
    /// number into arithmetic that traps.
    public var storedValueProblem: String? {
        let counters = 0...Self.maximumStoredCount
        guard (1...Self.maximumStoredCount).contains(nextTicketNumber) else { return "next ticket number out of range" }
        for ticket in tickets {
            guard (1...Ticket.maximumNumber).contains(ticket.number), counters.contains(ticket.messageCount),
                ticket.transcriptNumber.map(counters.contains) ?? true
            else {
                return "ticket number or message count out of range"
            }
            let dates = [
                ticket.openedAt, ticket.lastActivityAt, ticket.closeRequestedAt, ticket.deleteAt, ticket.closedAt,
                ticket.reminderSentAt, ticket.firstStaffResponseAt, ticket.openingInteraction?.receivedAt,
                ticket.closeRequest?.at, ticket.closeRequest?.autoCloseAt, ticket.openerLeftAt,
            ]
            guard dates.allSatisfy({ $0.map(Self.isPlausible) ?? true }) else {
                return "a date of ticket #\(ticket.number) out of range"
            }
            // What `/ticket` commands keep is bounded when written; a snapshot claiming more is not trusted.
            guard (ticket.addedMemberIDs ?? []).count <= Self.maximumAddedMembers,
                (ticket.claimerName?.count ?? 0) <= 100,
                (ticket.addedRoleIDs ?? []).count <= Self.maximumAddedRoles,
                (ticket.notes ?? []).count <= Self.maximumNotes,
                (ticket.notes ?? []).allSatisfy({
                    $0.text.count <= StaffCommand.maximumNoteLength && Self.isPlausible($0.at)
                }),
                (ticket.channelEditTimes ?? []).count <= Self.channelEditsPerWindow,
                (ticket.channelEditTimes ?? []).allSatisfy(Self.isPlausible),
                (ticket.closeRequest?.reason?.count ?? 0) <= StaffCommand.maximumReasonLength,
                (ticket.closeReason?.count ?? 0) <= StaffCommand.maximumReasonLength * 2,
                (ticket.pendingStaffActions ?? []).count <= Self.maximumPendingStaffActions,
                (ticket.pendingStaffActions ?? []).allSatisfy({
                    ($0.text?.count ?? 0) <= StaffCommand.maximumNoteLength && Self.isPlausible($0.at)
                        && ($0.replyToken?.count ?? 0) <= StaffAction.maximumTokenLength
                        && ($0.previousClaimerName?.count ?? 0) <= 100
                        && ($0.undoneClose.map(Self.isSound) ?? true)
                })
            else { return "the staff actions of ticket #\(ticket.number) out of range" }
            guard ticket.retry.map(Self.isSound) ?? true else {
                return "the retry of ticket #\(ticket.number) out of range"
            }
        }
        guard pendingDeliveries.count <= Self.maximumPendingDeliveries,
            pendingDeliveries.allSatisfy({ delivery in
                delivery.retry.map(Self.isSound) ?? true
                    && (1...Ticket.maximumNumber).contains(delivery.ticket.number)
                    && (delivery.ticket.transcriptNumber.map(counters.contains) ?? true)
                    && delivery.ticket.closedAt.map(Self.isPlausible) ?? true
                    && Self.isPlausible(delivery.ticket.openedAt)
                    && (delivery.ticket.closeReason?.count ?? 0) <= StaffCommand.maximumReasonLength * 2
                    && !delivery.remaining.isEmpty && delivery.remaining.count <= 2
            })
        else { return "the pending transcript deliveries out of range" }
        guard counters.contains(settingsRevision), panelsRevisionStorage.map(counters.contains) ?? true,
            pendingSettingsChange.map({
                (1...settingsRevision).contains($0.revision) && $0.changes.count <= Self.maximumSettingsChangeLines
            }) ?? true
        else { return "the settings revision out of range" }
        guard lastOpenedAt.values.allSatisfy(Self.isPlausible), handledInteractions.values.allSatisfy(Self.isPlausible)
        else { return "a cooldown or interaction date out of range" }
        if let problem = configurationProblem { return problem }
        guard Self.analyticsAreSound(analytics),
            (typeAnalyticsStorage?.count ?? 0) <= Self.maximumTypeAnalytics,
            (typeAnalyticsStorage ?? [:]).values.allSatisfy(Self.analyticsAreSound)
        else { return "analytics counters out of range" }
        return nil
    }

    /// The configuration's numbers and counts must be ones the dashboard accepts: the rules do arithmetic on
    /// them (a delete delay of 1e300 seconds, 10,000 questions in one modal).
    private var configurationProblem: String? {
        guard !config.types.isEmpty, config.types.count <= TicketConfig.maximumTypes,
            config.panels.count <= TicketPanel.maximumPanels,
            (panelPlacementsStorage?.count ?? 0) <= Self.maximumPanelPlacements
        else { return "the number of ticket types or panels is out of range" }
        for type in config.types {
            guard TicketType.idRange.contains(type.id),
                TicketType.openTicketLimitRange.contains(type.maximumOpenTicketsPerUser),
                TicketType.cooldownRange.contains(type.openCooldownSeconds),
                TicketType.deleteDelayRange.contains(type.deleteDelaySeconds),
                TicketType.staleAfterRange.contains(type.staleAfterHours),
                TicketType.closeRequestTimeoutRange.contains(type.closeRequestTimeoutHours),
                TicketType.autoCloseAfterReminderRange.contains(type.autoCloseAfterReminderHours),
                type.questions.count <= TicketType.maximumQuestions, type.questions.allSatisfy({ $0.problem == nil }),
                type.staffRoleIDs.count <= TicketType.maximumStaffRoles,
                type.categoryIDs.count <= TicketType.maximumCategories
            else { return "a configuration number of ticket type \(type.id) out of range" }
        }
        guard config.access.problems(guildID: nil).isEmpty,
            config.access.blocked.allSatisfy({ Self.isPlausible($0.addedAt) }),
            (recentOpeningsStorage?.count ?? 0) <= TicketAccess.openingsRange.upperBound,
            (recentOpeningsStorage ?? []).allSatisfy(Self.isPlausible)
        else { return "the blocklist or the openings limit out of range" }
        guard (staffStatisticsStorage?.count ?? 0) <= Self.maximumStaffStatistics,
            (staffStatisticsStorage ?? [:]).values.allSatisfy({ $0.isSound && Self.isPlausible($0.lastSeenAt) })
        else { return "the staff statistics out of range" }
        for panel in config.panels {
            guard TicketType.idRange.contains(panel.id), TicketPanel.colourRange.contains(panel.colour),
                panel.typeIDs.count <= TicketPanel.maximumTypes
            else { return "a configuration number of panel \(panel.id) out of range" }
        }
        for ticket in tickets where (ticket.answers?.count ?? 0) > TicketType.maximumQuestions {
            return "ticket #\(ticket.number) has too many answers"
        }
        return nil
    }

    /// Per-type counters kept at most (types are capped at 25; deleted ones are dropped on the next change).
    static let maximumTypeAnalytics = 100

    private static func analyticsAreSound(_ analytics: TicketAnalytics) -> Bool {
        let counters = 0...maximumStoredCount
        let counts =
            [analytics.opened, analytics.closed, analytics.resolutionCount, analytics.firstResponseCount]
            + analytics.resolutionHistogram + analytics.days.flatMap { [$0.opened, $0.closed] }
        let totals =
            [analytics.resolutionSecondsTotal, analytics.firstResponseSecondsTotal]
            + analytics.days.map(\.resolutionSeconds)
        return counts.allSatisfy(counters.contains)
            && totals.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= maximumStoredSeconds })
            && (analytics.resolutionHistogram.isEmpty
                || analytics.resolutionHistogram.count == TicketAnalytics.resolutionBucketBounds.count + 1)
            && analytics.days.count <= 10_000
            && analytics.days.allSatisfy({ (-maximumDayNumber...maximumDayNumber).contains($0.day) })
    }

    /// Far above any real count, far below where `+ 1` could overflow.
    static let maximumStoredCount = 1 << 53
    /// A billion years of resolution time.
    static let maximumStoredSeconds = 3.2e16
    /// ±100,000 years of days.
    static let maximumDayNumber = 36_525_000

    private static func isPlausible(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds.isFinite && abs(seconds) <= Double(maximumDayNumber) * 86_400
    }

    /// The close a stored reopen would restore: its dates plausible, its reason no longer than a close's.
    private static func isSound(_ close: UndoneClose) -> Bool {
        [close.closedAt, close.deleteAt, close.closeRequestedAt].allSatisfy { $0.map(isPlausible) ?? true }
            && (close.closeReason?.count ?? 0) <= StaffCommand.maximumReasonLength * 2
    }

    /// A retry a running Aetheria could have stored: bounded count and text, plausible dates.
    static func isSound(_ retry: RetryState) -> Bool {
        (1...RetryState.maximumFailures).contains(retry.failures)
            && retry.problem.count <= RetryState.maximumProblemLength
            && isPlausible(retry.nextAttemptAt) && isPlausible(retry.since)
    }
}
