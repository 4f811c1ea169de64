import DiscordModels
import Foundation
import TicketCore

/// A ticket channel Discord would not create: look whether it exists after all (a lost answer), otherwise give
/// the number back, tell the member in words they can act on and the staff in the moderation log, and count
/// the refusal against the guild's pause.
extension GuildActor {
    func creationFailed(
        _ opening: Ticket, error: DiscordRESTError, marker: TicketMarker, acknowledgement: Task<Acknowledgement, Never>?
    ) async {
        switch error.kind {
        case .transport, .serverError:
            // The channel may exist even though the answer was lost: look before giving up.
            if let channels = try? await discordAPI.getGuildChannels(guildID),
                let existing = channels.first(where: { $0.topic.flatMap(TicketMarker.init(topic:)) == marker })
            {
                await channelCreated(existing, for: opening, acknowledgement: acknowledgement, notes: [])
                return
            }
        default:
            break
        }
        tickets.abandonOpening(number: opening.number)
        await persistQuietly("abandoning ticket #\(opening.number)")
        recordFailure(
            error, missing: "Manage Channels (or access to the ticket category)", kind: Self.creationFailureKind(error))
        let text: String
        let problem: String
        if error.fieldErrors.contains(where: { $0.code == "CHANNEL_PARENT_MAX_CHANNELS" }) {
            text =
                "Sorry, the ticket category is full (Discord allows 50 channels per category). The staff have been told."
            problem = "The ticket category is full (50 channels). Close old tickets or choose another category."
        } else if error.kind == .missingPermissions || error.kind == .missingAccess {
            text = "Sorry, I'm missing the permission to create ticket channels here. The staff have been told."
            problem =
                "Aetheria lacks **Manage Channels** (or access to the ticket category) and could not create a ticket for <@\(opening.openerID)>."
        } else if error.code == 30013 {
            text = "Sorry, this server has reached Discord's limit of 500 channels. The staff have been told."
            problem = "The server has 500 channels; no ticket channel can be created."
        } else {
            text = "Sorry, your ticket could not be created (\(error.message)). Please try again."
            problem = "Creating a ticket for <@\(opening.openerID)> failed: \(error.message)"
        }
        logger.warning("ticket #\(opening.number) could not be created: \(error)")
        await tellOpener(opening, acknowledgement, text)
        await audit(AuditEntry.problem("A ticket could not be created", detail: problem))
    }

    static func creationFailureKind(_ error: DiscordRESTError) -> String {
        if error.fieldErrors.contains(where: { $0.code == "CHANNEL_PARENT_MAX_CHANNELS" }) { return "category_full" }
        if error.code == 30013 { return "guild_channels_full" }
        return failureKind(error)
    }
}
