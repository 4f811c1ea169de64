import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// After a close: the transcript goes to the guild's transcripts channel as an HTML file, and to the member
/// by DM (when the type says so) with the buttons to rate the ticket. A transcript over Discord's upload limit
/// is linked instead. A member who does not accept DMs is not an error, and never counts toward the guild's
/// pause (that is the member's choice, not a permission the guild took from the bot).
extension GuildActor {
    func deliverTranscript(of ticket: Ticket) async {
        let number = ticket.transcriptNumber ?? ticket.number
        let type = tickets.type(of: ticket)
        let html: [UInt8]?
        do {
            html = try await services.transcriptStore.html(guildID: guildID, ticketNumber: number)
        } catch {
            logger.warning("ticket #\(ticket.number): transcript not readable for delivery: \(error)")
            html = nil
        }
        let files =
            html.flatMap { bytes -> [FileUpload]? in
                guard bytes.count <= FileUpload.sizeLimit else { return nil }
                return [FileUpload(filename: "transcript-\(number).html", contentType: "text/html", bytes: bytes)]
            } ?? []
        let url = services.transcriptURL(guildID: guildID, number: number)
        if let channelID = tickets.config.logRouting[.transcripts] {
            do {
                _ = try await discordAPI.createMessage(
                    channelID,
                    TicketMessages.transcriptPost(ticket, number: number, url: url, attached: !files.isEmpty),
                    files: files)
                services.metrics.transcriptDelivered("channel")
                CrashPoint.reached(.transcriptPosted)
            } catch {
                logger.warning("ticket #\(ticket.number): transcript not posted to the transcripts channel: \(error)")
                recordFailure(error, missing: "View Channel, Send Messages and Attach Files in the transcripts channel")
            }
        }
        guard type.sendsTranscriptToOpener || type.asksForFeedback else { return }
        let message = TicketMessages.transcriptDirectMessage(
            ticket, guildID: guildID, guildName: discord?.name ?? "the server", number: number,
            attached: type.sendsTranscriptToOpener && !files.isEmpty, asksForRating: type.asksForFeedback)
        do {
            let channel = try await discordAPI.createDirectMessageChannel(ticket.openerID)
            _ = try await discordAPI.createMessage(
                channel.id, message, files: type.sendsTranscriptToOpener ? files : [])
            services.metrics.transcriptDelivered("member")
        } catch {
            // 50007: the member does not accept DMs from this server's members (or left it). Not the guild's fault.
            services.metrics.failure(error.code == 50007 ? "dm_closed" : "dm_failed")
            logger.info("ticket #\(ticket.number): the member's DM was not delivered: \(error)")
        }
    }
}
