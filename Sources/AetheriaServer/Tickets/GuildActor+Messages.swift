import DiscordGateway
import DiscordModels
import Foundation
import TicketCore

extension GuildActor {
    /// MESSAGE_DELETE and MESSAGE_UPDATE carry only some fields.
    private struct MessageDeletion: Decodable {
        var id: MessageID
    }

    private struct MessageEdit: Decodable {
        var id: MessageID
        var content: String?
        var editedTimestamp: String?
    }

    /// A message event in a ticket channel: keeps the ticket's activity and the transcript's capture.
    func messageEvent(_ event: GatewayEventName, channelID: ChannelID, frame: [UInt8], envelope: GatewayEnvelope) {
        switch event {
        case .messageCreate:
            guard let message = decodePayload(Message.self, frame, envelope) else { return }
            let isBot = message.author.bot ?? false
            capture(message, in: channelID, isBot: isBot)
            let before = tickets.ticket(inChannel: channelID)?.firstStaffResponseAt
            let sentAt = DiscordTimestamp.date(from: message.timestamp) ?? services.now()
            if envelope.isReplayed, let known = tickets.ticket(inChannel: channelID)?.lastActivityAt, sentAt <= known {
                return  // replayed after a restart and already counted in the stored state
            }
            if let ticket = tickets.recordMessage(
                inChannel: channelID, authorID: message.author.id, authorIsBot: isBot, at: sentAt),
                !isBot
            {
                if before == nil, let first = ticket.firstStaffResponseAt {
                    services.metrics.firstResponseSeconds.record(first.timeIntervalSince(ticket.openedAt))
                    if let name = capturedPeople[message.author.id]?.name {
                        tickets.noteStaffName(message.author.id, name)
                    }
                }
                activityChanged()
            }
        case .messageUpdate:
            guard let edit = decodePayload(MessageEdit.self, frame, envelope), let content = edit.content,
                var message = captured[channelID]?[edit.id], message.content != content
            else { return }
            message.previousContents.append(message.content)
            if message.previousContents.count > Self.editsKeptPerMessage { message.previousContents.removeFirst() }
            message.content = content
            message.editedAt = edit.editedTimestamp.flatMap(DiscordTimestamp.date(from:)) ?? services.now()
            captured[channelID]?[edit.id] = message
        case .messageDelete:
            guard let deletion = decodePayload(MessageDeletion.self, frame, envelope) else { return }
            captured[channelID]?[deletion.id]?.isDeleted = true
        default:
            break
        }
    }

    /// What the gateway shows of a ticket's messages is kept for its transcript (edits and deletions that the
    /// REST history at close no longer has), within bounds: a busy ticket, or one open for months, must not
    /// grow without end. Beyond them new messages are not captured (the REST history still has them; only
    /// their later edits are lost) and the shedding is counted.
    static let capturedMessagesPerTicket = 5_000
    static let editsKeptPerMessage = 20
    static let capturedPeopleLimit = 2_000

    private func capture(_ message: Message, in channelID: ChannelID, isBot: Bool) {
        // A "thinking…" placeholder (the Close button's, closing) has nothing to keep: it would be an empty
        // message in the transcript, or a deleted one once its edit is the real answer.
        guard !message.isLoadingPlaceholder else { return }
        let channelCapture = captured[channelID]?.count ?? 0
        if channelCapture < Self.capturedMessagesPerTicket || captured[channelID]?[message.id] != nil {
            captured[channelID, default: [:]][message.id] = TranscriptMessage(message)
        } else {
            services.metrics.shed("capture")
            if captureLimitReported.insert(channelID).inserted {
                logger.notice(
                    "ticket channel \(channelID) holds \(channelCapture) captured messages: newer ones are not captured (the transcript still has them from the REST history)"
                )
            }
        }
        guard capturedPeople.count < Self.capturedPeopleLimit || capturedPeople[message.author.id] != nil else {
            return
        }
        capturedPeople[message.author.id] = TranscriptDocument.Person(
            id: message.author.id, name: message.member?.nick ?? message.author.displayName,
            color: roleColor(message.member?.roles ?? []), isBot: isBot)
    }

    /// Someone who used one of Aetheria's buttons or commands (and whoever a command named): known by name for
    /// the transcript and the dashboard even if they never write in the ticket. Bounded like the rest.
    func remember(_ user: User, as member: GuildMember?) {
        guard capturedPeople.count < Self.capturedPeopleLimit || capturedPeople[user.id] != nil else { return }
        let name = member?.nick ?? user.displayName
        capturedPeople[user.id] = TranscriptDocument.Person(
            id: user.id, name: name, color: roleColor(member?.roles ?? []), isBot: user.bot ?? false)
        tickets.noteStaffName(user.id, name)  // kept for the dashboard's staff table (a no-op for others)
    }

    /// The colour of the member's highest coloured role, as Discord shows names.
    private func roleColor(_ roles: [RoleID]) -> UInt32 {
        guard let discord else { return 0 }
        return roles.compactMap { discord.role($0) }.filter { $0.color != 0 }.max { $0.position < $1.position }?
            .color ?? 0
    }
}
