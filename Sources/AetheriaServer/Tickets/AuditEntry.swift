import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// One line of a guild's moderation log: its kind, which picks the channel (`LogRouting`), and its embed.
/// Pure formatting: no I/O.
struct AuditEntry: Sendable {
    var kind: LogRouting.Kind
    var embed: Embed

    static func created(_ ticket: Ticket, type: TicketType) -> AuditEntry {
        var fields: [Embed.Field] = [
            .init(name: "Opened by", value: "<@\(ticket.openerID)>", inline: true),
            .init(name: "Type", value: type.name, inline: true),
            .init(name: "Channel", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName, inline: true),
        ]
        for answer in (ticket.answers ?? []).prefix(TicketType.maximumQuestions) {
            fields.append(.init(name: String(answer.question.prefix(256)), value: String(answer.answer.prefix(1_024))))
        }
        return AuditEntry(
            kind: .created, embed: entry("Ticket #\(ticket.number) created", color: TicketMessages.successColor, fields)
        )
    }

    static func closed(_ ticket: Ticket, messageCount: Int, transcriptURL: URL?) -> AuditEntry {
        var fields: [Embed.Field] = [
            .init(name: "Opened by", value: "<@\(ticket.openerID)>", inline: true),
            .init(name: "Closed by", value: ticket.closerID.map { "<@\($0)>" } ?? "—", inline: true),
            .init(
                name: "Duration",
                value: DurationText.describe((ticket.closedAt ?? ticket.openedAt).timeIntervalSince(ticket.openedAt)),
                inline: true),
            .init(name: "Messages", value: String(messageCount), inline: true),
        ]
        if let reason = ticket.closeReason, !reason.isEmpty {
            fields.append(.init(name: "Reason", value: String(reason.prefix(1_024))))
        }
        if let transcriptURL { fields.append(.init(name: "Transcript", value: transcriptURL.absoluteString)) }
        return AuditEntry(
            kind: .closed, embed: entry("Ticket #\(ticket.number) closed", color: TicketMessages.dangerColor, fields))
    }

    static func deleted(_ ticket: Ticket, reason: String) -> AuditEntry {
        AuditEntry(
            kind: .deleted,
            embed: entry(
                "Ticket #\(ticket.number) channel deleted", color: 0x99AAB5,
                [
                    .init(name: "Channel", value: "#\(ticket.channelName)", inline: true),
                    .init(name: "Why", value: reason, inline: true),
                ]))
    }

    static func adopted(_ ticket: Ticket) -> AuditEntry {
        AuditEntry(
            kind: .created,
            embed: entry(
                "Ticket #\(ticket.number) recovered", color: TicketMessages.warningColor,
                [
                    .init(
                        name: "Channel", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName,
                        inline: true),
                    .init(
                        name: "Why",
                        value: "A ticket channel existed without a record (after a restart); it was adopted."),
                ]))
    }

    static func panelPosted(_ panel: String, by userID: UserID?, in channelID: ChannelID) -> AuditEntry {
        AuditEntry(
            kind: .staffActions,
            embed: entry(
                "Ticket panel posted", color: TicketMessages.brandColor,
                [
                    .init(name: "Panel", value: panel, inline: true),
                    .init(name: "By", value: userID.map { "<@\($0)>" } ?? "the dashboard", inline: true),
                    .init(name: "Channel", value: "<#\(channelID)>", inline: true),
                ]))
    }

    /// The footer names the revision, which is how a restarted process recognises an entry it already posted.
    static func configChanged(by userID: UserID?, changes: [String], revision: Int) -> AuditEntry {
        AuditEntry(
            kind: .configuration,
            embed: entry(
                "Ticket settings changed", color: TicketMessages.brandColor,
                [
                    .init(name: "By", value: userID.map { "<@\($0)>" } ?? "the dashboard", inline: true),
                    .init(name: "Changes", value: String(changes.joined(separator: "\n").prefix(1_000))),
                ], footer: "Aetheria · settings revision \(revision)"))
    }

    /// A `/ticket` action; the footer names the action so a restart does not log it twice.
    static func staffAction(_ action: StaffAction, ticket: Ticket) -> AuditEntry {
        var fields: [Embed.Field] = [
            .init(name: "Ticket", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName, inline: true)
        ]
        if action.kind == .note, let text = action.text {
            fields.append(.init(name: "Note", value: String(text.prefix(1_024))))
        }
        var embed = entry(
            "Ticket #\(ticket.number): \(action.kind.rawValue.replacingOccurrences(of: "_", with: " "))",
            color: TicketMessages.brandColor, fields)
        embed.description = TicketMessages.describe(action, ticket: ticket)
        embed.footer = .init(text: action.footer)
        return AuditEntry(kind: .staffActions, embed: embed)
    }

    /// A close request (`answer` `nil`), or the member's answer to it.
    static func closeRequest(_ request: CloseRequest, ticket: Ticket, answer accepted: Bool?) -> AuditEntry {
        var fields: [Embed.Field] = [
            .init(name: "Ticket", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName, inline: true),
            .init(name: "Asked by", value: "<@\(request.requesterID)>", inline: true),
        ]
        if let reason = request.reason { fields.append(.init(name: "Reason", value: String(reason.prefix(1_024)))) }
        let title =
            switch accepted {
            case nil: "close requested"
            case true?: "close request accepted"
            case false?: "close request declined"
            }
        var embed = entry("Ticket #\(ticket.number): \(title)", color: TicketMessages.brandColor, fields)
        if let accepted {
            embed.description = "<@\(ticket.openerID)> " + (accepted ? "agreed to close it." : "wants to keep it open.")
        }
        return AuditEntry(kind: .staffActions, embed: embed)
    }

    /// A member's rating of their closed ticket, in the transcripts channel.
    static func rated(_ rating: TicketRating, record: TranscriptRecord) -> AuditEntry {
        var fields: [Embed.Field] = [
            .init(
                name: "Rating",
                value: TicketMessages.stars(rating.stars),
                inline: true),
            .init(name: "By", value: "<@\(record.openerID)>", inline: true),
        ]
        if let staff = rating.staffID { fields.append(.init(name: "For", value: "<@\(staff)>", inline: true)) }
        if let comment = rating.comment { fields.append(.init(name: "Comment", value: String(comment.prefix(1_024)))) }
        return AuditEntry(
            kind: .transcripts,
            embed: entry(
                "Ticket #\(record.ticketNumber) rated \(rating.stars)/5", color: TicketMessages.brandColor, fields))
    }

    static func openerLeft(_ ticket: Ticket) -> AuditEntry {
        AuditEntry(
            kind: .staffActions,
            embed: entry(
                "Ticket #\(ticket.number): member left", color: TicketMessages.warningColor,
                [
                    .init(
                        name: "Ticket", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName, inline: true),
                    .init(name: "Member", value: "<@\(ticket.openerID)>", inline: true),
                ]))
    }

    static func problem(_ title: String, detail: String) -> AuditEntry {
        AuditEntry(
            kind: .problems,
            embed: entry("⚠️ \(title)", color: TicketMessages.warningColor, [.init(name: "Details", value: detail)]))
    }

    private static func entry(
        _ title: String, color: Int, _ fields: [Embed.Field], footer: String = "Aetheria"
    ) -> Embed {
        Embed(
            title: title, timestamp: DiscordTimestamp.string(from: Date()), color: color,
            footer: .init(text: footer), fields: fields)
    }
}
