import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// The messages and embeds Aetheria posts for tickets, in one place so their wording and look stay
/// consistent. Pure formatting: no I/O.
enum TicketMessages {
    static let setupCommandName = "ticket-setup"
    static let setupPanelOption = "panel"

    static let brandColor = 0x5865F2
    static let successColor = 0x57F287
    static let warningColor = 0xFEE75C
    static let dangerColor = 0xED4245

    /// `/ticket-setup [panel]`, visible only to administrators by default; `panel` is autocompleted with the
    /// guild's panels (the first one when left out).
    static var setupCommand: ApplicationCommand {
        var command = ApplicationCommand(
            name: setupCommandName, description: "Post a support ticket panel in this channel",
            defaultMemberPermissions: .administrator)
        command.contexts = [0]  // guilds only
        command.options = [
            .init(name: setupPanelOption, description: "Which panel to post", required: false, autocomplete: true)
        ]
        return command
    }

    /// A panel's message: its embed, and a button per type or one select menu. Types deleted since are left out.
    static func panel(_ panel: TicketPanel, config: TicketConfig) -> MessageRequest {
        let types = panel.typeIDs.compactMap(config.existingType).prefix(TicketPanel.maximumTypes)
        var embed = Embed(
            title: panel.title, description: panel.text.isEmpty ? nil : panel.text, color: panel.colour,
            footer: .init(text: "Aetheria · support tickets"))
        if let imageURL = panel.imageURL { embed.image = .init(url: imageURL) }
        let components: [Component]
        switch panel.layout {
        case .buttons:
            let buttons = types.map { type in
                Component.button(
                    style: .primary, label: type.name, customId: TicketComponentID.open(typeID: type.id).customID,
                    emoji: type.emoji.map { PartialEmoji(name: $0) })
            }
            components = stride(from: 0, to: buttons.count, by: 5).map {
                .actionRow(Array(buttons[$0..<min($0 + 5, buttons.count)]))
            }
        case .selectMenu:
            components = [
                .actionRow([
                    .stringSelect(
                        customId: TicketComponentID.choose(panelID: panel.id).customID,
                        placeholder: "Choose what you need help with",
                        options: types.map { type in
                            SelectOption(
                                label: type.name, value: String(type.id),
                                description: type.summary.isEmpty ? nil : type.summary,
                                emoji: type.emoji.map { PartialEmoji(name: $0) })
                        })
                ])
            ]
        }
        return MessageRequest(embeds: [embed], components: components, allowedMentions: AllowedMentions())
    }

    /// The first message of a ticket: who it is for, the type's welcome (or the standard one), the member's
    /// answers and the Close button. Staff roles are pinged so they notice it.
    static func welcome(ticket: Ticket, type: TicketType) -> MessageRequest {
        let staff = type.staffRoleIDs.map { " <@&\($0)>" }.joined()
        let greeting =
            type.welcomeText.flatMap { $0.isEmpty ? nil : $0 }
                ?? """
                Thanks for reaching out, <@\(ticket.openerID)>! Describe what you need and a member of \
                the support team will answer here.
                When everything is sorted, press **Close Ticket**.
                """
        var embeds = [
            Embed(
                title: "Ticket #\(ticket.number) · \(type.name)", description: greeting, color: brandColor,
                footer: .init(text: "Aetheria · this channel is private to you and the staff"))
        ]
        if let answers = ticket.answers, !answers.isEmpty {
            embeds.insert(
                Embed(
                    title: "Answers", color: brandColor,
                    fields: answers.prefix(TicketType.maximumQuestions).map {
                        // Cut by code points, as Discord counts (the whole message is fitted again when sent).
                        .init(
                            name: MessageRequest.cut($0.question, to: Embed.Limits.fieldName),
                            value: MessageRequest.cut($0.answer, to: Embed.Limits.fieldValue))
                    }), at: 0)
        }
        return MessageRequest(
            content: "<@\(ticket.openerID)>\(staff)", embeds: embeds, components: [closeRow],
            allowedMentions: AllowedMentions(users: [ticket.openerID], roles: type.staffRoleIDs))
    }

    static var closeRow: Component {
        .actionRow([
            .button(
                style: .danger, label: "Close Ticket", customId: TicketComponentID.close.customID,
                emoji: .init(name: "🔒"))
        ])
    }

    /// The reminder's embed title: how a restarted process recognises a reminder it already posted.
    static let reminderTitle = "Still need help?"

    /// The stale reminder; when the type closes silent tickets, it is also the warning that says when.
    static func reminder(ticket: Ticket, idleHours: Int, closesAt: Date? = nil) -> MessageRequest {
        let warning = closesAt.map { " If nobody writes, it closes automatically \(relativeTime($0))." } ?? ""
        return MessageRequest(
            content: "<@\(ticket.openerID)>",
            embeds: [
                Embed(
                    title: reminderTitle,
                    description: """
                        This ticket has been quiet for more than \(idleHours) hours. Reply here if you still need \
                        help, or press **Close Ticket** if everything is sorted.\(warning)
                        """,
                    color: warningColor)
            ],
            components: [closeRow],
            allowedMentions: AllowedMentions(users: [ticket.openerID]), nonce: reminderNonce(ticket))
    }

    /// One nonce per ticket and idle period (the recorded reminder time): a reminder posted again within a few
    /// minutes — a retry, or a restart after a crash between posting and confirming — is the same message
    /// (`enforce_nonce`), not a second one.
    /// Discord dedupes nonces per author across every channel, so the ticket's channel (unique everywhere) is
    /// part of it: a number and a time alone made two guilds' reminders of ticket #1 in the same sweep one message.
    static func reminderNonce(_ ticket: Ticket) -> String {
        let seconds = ticket.reminderSentAt.map { OutsideNumber.milliseconds(since1970: $0) / 1_000 } ?? 0
        return nonce("r", "\(ticket.channelID?.rawValue ?? 0)", "\(ticket.number)", "\(seconds)")
    }

    /// A message nonce (at most 25 characters) for one effect: a kind letter and a 64-bit FNV-1a hash of
    /// what identifies it, in base 36.
    static func nonce(_ kind: Character, _ parts: String...) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: ":").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0100_0000_01b3
        }
        return String(kind) + String(hash, radix: 36)
    }

    static func closingNotice(ticket: Ticket, closerID: UserID?, deleteAt: Date?) -> MessageRequest {
        let by = closerID.map { " by <@\($0)>" } ?? ""
        let when =
            deleteAt.map {
                " This channel will be deleted \(relativeTime($0)); until then staff can `/ticket reopen` it."
            } ?? ""
        var embed = Embed(
            title: "🔒 Ticket closed",
            description: "Ticket #\(ticket.number) was closed\(by). The transcript has been saved.\(when)",
            color: dangerColor)
        if let reason = ticket.closeReason, !reason.isEmpty {
            embed.fields = [.init(name: "Reason", value: String(reason.prefix(1_024)))]
        }
        return MessageRequest(embeds: [embed], allowedMentions: AllowedMentions())
    }

    /// What a member is told who clicked a type (or submitted its form) that an admin has since deleted.
    static let typeRemoved =
        "This kind of ticket is no longer offered here. Please choose another option, or ask the staff to post the panel again."

    /// Why a member's click opens no ticket; `nil` for decisions that are not refusals.
    static func openRefusal(_ decision: GuildTickets.OpenDecision) -> String? {
        switch decision {
        case .alreadyOpen(let ticket): alreadyOpen(ticket)
        case .coolingDown(let until): coolingDown(until: until)
        case .blocked(let entry):
            "You cannot open tickets in this server"
                + (entry.reason.isEmpty ? "." : ": \(entry.reason)")
                + " If you think this is a mistake, ask a moderator."
        case .guildBusy(let until):
            "This server is receiving a lot of tickets right now. Please try again \(relativeTime(until))."
        case .create, .duplicateInteraction: nil
        }
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

    /// Discord's relative time markup (“in 2 hours”), for a date bounded like every stored date.
    static func relativeTime(_ date: Date) -> String {
        "<t:\(OutsideNumber.milliseconds(since1970: date) / 1_000):R>"
    }

    // MARK: - After a close

    /// `★★★★☆` for 4 of 5 (stars already bounded to 1…5).
    static func stars(_ count: Int) -> String {
        let filled = min(max(count, 0), 5)
        return String(repeating: "★", count: filled) + String(repeating: "☆", count: 5 - filled)
    }

    /// The transcripts channel's post: who, what, how long, and the file (or the dashboard link when it is too
    /// large to attach). `identity` (`TranscriptDelivery.identity`) makes its nonce and its footer's mark, by
    /// which a later retry finds it: unique per close, so a reopened ticket's second transcript is a new post.
    static func transcriptPost(
        _ ticket: Ticket, number: Int, url: URL?, attached: Bool, identity: String
    ) -> MessageRequest {
        var fields: [Embed.Field] = [
            .init(name: "Opened by", value: "<@\(ticket.openerID)>", inline: true),
            .init(name: "Closed by", value: ticket.closerID.map { "<@\($0)>" } ?? "automatically", inline: true),
        ]
        if let claimer = ticket.claimerID {
            fields.append(.init(name: "Claimed by", value: "<@\(claimer)>", inline: true))
        }
        if let reason = ticket.closeReason { fields.append(.init(name: "Reason", value: String(reason.prefix(1_024)))) }
        if let url {
            fields.append(
                .init(name: attached ? "Dashboard" : "Transcript (too large to attach)", value: url.absoluteString))
        }
        var embed = Embed(title: "Transcript of ticket #\(number) · \(ticket.channelName)", color: brandColor)
        embed.fields = fields
        let nonce = nonce("t", identity)
        embed.footer = deliveryMark(ticket, nonce: nonce)
        return MessageRequest(embeds: [embed], allowedMentions: AllowedMentions(), nonce: nonce)
    }

    /// The member's DM: their ticket closed, its transcript attached (when the type sends it), and the buttons to
    /// rate it (when the type asks). The buttons name the guild, since a DM has none.
    static func transcriptDirectMessage(
        _ ticket: Ticket, guildID: GuildID, guildName: String, number: Int, attached: Bool, asksForRating: Bool,
        identity: String
    ) -> MessageRequest {
        let nonce = nonce("d", identity)
        var embed = Embed(title: "Ticket closed", color: brandColor)
        embed.footer = deliveryMark(ticket, nonce: nonce)
        var text = "Your ticket **#\(number)** in **\(guildName.prefix(100))** was closed."
        if let reason = ticket.closeReason { text += "\nReason: \(reason.prefix(500))" }
        if attached { text += "\nIts transcript is attached: open it in a browser to read the whole conversation." }
        if asksForRating { text += "\n\nHow did we do? Rate your ticket:" }
        embed.description = text
        return MessageRequest(
            embeds: [embed],
            components: asksForRating
                ? [
                    .actionRow(
                        TicketComponentID.starsRange.map { stars in
                            .button(
                                style: stars >= 4 ? .success : .secondary, label: String(repeating: "★", count: stars),
                                customId: TicketComponentID.rate(guildID: guildID, number: number, stars: stars)
                                    .customID)
                        })
                ] : nil,
            allowedMentions: AllowedMentions(), nonce: nonce)
    }

    /// A delivery's footer: when the ticket closed, and a short reference unique to this delivery, by which a
    /// retry recognises a post an earlier attempt made.
    private static func deliveryMark(_ ticket: Ticket, nonce: String) -> Embed.Footer {
        let closed =
            ticket.closedAt.map {
                " · closed " + DiscordTimestamp.string(from: $0).prefix(16).replacingOccurrences(of: "T", with: " ")
                    + " UTC"
            } ?? ""
        return Embed.Footer(text: "Ticket #\(ticket.number)\(closed) · ref \(nonce)")
    }

    // MARK: - Close requests

    static let closeRequestTitle = "Can this ticket be closed?"

    /// The request staff send with `/ticket close-request`: the opener answers with its buttons.
    static func closeRequest(_ request: CloseRequest, ticket: Ticket) -> MessageRequest {
        var description = "<@\(request.requesterID)> thinks this ticket can be closed."
        if let autoCloseAt = request.autoCloseAt {
            description += " If nobody answers, it closes automatically \(relativeTime(autoCloseAt))."
        }
        var embed = Embed(title: closeRequestTitle, description: description, color: brandColor)
        if let reason = request.reason { embed.fields = [.init(name: "Reason", value: String(reason.prefix(1_024)))] }
        return MessageRequest(
            content: "<@\(ticket.openerID)>", embeds: [embed],
            components: [
                .actionRow([
                    .button(
                        style: .success, label: "Yes, close it",
                        customId: TicketComponentID.closeRequestAnswer(accept: true).customID, emoji: .init(name: "✅")),
                    .button(
                        style: .secondary, label: "No, keep it open",
                        customId: TicketComponentID.closeRequestAnswer(accept: false).customID),
                ])
            ],
            allowedMentions: AllowedMentions(users: [ticket.openerID]))
    }

    /// A request whose ticket closed another way, once someone clicks it: no more buttons.
    static let closeRequestStale = MessageRequest(
        content: "",
        embeds: [Embed(title: closeRequestTitle, description: "This request is no longer open.", color: brandColor)],
        components: [], allowedMentions: AllowedMentions())

    /// The request once answered: its buttons are gone and it says what the member chose.
    static func closeRequestAnswered(_ request: CloseRequest, by memberID: UserID, accepted: Bool) -> MessageRequest {
        var embed = Embed(
            title: closeRequestTitle,
            description: accepted
                ? "✅ <@\(memberID)> agreed; the ticket is closing."
                : "<@\(memberID)> wants to keep this ticket open. <@\(request.requesterID)>, they still need help.",
            color: accepted ? successColor : warningColor)
        if let reason = request.reason { embed.fields = [.init(name: "Reason", value: String(reason.prefix(1_024)))] }
        return MessageRequest(
            content: "", embeds: [embed], components: [],
            allowedMentions: AllowedMentions(users: accepted ? [] : [request.requesterID]))
    }

    static func ephemeral(_ text: String) -> MessageRequest {
        MessageRequest(content: text, flags: .ephemeral, allowedMentions: AllowedMentions())
    }

    // MARK: - Staff actions

    /// What a staff action says, in the ticket and in the log: one sentence naming who did what.
    static func describe(_ action: StaffAction, ticket: Ticket) -> String {
        let actor = "<@\(action.actorID)>"
        let member = action.memberID.map { "<@\($0)>" } ?? "someone"
        let role = action.roleID.map { "<@&\($0)>" } ?? "a role"
        return switch action.kind {
        case .addMember: "\(actor) added \(member) to this ticket."
        case .addRole: "\(actor) added \(role) to this ticket."
        case .removeMember: "\(actor) removed \(member) from this ticket."
        case .removeRole: "\(actor) removed \(role) from this ticket."
        case .claim: "\(actor) claimed this ticket and will answer it."
        case .unclaim:
            "\(actor) gave this ticket back to the staff"
                + (action.previousClaimerID.map { $0 == action.actorID ? "." : " (claimed by <@\($0)>)." } ?? ".")
        case .transfer: "\(actor) handed this ticket to \(member)."
        case .rename: "\(actor) renamed this ticket to **\(action.text ?? ticket.channelName)**."
        case .note: "\(actor) added a staff note."
        case .reopen: "\(actor) reopened this ticket. It will not be deleted."
        }
    }

    /// The visible notice of a staff action in the ticket (its footer identifies the action).
    static func staffActionNotice(_ action: StaffAction, ticket: Ticket) -> MessageRequest {
        MessageRequest(
            embeds: [
                Embed(
                    description: describe(action, ticket: ticket), color: brandColor,
                    footer: .init(text: action.footer))
            ],
            allowedMentions: AllowedMentions())
    }

}
