import DiscordModels
import DiscordREST
import Foundation
import TicketCore

extension GuildActor {
    func interactionReceived(_ interaction: Interaction) {
        let component = interaction.data?.customId.flatMap(TicketComponentID.init)
        let isSetup = interaction.data?.name == TicketMessages.setupCommandName
        let isStaffCommand = interaction.data?.name == StaffCommand.commandName
        guard isSetup || isStaffCommand || component != nil else { return }  // someone else's command or component
        if interaction.type == .autocomplete {
            if isSetup { suggestPanels(interaction) }  // a suggestion changes nothing: replays are harmless
            return
        }
        // A redelivered or replayed interaction was handled already (remembered with the snapshot): doing it
        // again could open a second channel or post a second panel.
        guard tickets.firstDelivery(of: interaction.id, now: services.now()) else {
            services.metrics.failure("interaction_replayed")
            return
        }
        activityChanged()  // the handled ID is stored with the next write (at once for opening and closing)
        // Only names Discord vouches for are remembered (and so shown in transcripts and on the dashboard): the
        // invoker's, and members looked up over REST (`memberView`). The interaction's `resolved` users are
        // whatever the client sent, and renamed people in the bot's memory.
        if let user = interaction.member?.user { remember(user, as: interaction.member) }
        switch (interaction.type, component) {
        case (.applicationCommand, _) where isSetup:
            setupPanel(interaction)
        case (.applicationCommand, _) where isStaffCommand:
            staffCommandReceived(interaction)
        case (.messageComponent, .open?), (.messageComponent, .choose?):
            // Checked against the panel the click came from, never the interaction's word for the type.
            guard
                let type = tickets.typeOffered(
                    by: interaction.message.map(PanelMessage.init), choice: component,
                    selectedValue: interaction.data?.values?.first, botID: services.botUserID)
            else { return refuseUnofferedType(interaction) }
            openRequested(interaction, type: type)
        case (.modalSubmit, .form(let typeID)):
            // The questions modal opens only a type the panel it came from offers (a forged submission could
            // name any type's form, hidden ones included).
            guard
                tickets.typeOffered(
                    by: interaction.message.map(PanelMessage.init), formTypeID: typeID, botID: services.botUserID)
                    != nil
            else { return refuseUnofferedType(interaction) }
            formSubmitted(interaction, typeID: typeID)
        case (.messageComponent, .close):
            closeButtonClicked(interaction)
        case (.modalSubmit, .closeReason):
            closeReasonSubmitted(interaction)
        case (.messageComponent, .closeRequestAnswer(let accept)):
            closeRequestAnswered(interaction, accept: accept)
        default:
            break  // a component of ours in the wrong kind of interaction: forged or stale
        }
    }

    /// A click or a form naming a type its panel does not offer: forged, or a panel edited since.
    func refuseUnofferedType(_ interaction: Interaction) {
        services.metrics.failure("type_not_offered")
        reply(
            to: interaction,
            TicketMessages.ephemeral(
                "This panel does not offer that kind of ticket (any more). Use a button or menu on a current panel."))
    }

    // MARK: - Replies

    /// Answers an interaction with a message (used for refusals and short answers).
    func reply(to interaction: Interaction, _ message: MessageRequest) {
        let discordAPI = self.discordAPI
        Task {
            do {
                try await discordAPI.createInteractionResponse(
                    interaction.id, token: interaction.token,
                    InteractionResponse(type: .channelMessageWithSource, data: message))
            } catch {
                logger.warning("could not answer an interaction: \(error)")
                self.recordFailure(error)
            }
        }
    }

    /// Posts to the moderation-log channel of the entry's kind, if one is configured. Never fails the caller.
    func audit(_ entry: AuditEntry) async {
        guard let channelID = tickets.config.logRouting[entry.kind] else { return }
        do {
            _ = try await discordAPI.createMessage(
                channelID, MessageRequest(embeds: [entry.embed], allowedMentions: AllowedMentions()))
        } catch {
            services.metrics.failure("audit_log")
            logger.warning("could not post to the moderation log: \(error)")
            if Self.isRefusal(error) {
                _ = pause.recordRefusal(
                    missing: "View Channel, Send Messages and Embed Links in the moderation log channel",
                    now: services.now())
            }
        }
    }

    /// Counts a failed REST call in the failure metric and, when Discord refused for want of a permission or
    /// access, in the guild's pause: after a few such refusals the guild pauses itself and its admins are told
    /// once, in their own moderation log, what is missing.
    func recordFailure(
        _ error: any Error, missing permission: String = "a permission the action needs", kind: String? = nil
    ) {
        services.metrics.failure(kind ?? Self.failureKind(error))
        guard let error = error as? DiscordRESTError, Self.isRefusal(error) else { return }
        guard pause.recordRefusal(missing: permission, now: services.now()) else { return }
        services.metrics.failure("guild_paused")
        logger.warning("pausing this guild's tickets after repeated refusals from Discord: missing \(permission)")
        Task {
            await self.audit(
                AuditEntry.problem(
                    "Tickets are paused",
                    detail:
                        "Discord refused Aetheria several times in a few minutes: it is missing **\(permission)**. New tickets are paused for up to 10 minutes, or until the roles or channels change or the settings are saved, so that this server cannot get the bot rate-limited for everyone."
                ))
        }
    }

    /// Whether Discord (or the rate limiter, on this guild's behalf) refused for a reason the guild controls.
    static func isRefusal(_ error: DiscordRESTError) -> Bool {
        switch error.kind {
        case .missingPermissions, .missingAccess: true
        case .refusedByRateLimiter: error.message.contains("guild")
        default: error.status == 403
        }
    }

    /// Something an admin did may have fixed the cause of a pause.
    func liftPause(because reason: String) {
        guard pause.pausedUntil != nil else { return }
        pause.lift()
        logger.info("ticket pause lifted: \(reason)")
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
