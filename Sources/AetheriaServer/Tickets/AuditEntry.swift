import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// One line of a guild's moderation log, formatted as Discord embeds. Pure formatting: no I/O.
enum AuditEntry {
    static func created(_ ticket: Ticket) -> Embed {
        entry(
            "Ticket #\(ticket.number) created", color: TicketMessages.successColor,
            fields: [
                .init(name: "Opened by", value: "<@\(ticket.openerID)>", inline: true),
                .init(name: "Channel", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName, inline: true),
            ])
    }

    static func closed(_ ticket: Ticket, messageCount: Int, transcriptURL: URL?) -> Embed {
        var fields: [Embed.Field] = [
            .init(name: "Opened by", value: "<@\(ticket.openerID)>", inline: true),
            .init(name: "Closed by", value: ticket.closerID.map { "<@\($0)>" } ?? "—", inline: true),
            .init(
                name: "Duration",
                value: DurationText.describe((ticket.closedAt ?? ticket.openedAt).timeIntervalSince(ticket.openedAt)),
                inline: true),
            .init(name: "Messages", value: String(messageCount), inline: true),
        ]
        if let transcriptURL { fields.append(.init(name: "Transcript", value: transcriptURL.absoluteString)) }
        return entry("Ticket #\(ticket.number) closed", color: TicketMessages.dangerColor, fields: fields)
    }

    static func deleted(_ ticket: Ticket, reason: String) -> Embed {
        entry(
            "Ticket #\(ticket.number) channel deleted", color: 0x99AAB5,
            fields: [
                .init(name: "Channel", value: "#\(ticket.channelName)", inline: true),
                .init(name: "Why", value: reason, inline: true),
            ])
    }

    static func adopted(_ ticket: Ticket) -> Embed {
        entry(
            "Ticket #\(ticket.number) recovered", color: TicketMessages.warningColor,
            fields: [
                .init(name: "Channel", value: ticket.channelID.map { "<#\($0)>" } ?? ticket.channelName, inline: true),
                .init(
                    name: "Why", value: "A ticket channel existed without a record (after a restart); it was adopted."),
            ])
    }

    static func setupUsed(by userID: UserID, in channelID: ChannelID) -> Embed {
        entry(
            "Ticket panel posted", color: TicketMessages.brandColor,
            fields: [
                .init(name: "By", value: "<@\(userID)>", inline: true),
                .init(name: "Channel", value: "<#\(channelID)>", inline: true),
            ])
    }

    /// The footer names the revision, which is how a restarted process recognises an entry it already posted.
    static func configChanged(by userID: UserID?, changes: [String], revision: Int) -> Embed {
        entry(
            "Ticket settings changed", color: TicketMessages.brandColor,
            fields: [
                .init(name: "By", value: userID.map { "<@\($0)>" } ?? "the dashboard", inline: true),
                .init(name: "Changes", value: String(changes.joined(separator: "\n").prefix(1_000))),
            ], footer: "Aetheria · settings revision \(revision)")
    }

    static func problem(_ title: String, detail: String) -> Embed {
        entry("⚠️ \(title)", color: TicketMessages.warningColor, fields: [.init(name: "Details", value: detail)])
    }

    private static func entry(
        _ title: String, color: Int, fields: [Embed.Field], footer: String = "Aetheria"
    ) -> Embed {
        Embed(
            title: title, timestamp: DiscordTimestamp.string(from: Date()), color: color,
            footer: .init(text: footer), fields: fields)
    }
}
