import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// Panels: posting one with `/ticket-setup` or from the dashboard, suggesting them in the command's
/// autocomplete, keeping posted panels in step with their configuration, and forgetting deleted ones.
extension GuildActor {
    // MARK: - /ticket-setup

    /// Runs `/ticket-setup`'s `SetupWorkflow` for the panel the admin chose, performing each effect it asks for.
    func setupPanel(_ interaction: Interaction) {
        guard let member = interaction.member, let user = member.user, let channelID = interaction.channelId else {
            return
        }
        let (workflow, first) = SetupWorkflow.begin(
            userID: user.id, channelID: channelID, permissions: member.permissions)
        if case .refuse(let text) = first {
            reply(to: interaction, TicketMessages.ephemeral(text))
            return
        }
        let choice = interaction.data?.options?.first { $0.name == TicketMessages.setupPanelOption }?.value
        guard let panel = chosenPanel(choice) else {
            reply(
                to: interaction,
                TicketMessages.ephemeral(
                    tickets.config.panels.isEmpty
                        ? "This server has no ticket panels. Create one on the dashboard first."
                        : "There is no panel with that name. Pick one from the list, or create it on the dashboard."))
            return
        }
        Task {
            var setup = workflow
            var effect: SetupWorkflow.Effect? = first
            while let current = effect {
                effect = setup.next(after: await self.perform(current, panel: panel, for: interaction))
            }
        }
    }

    /// The panel an option value names: its ID (what the autocomplete fills in) or its name; the first panel
    /// when the option was left out.
    private func chosenPanel(_ value: JSONScalar?) -> TicketPanel? {
        let panels = tickets.config.panels
        switch value {
        case nil: return panels.first
        case .string(let text):
            if let id = OutsideNumber.integer(text, in: TicketType.idRange), let panel = tickets.config.panel(id) {
                return panel
            }
            return panels.first { $0.name.lowercased() == text.trimmingCharacters(in: .whitespaces).lowercased() }
        case .integer(let id): return panels.first { Int64($0.id) == id }
        default: return nil
        }
    }

    private func perform(
        _ effect: SetupWorkflow.Effect, panel: TicketPanel, for interaction: Interaction
    ) async -> SetupWorkflow.Outcome {
        switch effect {
        case .refuse(let text):
            reply(to: interaction, TicketMessages.ephemeral(text))
        case .storeCommand:
            await persistQuietly("recording /ticket-setup")
        case .acknowledge:
            do {
                try await discordAPI.createInteractionResponse(
                    interaction.id, token: interaction.token,
                    InteractionResponse(type: .deferredChannelMessageWithSource, data: .init(flags: .ephemeral)))
            } catch {
                logger.warning("could not acknowledge /ticket-setup: \(error)")
                recordFailure(error)
                return .failed
            }
        case .postPanel(let channelID):
            do {
                try await post(panel, in: channelID)
                CrashPoint.reached(.panelPosted)
            } catch {
                recordFailure(error, missing: "View Channel, Send Messages and Embed Links in <#\(channelID)>")
                return .refused(error)
            }
        case .deleteReply:
            try? await discordAPI.deleteOriginalInteractionResponse(services.applicationID, token: interaction.token)
        case .auditSetup(let userID, let channelID):
            await audit(AuditEntry.panelPosted(panel.name, by: userID, in: channelID))
        case .tellAdmin(let text):
            _ = try? await discordAPI.editOriginalInteractionResponse(
                services.applicationID, token: interaction.token, .init(content: text))
        case .reportProblem(let title, let detail):
            await audit(AuditEntry.problem(title, detail: detail))
        }
        return .succeeded
    }

    /// Posts `panel` and remembers where, so later edits of the panel reach the message.
    private func post(_ panel: TicketPanel, in channelID: ChannelID) async throws(DiscordRESTError) {
        let message = try await discordAPI.createMessage(channelID, TicketMessages.panel(panel, config: tickets.config))
        tickets.placePanel(PanelPlacement(panelID: panel.id, channelID: channelID, messageID: message.id))
        await persistQuietly("remembering the panel posted in \(channelID)")
    }

    /// The dashboard's "Post" button. Throws Discord's refusal (shown on the page).
    func postPanel(_ panelID: Int, in channelID: ChannelID, by userID: UserID?) async throws {
        guard let panel = tickets.config.panel(panelID) else {
            throw TicketConfigValidationError(problems: [TicketConfigProblem(.general, "this panel no longer exists")])
        }
        do {
            try await post(panel, in: channelID)
        } catch {
            recordFailure(error, missing: "View Channel, Send Messages and Embed Links in <#\(channelID)>")
            throw error
        }
        CrashPoint.reached(.panelPosted)
        await audit(AuditEntry.panelPosted(panel.name, by: userID, in: channelID))
    }

    // MARK: - Autocomplete

    /// Suggests the guild's panels whose names contain what the admin typed (Discord shows at most 25).
    /// Panel names are the admins' (members never see them): only those who may run `/ticket-setup`
    /// (Administrator, as `SetupWorkflow` requires) get suggestions; anyone else whose client asks gets none.
    func suggestPanels(_ interaction: Interaction) {
        let mayRunSetup = interaction.member?.permissions?.contains(.administrator) == true
        let typed: String
        if case .string(let text) = interaction.data?.options?.first(where: { $0.focused == true })?.value {
            typed = text.lowercased()
        } else {
            typed = ""
        }
        let choices = tickets.config.panels.filter {
            mayRunSetup && (typed.isEmpty || $0.name.lowercased().contains(typed))
        }
        .prefix(25).map { CommandChoice(name: $0.name, value: String($0.id)) }
        let discordAPI = self.discordAPI
        Task {
            do {
                try await discordAPI.createInteractionResponse(
                    interaction.id, token: interaction.token, .autocomplete(Array(choices)))
            } catch {
                logger.warning("could not suggest panels: \(error)")
            }
        }
    }

    // MARK: - Keeping posted panels current

    /// After a settings change: every posted panel whose message would look different now is edited (its
    /// panel or one of its types changed; every one when `old` is unknown, after a restart); a panel deleted
    /// from the dashboard loses its buttons; a message deleted in Discord is forgotten. The revision reached is
    /// stored, so a restart in between edits them again rather than leaving them stale.
    func refreshPostedPanels(from old: TicketConfig?) async {
        let revision = tickets.settingsRevision
        for placement in tickets.panelPlacements {
            let newPanel = tickets.config.panel(placement.panelID)
            let after = newPanel.map { TicketMessages.panel($0, config: tickets.config) }
            if let old {
                let before = old.panel(placement.panelID).map { TicketMessages.panel($0, config: old) }
                guard before?.embeds != after?.embeds || before?.components != after?.components else { continue }
            }
            // A deleted panel keeps its look but loses its buttons.
            let edit = after ?? MessageRequest(components: [], allowedMentions: AllowedMentions())
            do {
                _ = try await discordAPI.editMessage(placement.channelID, placement.messageID, edit)
                if newPanel == nil { tickets.forgetPanelMessage(placement.messageID) }
            } catch  where error.kind == .unknownMessage || error.kind == .unknownChannel {
                tickets.forgetPanelMessage(placement.messageID)
            } catch {
                logger.warning("could not update the panel in \(placement.channelID): \(error)")
                recordFailure(error, missing: "View Channel and Send Messages in <#\(placement.channelID)>")
                return  // tried again after the next change or restart
            }
        }
        tickets.panelsRefreshed(upTo: revision)
        await persistQuietly("updating posted panels")
    }

    /// MESSAGE_DELETE in a channel holding a posted panel.
    func panelMessageDeleted(_ messageID: MessageID) {
        guard let placement = tickets.forgetPanelMessage(messageID) else { return }
        logger.info("panel message \(messageID) in \(placement.channelID) was deleted")
        activityChanged()
    }
}
