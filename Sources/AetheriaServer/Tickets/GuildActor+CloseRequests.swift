import DiscordModels
import DiscordREST
import Foundation
import NIOCore
import TicketCore

/// Closing with a reason from the button (a modal, when the ticket's type asks for one), close requests that
/// the member answers with buttons, and tickets that close by themselves (`GuildTickets+AutomaticClosing`).
extension GuildActor {
    /// The Close button: closes at once, or first asks for a reason in a modal when the type wants one (and
    /// the member may close: a refusal is said at once, not after they typed a reason).
    func closeButtonClicked(_ interaction: Interaction) {
        guard let channelID = interaction.channelId, let ticket = tickets.ticket(inChannel: channelID),
            ticket.state == .open, let member = interaction.member, let user = member.user
        else { return closeTicket(interaction) }
        let type = tickets.type(of: ticket)
        let isStaff = tickets.isStaff(roles: member.roles, permissions: member.permissions, for: type)
        guard type.closeReasonPrompt != .never,
            tickets.closeRefusal(of: ticket, closerID: user.id, closerIsStaff: isStaff) == nil
        else { return closeTicket(interaction) }
        let discordAPI = self.discordAPI
        let modal = CloseReasonForm.modal(required: type.closeReasonPrompt == .required)
        Task {
            do {
                try await discordAPI.createInteractionResponse(interaction.id, token: interaction.token, .modal(modal))
            } catch {
                logger.warning("could not show the close-reason form: \(error)")
                self.recordFailure(error)
            }
        }
    }

    /// The close-reason modal came back: the ticket closes with that reason (the rules are checked again).
    func closeReasonSubmitted(_ interaction: Interaction) {
        let reason = CloseReasonForm.reason(from: interaction.data?.components ?? [])
        if reason == nil, let channelID = interaction.channelId, let ticket = tickets.ticket(inChannel: channelID),
            tickets.type(of: ticket).closeReasonPrompt == .required
        {
            return reply(to: interaction, TicketMessages.ephemeral("Please say why the ticket is closed."))
        }
        closeTicket(interaction, reason: reason)
    }

    /// `/ticket close-request [reason]`: recorded and stored, then posted as the command's reply with the
    /// member's two buttons; the type's timeout (if any) closes the ticket when nobody answers.
    func closeRequested(_ interaction: Interaction, reason: String?, actorIsStaff: Bool) {
        guard let user = interaction.member?.user, let channelID = interaction.channelId else { return }
        switch tickets.recordCloseRequest(
            inChannel: channelID, by: user.id, actorIsStaff: actorIsStaff, reason: reason, id: interaction.id,
            now: services.now())
        {
        case .refused(let why):
            services.metrics.failure("staff_action_refused")
            reply(to: interaction, TicketMessages.ephemeral(why))
        case .requested(let request, let ticket):
            let acknowledgement = acknowledge(interaction, ephemeral: false)
            Task {
                let reply = (interaction.token, acknowledgement)
                do {
                    try await self.persist()
                } catch {
                    self.tickets.withdrawCloseRequest(request.id, number: ticket.number)
                    self.logger.error("ticket #\(ticket.number): close request not saved: \(error)")
                    await self.finishReply(
                        reply, TicketMessages.ephemeral("Storage is unavailable, so nothing was asked. Try again."))
                    return
                }
                self.services.metrics.staffAction("close_request")
                await self.finishReply(reply, TicketMessages.closeRequest(request, ticket: ticket))
                await self.audit(AuditEntry.closeRequest(request, ticket: ticket, answer: nil))
                self.scheduleAutomaticCloses()
            }
        }
    }

    /// The member clicked "Yes, close it" or "No, keep it open" under a close request.
    func closeRequestAnswered(_ interaction: Interaction, accept: Bool) {
        guard let user = interaction.member?.user, let channelID = interaction.channelId else { return }
        let request = tickets.ticket(inChannel: channelID)?.closeRequest
        switch tickets.answerCloseRequest(inChannel: channelID, by: user.id, accept: accept, now: services.now()) {
        case .refused(let why):
            reply(to: interaction, TicketMessages.ephemeral(why))
        case .stale:
            // The ticket closed another way (by itself, the Close button) or the request was answered: the
            // message loses its dead buttons, whoever clicked.
            let discordAPI = self.discordAPI
            Task {
                do {
                    try await discordAPI.createInteractionResponse(
                        interaction.id, token: interaction.token,
                        InteractionResponse(type: .updateMessage, data: TicketMessages.closeRequestStale))
                } catch {
                    self.logger.warning("could not update a stale close request: \(error)")
                }
            }
        case .accepted(let closing):
            // The request loses its buttons; the close then runs exactly as from the Close button.
            let acknowledgement = acknowledge(interaction, ephemeral: false)
            let discordAPI = self.discordAPI
            if let request, let messageID = interaction.message?.id {
                Task {
                    _ = try? await discordAPI.editMessage(
                        channelID, messageID,
                        TicketMessages.closeRequestAnswered(request, by: user.id, accepted: true))
                }
                Task { await self.audit(AuditEntry.closeRequest(request, ticket: closing, answer: true)) }
            }
            Task { await self.finishClose(closing.number, reply: (interaction.token, acknowledgement)) }
        case .declined(let ticket, let request):
            let discordAPI = self.discordAPI
            Task {
                await self.persistQuietly("declining the close request of ticket #\(ticket.number)")
                do {
                    try await discordAPI.createInteractionResponse(
                        interaction.id, token: interaction.token,
                        InteractionResponse(
                            type: .updateMessage,
                            data: TicketMessages.closeRequestAnswered(request, by: user.id, accepted: false)))
                } catch {
                    self.logger.warning("could not answer the close request's button: \(error)")
                    self.recordFailure(error)
                }
                await self.audit(AuditEntry.closeRequest(request, ticket: ticket, answer: false))
                self.scheduleAutomaticCloses()
            }
        }
    }

    // MARK: - Closing by itself

    /// The member who opened tickets here left the server: each is flagged or closed as its type says, recorded
    /// (and stored) before the notice, so a replayed event does nothing twice.
    func openerLeft(_ userID: UserID) {
        let changed = tickets.openerLeft(userID, now: services.now())
        guard !changed.isEmpty else { return }
        for (ticket, action) in changed {
            services.metrics.staffAction(action == .close ? "opener_left_close" : "opener_left_flag")
            switch action {
            case .close:
                Task { await self.finishClose(ticket.number, reply: nil) }
            case .flag:
                Task {
                    await self.persistQuietly("flagging ticket #\(ticket.number): its member left")
                    if let channelID = ticket.channelID {
                        let notice = MessageRequest(
                            embeds: [
                                Embed(
                                    title: "The member left the server",
                                    description:
                                        "<@\(userID)> is no longer in the server; they cannot read this ticket now.",
                                    color: TicketMessages.warningColor)
                            ], allowedMentions: AllowedMentions(),
                            nonce: TicketMessages.nonce("l", "\(channelID)", "\(userID)"))
                        _ = try? await self.discordAPI.createMessage(channelID, notice)
                    }
                    await self.audit(AuditEntry.openerLeft(ticket))
                }
            case .keep:
                break
            }
        }
    }

    /// Arms the one timer of this guild for its next automatic close (computed from the stored records, so a
    /// restart arms it again). It looks at least hourly, so a changed setting or clock is noticed.
    func scheduleAutomaticCloses() {
        automaticCloseTimer?.cancel()
        automaticCloseTimer = nil
        guard case .ready = phase, let next = tickets.nextAutomaticClose else { return }
        let wait = OutsideNumber.duration(seconds: next.timeIntervalSince(services.now()), maximum: .seconds(3_600))
        automaticCloseTimer = eventLoop.scheduleTask(in: TimeAmount(wait ?? .zero)) {
            Task { _ = await self.closeDueTickets() }
        }
    }

    /// Closes every ticket whose time to close by itself has come (the close workflow, as from a click, with
    /// no one to answer); returns how many began closing.
    func closeDueTickets() async -> Int {
        automaticCloseTimer = nil
        guard case .ready = phase else { return 0 }
        let due = tickets.closeDueTickets(now: services.now())
        for ticket in due {
            services.metrics.staffAction("auto_close")
            logger.info("ticket #\(ticket.number) closes by itself: \(ticket.closeReason ?? "")")
            Task { await self.finishClose(ticket.number, reply: nil) }
        }
        scheduleAutomaticCloses()
        return due.count
    }
}
