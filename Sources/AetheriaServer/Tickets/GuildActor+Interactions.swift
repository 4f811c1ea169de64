import DiscordModels
import DiscordREST
import Foundation
import TicketCore

extension GuildActor {
    func interactionReceived(_ interaction: Interaction) {
        switch interaction.type {
        case .applicationCommand where interaction.data?.name == TicketMessages.setupCommandName:
            setupPanel(interaction)
        case .messageComponent where interaction.data?.customId == TicketMessages.openButtonID:
            openTicket(interaction)
        case .messageComponent where interaction.data?.customId == TicketMessages.closeButtonID:
            closeTicket(interaction)
        default:
            break  // someone else's command or component
        }
    }

    // MARK: - /ticket-setup

    private func setupPanel(_ interaction: Interaction) {
        guard let member = interaction.member, let user = member.user, let channelID = interaction.channelId else {
            return
        }
        // Discord hides the command from non-admins by default, but a server can change that: check again.
        guard member.permissions?.contains(.administrator) == true else {
            reply(to: interaction, TicketMessages.ephemeral("Only server administrators can set up the ticket panel."))
            return
        }
        let guildName = discord?.name ?? "this server"
        Task {
            let rest = services.rest
            let applicationID = services.applicationID
            do {
                try await rest.createInteractionResponse(
                    interaction.id, token: interaction.token,
                    InteractionResponse(type: .deferredChannelMessageWithSource, data: .init(flags: .ephemeral)))
            } catch {
                logger.warning("could not acknowledge /ticket-setup: \(error)")
                services.metrics.failure(Self.failureKind(error))
                return
            }
            do throws(DiscordRESTError) {
                _ = try await rest.createMessage(channelID, TicketMessages.panel(guildName: guildName))
                // The command leaves nothing behind: its deferred reply goes once the panel is up.
                try? await rest.deleteOriginalInteractionResponse(applicationID, token: interaction.token)
                await audit(AuditEntry.setupUsed(by: user.id, in: channelID))
            } catch {
                services.metrics.failure(Self.failureKind(error))
                let text =
                    error.kind == .missingPermissions || error.kind == .missingAccess
                    ? "I can't post in this channel: give me **View Channel**, **Send Messages** and **Embed Links** here, then run `/ticket-setup` again."
                    : "Posting the panel failed (\(error.message)). Please try again."
                _ = try? await rest.editOriginalInteractionResponse(
                    applicationID, token: interaction.token, .init(content: text))
                await audit(
                    AuditEntry.problem("Ticket panel could not be posted", detail: "<#\(channelID)>: \(error.message)"))
            }
        }
    }

    // MARK: - Replies

    /// Answers an interaction with a message (used for refusals and short answers).
    func reply(to interaction: Interaction, _ message: MessageRequest) {
        let rest = services.rest
        Task {
            do {
                try await rest.createInteractionResponse(
                    interaction.id, token: interaction.token,
                    InteractionResponse(type: .channelMessageWithSource, data: message))
            } catch {
                logger.warning("could not answer an interaction: \(error)")
                services.metrics.failure(Self.failureKind(error))
            }
        }
    }

    /// Posts to the moderation log, if one is configured. Never fails the caller.
    func audit(_ embed: Embed) async {
        guard let channelID = tickets.config.logChannelID else { return }
        do {
            _ = try await services.rest.createMessage(
                channelID, MessageRequest(embeds: [embed], allowedMentions: AllowedMentions()))
        } catch {
            services.metrics.failure("audit_log")
            logger.warning("could not post to the moderation log: \(error)")
        }
    }

    /// A fixed word for the failure metric (never free text: labels must stay few).
    static func failureKind(_ error: any Error) -> String {
        guard let error = error as? DiscordRESTError else { return "internal" }
        return switch error.kind {
        case .missingPermissions: "missing_permissions"
        case .missingAccess: "missing_access"
        case .unknownInteraction: "interaction_expired"
        case .unknownChannel: "unknown_channel"
        case .invalidFormBody: "invalid_form_body"
        default: "rest"
        }
    }
}
