import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import TicketCore

/// Members rating their closed tickets from the DM Aetheria sent them. A DM's interaction has no guild, so it
/// reaches whichever process reads shard 0, not the guild's actor: everything here is checked against the
/// shared transcript store (the ticket exists, the clicker opened it, it closed less than a week ago, it was
/// not rated yet) and nothing in the button is trusted but as a key to look up. Star → comment modal → stored
/// once → the DM says thank you, the guild's transcripts channel gets an entry.
final class FeedbackDesk: Sendable {
    let services: TicketServices
    let directory: GuildDirectory

    init(services: TicketServices, directory: GuildDirectory) {
        self.services = services
        self.directory = directory
    }

    static let commentInputID = "comment"

    /// A gateway event without a guild (the router's `unrouted`): only our rating buttons and modals matter.
    func handle(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        guard envelope.event == .interactionCreate, let range = envelope.payloadRange,
            let interaction = try? DiscordJSON.decode(Interaction.self, from: Data(frame[range])),
            interaction.guildId == nil, let customID = interaction.data?.customId,
            let component = TicketComponentID(customID)
        else { return }
        switch (interaction.type, component) {
        case (.messageComponent, .rate(let guildID, let number, let stars)):
            Task { await self.starClicked(interaction, guildID: guildID, number: number, stars: stars) }
        case (.modalSubmit, .feedback(let guildID, let number, let stars)):
            Task { await self.commentSubmitted(interaction, guildID: guildID, number: number, stars: stars) }
        default:
            break
        }
    }

    /// Why `userID` cannot rate ticket `number` of `guildID` now; `nil` with the record when they can.
    private func check(
        guildID: GuildID, number: Int, userID: UserID
    ) async -> Result<TranscriptRecord, RatingRefusal> {
        do {
            guard let record = try await services.transcriptStore.record(guildID: guildID, ticketNumber: number),
                record.openerID == userID
            else { return .failure(.init("This ticket can no longer be rated.")) }
            guard services.now().timeIntervalSince(record.closedAt) <= TicketRating.window else {
                return .failure(.init("Tickets can be rated for a week after they close."))
            }
            if try await services.transcriptStore.rating(guildID: guildID, ticketNumber: number) != nil {
                return .failure(.init("You already rated this ticket. Thank you!"))
            }
            return .success(record)
        } catch {
            services.logger.warning("rating of ticket #\(number) in \(guildID) not checked: \(error)")
            return .failure(.init("Ratings are unavailable right now; please try again in a moment."))
        }
    }

    struct RatingRefusal: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private func starClicked(_ interaction: Interaction, guildID: GuildID, number: Int, stars: Int) async {
        guard let user = interaction.invoker else { return }
        switch await check(guildID: guildID, number: number, userID: user.id) {
        case .failure(let refusal):
            await tell(interaction, refusal.message)
        case .success:
            let modal = InteractionResponse.Modal(
                customId: TicketComponentID.feedback(guildID: guildID, number: number, stars: stars).customID,
                title: "Ticket #\(number): " + String(repeating: "★", count: stars),
                components: [
                    .actionRow([
                        .textInput(
                            customId: Self.commentInputID, label: "Anything you want to tell us?", paragraph: true,
                            placeholder: "Optional", minLength: nil, maxLength: TicketRating.commentLength.upperBound,
                            required: false)
                    ])
                ])
            await answer(interaction, .modal(modal))
        }
    }

    private func commentSubmitted(_ interaction: Interaction, guildID: GuildID, number: Int, stars: Int) async {
        guard let user = interaction.invoker else { return }
        let record: TranscriptRecord
        switch await check(guildID: guildID, number: number, userID: user.id) {
        case .failure(let refusal):
            return await tell(interaction, refusal.message)
        case .success(let found):
            record = found
        }
        let input = (interaction.data?.components ?? []).flatMap(\.flattened).first {
            $0.type == .textInput && $0.customId == Self.commentInputID
        }
        let text = (input?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let rating = TicketRating(
            stars: stars, comment: text.isEmpty ? nil : String(text.prefix(TicketRating.commentLength.upperBound)),
            typeID: record.typeID, staffID: record.staffID, at: services.now())
        do {
            guard try await services.transcriptStore.rate(guildID: guildID, ticketNumber: number, rating) else {
                return await tell(interaction, "You already rated this ticket. Thank you!")
            }
        } catch {
            services.logger.warning("rating of ticket #\(number) in \(guildID) not stored: \(error)")
            return await tell(interaction, "Your rating could not be saved; please try again.")
        }
        services.metrics.rated(stars: stars)
        // The DM loses its buttons and says thank you (the modal came from its button, so it can be updated).
        await answer(
            interaction,
            InteractionResponse(
                type: .updateMessage,
                data: MessageRequest(
                    embeds: [
                        Embed(
                            title: "Thank you!",
                            description: "You rated ticket **#\(number)** \(TicketMessages.stars(stars)).",
                            color: TicketMessages.successColor)
                    ], components: [], allowedMentions: AllowedMentions())))
        await logRating(rating, record: record, guildID: guildID)
    }

    /// The rating in the guild's transcripts channel: through the guild's actor when this process runs it,
    /// else from the guild's stored configuration.
    private func logRating(_ rating: TicketRating, record: TranscriptRecord, guildID: GuildID) async {
        let entry = AuditEntry.rated(rating, record: record)
        if let actor = directory.actor(for: guildID) {
            await actor.audit(entry)
            return
        }
        do {
            guard let snapshot = try await services.guildStore.load(guildID),
                let channelID = try GuildTicketsCodec.decode(snapshot.payload, guildID: guildID).config.logRouting[
                    entry.kind]
            else { return }
            _ = try await services.discordAPI.accountable(to: guildID).createMessage(
                channelID, MessageRequest(embeds: [entry.embed], allowedMentions: AllowedMentions()))
        } catch {
            services.logger.warning("the rating of ticket #\(record.ticketNumber) was not logged: \(error)")
        }
    }

    /// A private answer to the member.
    private func tell(_ interaction: Interaction, _ text: String) async {
        await answer(
            interaction, InteractionResponse(type: .channelMessageWithSource, data: TicketMessages.ephemeral(text)))
    }

    private func answer(_ interaction: Interaction, _ response: InteractionResponse) async {
        do {
            try await services.discordAPI.createInteractionResponse(interaction.id, token: interaction.token, response)
        } catch {
            services.logger.warning("could not answer a rating interaction: \(error)")
        }
    }
}
