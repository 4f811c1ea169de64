public import Metrics
import TicketCore

/// Process-wide ticket metrics (no per-guild labels: tens of thousands of guilds would explode the series).
public struct TicketMetrics: Sendable {
    public let opened = Counter(label: "aetheria_tickets_opened_total")
    public let closed = Counter(label: "aetheria_tickets_closed_total")
    public let active = Meter(label: "aetheria_tickets_active")
    public let remindersSent = Counter(label: "aetheria_ticket_reminders_total")
    public let resolutionSeconds = Recorder(label: "aetheria_ticket_resolution_seconds")
    public let firstResponseSeconds = Recorder(label: "aetheria_ticket_first_response_seconds")
    public let ackLatency = Timer(label: "aetheria_interaction_ack_seconds")
    /// Guild snapshots written to the store (lifecycle changes at once, activity coalesced per guild).
    public let snapshotWrites = Counter(label: "aetheria_snapshot_writes_total")

    /// Questions modals shown to members (each should become an opened ticket, or was abandoned).
    public let formsShown = Counter(label: "aetheria_ticket_forms_shown_total")

    public init() {}

    public func formShown() { formsShown.increment() }

    /// A `/ticket` action was carried out (`action`: one of `StaffAction.Kind`'s few raw values, or `close`).
    public func staffAction(_ action: String) {
        Counter(label: "aetheria_ticket_staff_actions_total", dimensions: [("action", action)]).increment()
    }

    /// A transcript was delivered (`to`: `channel` or `member`).
    public func transcriptDelivered(_ to: String) {
        Counter(label: "aetheria_transcripts_delivered_total", dimensions: [("to", to)]).increment()
    }

    /// A member rated a closed ticket (`stars`: 1 to 5, checked before it is a label).
    public func rated(stars: Int) {
        guard TicketComponentID.starsRange.contains(stars) else { return }
        Counter(label: "aetheria_ticket_ratings_total", dimensions: [("stars", String(stars))]).increment()
    }

    /// Something went wrong that a user or admin must hear about: `kind` is a fixed word such as
    /// `missing_permissions`, `category_full`, `interaction_expired`, `snapshot_unreadable`.
    public func failure(_ kind: String) {
        Counter(label: "aetheria_ticket_failures_total", dimensions: [("kind", kind)]).increment()
    }

    /// Something was dropped to keep memory bounded (`reason`: `pending_chatter`, `pending_event`, `capture`).
    public func shed(_ reason: String) {
        Counter(label: "aetheria_events_shed_total", dimensions: [("reason", reason)]).increment()
    }
}
