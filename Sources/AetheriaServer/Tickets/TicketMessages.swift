import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// The messages and embeds Aetheria posts for tickets, in one place so their wording and look stay
/// consistent. Pure formatting: no I/O.
enum TicketMessages {
    static let openButtonID = "aetheria:ticket:open"
    static let closeButtonID = "aetheria:ticket:close"
    static let setupCommandName = "ticket-setup"

    static let brandColor = 0x5865F2
    static let successColor = 0x57F287
    static let warningColor = 0xFEE75C
    static let dangerColor = 0xED4245

    /// `/ticket-setup`, visible only to administrators by default.
    static var setupCommand: ApplicationCommand {
        var command = ApplicationCommand(
            name: setupCommandName, description: "Post the support ticket panel in this channel",
            defaultMemberPermissions: .administrator)
        command.contexts = [0]  // guilds only
        return command
    }

    static func panel(guildName: String) -> MessageRequest {
        MessageRequest(
            embeds: [
                Embed(
                    title: "🎫 Need help?",
                    description: """
                        Click **Open Ticket** below to talk privately with the \(guildName) support team.
                        Only you and the staff will see your ticket.
                        """,
                    color: brandColor, footer: .init(text: "Aetheria · support tickets"))
            ],
            components: [
                .actionRow([
                    .button(style: .primary, label: "Open Ticket", customId: openButtonID, emoji: .init(name: "📩"))
                ])
            ],
            allowedMentions: AllowedMentions())
    }

    static func welcome(ticket: Ticket, staffRoleID: RoleID?) -> MessageRequest {
        let staff = staffRoleID.map { " <@&\($0)>" } ?? ""
        return MessageRequest(
            content: "<@\(ticket.openerID)>\(staff)",
            embeds: [
                Embed(
                    title: "Ticket #\(ticket.number)",
                    description: """
                        Thanks for reaching out, <@\(ticket.openerID)>! Describe what you need and a member of \
                        the support team will answer here.
                        When everything is sorted, press **Close Ticket**.
                        """,
                    color: brandColor, footer: .init(text: "Aetheria · this channel is private to you and the staff"))
            ],
            components: [closeRow],
            allowedMentions: AllowedMentions(users: [ticket.openerID], roles: staffRoleID.map { [$0] } ?? []))
    }

    static var closeRow: Component {
        .actionRow([.button(style: .danger, label: "Close Ticket", customId: closeButtonID, emoji: .init(name: "🔒"))])
    }

    /// The reminder's embed title: how a restarted process recognises a reminder it already posted.
    static let reminderTitle = "Still need help?"

    static func reminder(ticket: Ticket, idleHours: Int) -> MessageRequest {
        MessageRequest(
            content: "<@\(ticket.openerID)>",
            embeds: [
                Embed(
                    title: reminderTitle,
                    description: """
                        This ticket has been quiet for more than \(idleHours) hours. Reply here if you still need \
                        help, or press **Close Ticket** if everything is sorted.
                        """,
                    color: warningColor)
            ],
            components: [closeRow],
            allowedMentions: AllowedMentions(users: [ticket.openerID]), nonce: reminderNonce(ticket))
    }

    /// One nonce per ticket and idle period (the recorded reminder time): a reminder posted again within a few
    /// minutes — a retry, or a restart after a crash between posting and confirming — is the same message
    /// (`enforce_nonce`), not a second one.
    static func reminderNonce(_ ticket: Ticket) -> String {
        let seconds = ticket.reminderSentAt.map { OutsideNumber.milliseconds(since1970: $0) / 1_000 } ?? 0
        return "r\(ticket.number)-\(seconds)"
    }

    static func closingNotice(ticket: Ticket, closerID: UserID?, deleteAt: Date?) -> MessageRequest {
        let by = closerID.map { " by <@\($0)>" } ?? ""
        let when = deleteAt.map { " This channel will be deleted <t:\(Int($0.timeIntervalSince1970)):R>." } ?? ""
        return MessageRequest(
            embeds: [
                Embed(
                    title: "🔒 Ticket closed",
                    description: "Ticket #\(ticket.number) was closed\(by). The transcript has been saved.\(when)",
                    color: dangerColor)
            ],
            allowedMentions: AllowedMentions())
    }

    /// What a member who already has their maximum of open tickets is told.
    static func alreadyOpen(_ ticket: Ticket) -> String {
        let place = ticket.channelID.map { "<#\($0)>" } ?? "#\(ticket.channelName) (being created)"
        return "You already have an open ticket: \(place)"
    }

    /// What a member inside the opening cooldown is told (the time through `OutsideNumber`: it comes from the
    /// stored cooldown and configuration).
    static func coolingDown(until: Date) -> String {
        let seconds = (OutsideNumber.milliseconds(since1970: until) + 999) / 1_000
        return "You opened a ticket a moment ago. You can open another <t:\(seconds):R>."
    }

    static func ephemeral(_ text: String) -> MessageRequest {
        MessageRequest(content: text, flags: .ephemeral, allowedMentions: AllowedMentions())
    }
}
