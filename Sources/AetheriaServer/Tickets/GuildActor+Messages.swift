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
            captured[channelID, default: [:]][message.id] = TranscriptMessage(message)
            capturedPeople[message.author.id] = TranscriptDocument.Person(
                id: message.author.id, name: message.member?.nick ?? message.author.displayName,
                color: roleColor(message.member?.roles ?? []), isBot: isBot)
            let before = tickets.ticket(inChannel: channelID)?.firstStaffResponseAt
            let sentAt = DiscordTimestamp.date(from: message.timestamp) ?? services.now()
            if let ticket = tickets.recordMessage(
                inChannel: channelID, authorID: message.author.id, authorIsBot: isBot, at: sentAt),
                !isBot
            {
                if before == nil, let first = ticket.firstStaffResponseAt {
                    services.metrics.firstResponseSeconds.record(first.timeIntervalSince(ticket.openedAt))
                }
                activityChanged()
            }
        case .messageUpdate:
            guard let edit = decodePayload(MessageEdit.self, frame, envelope), let content = edit.content,
                var message = captured[channelID]?[edit.id], message.content != content
            else { return }
            message.previousContents.append(message.content)
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

    /// The colour of the member's highest coloured role, as Discord shows names.
    private func roleColor(_ roles: [RoleID]) -> UInt32 {
        guard let discord else { return 0 }
        return roles.compactMap { discord.role($0) }.filter { $0.color != 0 }.max { $0.position < $1.position }?
            .color ?? 0
    }
}
