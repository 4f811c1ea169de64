import DiscordModels
import DiscordREST
import Foundation
import TicketCore

extension GuildActor {
    /// A member asked for a ticket of `type` (a button, a select menu or a submitted questions modal). The
    /// limit, the cooldown and replays are checked and the intent recorded in this synchronous turn; the
    /// interaction is acknowledged at once; the channel is made after the intent is stored.
    func openTicket(_ interaction: Interaction, type: TicketType, answers: [TicketAnswer]?) {
        guard let member = interaction.member, let user = member.user else { return }
        let now = services.now()
        if let refusal = pausedRefusal() {
            // Trying again now would only earn more refusals: say why instead, without touching Discord.
            reply(to: interaction, TicketMessages.ephemeral(refusal))
            return
        }
        let decision = tickets.requestOpen(
            type: type, openerID: user.id, openerRoles: member.roles, openerName: user.username,
            interaction: .init(id: interaction.id, token: interaction.token, receivedAt: now), answers: answers,
            now: now)
        switch decision {
        case .alreadyOpen(let ticket) where ticket.state == .opening && ticket.channelID == nil:
            // The member's other ticket is still being made, and may yet fail (a replayed click Discord refuses,
            // a missing permission): saying "you already have one" now could point at a ticket that never
            // comes. Acknowledge, wait for it to settle, then answer — or open this one.
            let acknowledgement = acknowledge(interaction, ephemeral: true)
            Task {
                await self.answerAfterEarlierOpening(
                    ticket.number, interaction, type: type, answers: answers, acknowledgement)
            }
        case .duplicateInteraction:
            break  // the first delivery is being (or was) answered
        case .create(let ticket):
            Task { await self.open(ticket, from: interaction) }
        case .alreadyOpen, .coolingDown, .blocked, .guildBusy:
            refuseOpening(interaction, decision)
        }
    }

    /// Tells the member why no ticket opens (privately), counts it, and logs the guild reaching its openings
    /// limit once per window.
    func refuseOpening(_ interaction: Interaction, _ decision: GuildTickets.OpenDecision) {
        guard let text = TicketMessages.openRefusal(decision) else { return }
        reply(to: interaction, TicketMessages.ephemeral(text))
        switch decision {
        case .blocked: services.metrics.failure("open_blocked")
        case .guildBusy(let until):
            services.metrics.failure("open_limit_reached")
            guard openingsLimitReportedUntil.map({ $0 < until }) ?? true else { return }
            openingsLimitReportedUntil = until
            let limit = tickets.config.access.openingsPerWindow
            Task {
                await self.audit(
                    AuditEntry.problem(
                        "New tickets are limited",
                        detail:
                            "This server opened its limit of \(limit) tickets in 10 minutes. Members who click now are asked to wait until \(TicketMessages.relativeTime(until)). Change the limit on the dashboard's settings page."
                    ))
            }
        default: break
        }
    }

    /// A click that met the member's ticket still being created: waits (at most `earlierOpeningPatience`) until that one has its
    /// channel or was abandoned, then points to it, or opens this click's ticket with its acknowledgement.
    /// How long a click waits for the member's earlier opening to settle.
    static let earlierOpeningPatience: Duration = .seconds(30)

    private func answerAfterEarlierOpening(
        _ earlier: Int, _ interaction: Interaction, type: TicketType, answers: [TicketAnswer]?,
        _ acknowledgement: Task<Acknowledgement, Never>
    ) async {
        // The earlier opening settles within its acknowledgement's request timeout (15 s) plus the channel's
        // creation; the member meanwhile sees "thinking…" (their token lasts 15 minutes). A count of short sleeps
        // gave up too soon on a loaded machine and answered "you already have one" for a ticket that then failed.
        let deadline = ContinuousClock.now + Self.earlierOpeningPatience
        while ContinuousClock.now < deadline {
            let ticket = tickets.ticket(number: earlier)
            if ticket == nil || ticket?.channelID != nil { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        guard await acknowledgement.value.wasSent, let user = interaction.member?.user else { return }
        let now = services.now()
        let decision = tickets.requestOpen(
            type: type, openerID: user.id, openerRoles: interaction.member?.roles ?? [], openerName: user.username,
            interaction: .init(id: interaction.id, token: interaction.token, receivedAt: now), answers: answers,
            now: now)
        let text: String
        switch decision {
        case .create(let ticket):
            do {
                try await persist()
            } catch {
                tickets.abandonOpening(number: ticket.number)
                _ = await editReply(token: interaction.token, OpenWorkflow.storageUnavailable, ticket: ticket.number)
                return
            }
            await createChannel(for: ticket, acknowledgement: acknowledgement)
            return
        case .duplicateInteraction:
            return
        case .alreadyOpen, .coolingDown, .blocked, .guildBusy:
            text = TicketMessages.openRefusal(decision) ?? ""
        }
        do {
            _ = try await discordAPI.editOriginalInteractionResponse(
                services.applicationID, token: interaction.token,
                MessageRequest(content: text, allowedMentions: AllowedMentions()))
        } catch {
            logger.warning("could not answer a click that waited for an earlier opening: \(error)")
        }
    }

    /// The intent is stored before anything is said to Discord (a crash from here on is finished by the
    /// reconciliation after the restart, with the stored interaction token), then the click is acknowledged,
    /// then the channel is made.
    private func open(_ ticket: Ticket, from interaction: Interaction) async {
        do {
            try await persist()
        } catch {
            // Not stored, so not promised: undo and say so.
            tickets.abandonOpening(number: ticket.number)
            reply(
                to: interaction,
                TicketMessages.ephemeral(OpenWorkflow.storageUnavailable))
            return
        }
        CrashPoint.reached(.openingRecorded)
        await createChannel(for: ticket, acknowledgement: acknowledge(interaction, ephemeral: true))
    }

    /// How the deferred acknowledgement went (`AcknowledgementResult`).
    typealias Acknowledgement = AcknowledgementResult

    /// Sends the deferred acknowledgement (type 5) at once, so Discord's 3-second deadline is met however
    /// long the channel takes; later steps edit that reply.
    /// Finishes a deferred reply (`acknowledge`) by editing the original response, if the acknowledgement
    /// reached Discord; a failure is only logged (the action itself is done).
    func finishReply(
        _ reply: (token: String, acknowledgement: Task<Acknowledgement, Never>)?, _ message: MessageRequest
    ) async {
        guard let reply, await reply.acknowledgement.value.wasSent else { return }
        do {
            _ = try await discordAPI.editOriginalInteractionResponse(
                services.applicationID, token: reply.token, message)
        } catch {
            logger.warning("could not finish the reply to an interaction: \(error)")
        }
    }

    func acknowledge(_ interaction: Interaction, ephemeral: Bool) -> Task<Acknowledgement, Never> {
        let discordAPI = self.discordAPI
        let metrics = services.metrics
        let started = ContinuousClock.now
        return Task {
            do {
                try await discordAPI.createInteractionResponse(
                    interaction.id, token: interaction.token,
                    InteractionResponse(
                        type: .deferredChannelMessageWithSource, data: .init(flags: ephemeral ? .ephemeral : nil)))
                metrics.ackLatency.recordNanoseconds(Int64((ContinuousClock.now - started).nanosecondsRounded))
                return .sent
            } catch {
                self.recordFailure(error)
                logger.warning("could not acknowledge an interaction: \(error)")
                let kind = (error as? DiscordRESTError)?.kind
                return kind == .alreadyAcknowledged || kind == .unknownInteraction ? .refused : .failed
            }
        }
    }

    /// Makes the channel of an `opening` ticket by running its `OpenWorkflow`: also called after a restart
    /// for an interrupted opening (without an acknowledgement: the stored token finishes the member's reply).
    func createChannel(for opening: Ticket, acknowledgement: Task<Acknowledgement, Never>?) async {
        guard openingsInProgress.insert(opening.number).inserted else { return }
        defer { openingsInProgress.remove(opening.number) }
        var workflow = OpenWorkflow(
            opening: opening,
            context: OpenWorkflow.Context(guildID: guildID, botID: services.botUserID, guild: discord))
        var effect: OpenWorkflow.Effect? = workflow.start(acknowledging: acknowledgement != nil)
        while let current = effect {
            let outcome = await perform(current, opening: opening, acknowledgement: acknowledgement)
            effect = workflow.next(after: outcome, tickets: &tickets, now: services.now())
        }
        activityChanged()
    }

    private func perform(
        _ effect: OpenWorkflow.Effect, opening: Ticket, acknowledgement: Task<Acknowledgement, Never>?
    ) async -> OpenWorkflow.Outcome {
        let number = opening.number
        switch effect {
        case .awaitAcknowledgement:
            return .acknowledgement(await acknowledgement?.value ?? .sent)
        case .storeOpening, .storeOpened:
            do {
                try await persist()
                return .succeeded
            } catch {
                if case .storeOpened = effect {
                    // Discord has the channel and its marker: the next reconciliation adopts it.
                    logger.error("ticket #\(number) channel created but not yet saved: \(error)")
                }
                return .failed
            }
        case .storeQuietly(let reason):
            await persistQuietly(reason)
            return .succeeded
        case .reportProblem(let problem):
            if let kind = problem.failureKind { services.metrics.failure(kind) }
            await audit(AuditEntry.problem(problem.title, detail: problem.detail))
            return .succeeded
        case .createChannel(let request, let reason):
            do {
                let channel = try await discordAPI.createGuildChannel(guildID, request, reason: reason)
                CrashPoint.reached(.channelCreated)
                return .created(channel)
            } catch {
                return .refused(error)
            }
        case .findChannel(let marker):
            let channels = try? await discordAPI.getGuildChannels(guildID)
            let existing = channels?.first {
                $0.topic.flatMap(TicketMarker.init(topic:))?.isSameTicket(as: marker) == true
            }
            return existing.map(OpenWorkflow.Outcome.created) ?? .failed
        case .recordRefusal(let error, let kind):
            logger.warning("ticket #\(number) could not be created: \(error)")
            recordFailure(
                error, missing: "Manage Channels (or access to the ticket category)",
                kind: kind ?? Self.failureKind(error))
            return .succeeded
        case .countOpened:
            services.metrics.opened.increment()
            services.metrics.active.increment()
            return .succeeded
        case .postWelcome(let channelID, let ticket, let type):
            do {
                _ = try await discordAPI.createMessage(channelID, TicketMessages.welcome(ticket: ticket, type: type))
            } catch {
                logger.warning("could not post the welcome message of ticket #\(number): \(error)")
            }
            CrashPoint.reached(.welcomePosted)
            return .succeeded
        case .tellOpener(let token, let text):
            return await editReply(token: token, text, ticket: number) ? .succeeded : .failed
        case .auditCreated(let ticket):
            await audit(AuditEntry.created(ticket, type: tickets.type(of: ticket)))
            return .succeeded
        }
    }

    /// Finishes the member's deferred reply after a restart (the outbox), when its token is still valid.
    func tellOpener(_ ticket: Ticket, _ text: String) async {
        guard let interaction = ticket.openingInteraction,
            services.now().timeIntervalSince(interaction.receivedAt) < OpenWorkflow.replyLifetime
        else { return }
        _ = await editReply(token: interaction.token, text, ticket: ticket.number)
        if tickets.ticket(number: ticket.number) != nil {
            tickets.forgetOpeningInteraction(number: ticket.number)
            activityChanged()
        }
    }

    private func editReply(token: String, _ text: String, ticket number: Int) async -> Bool {
        do {
            _ = try await discordAPI.editOriginalInteractionResponse(
                services.applicationID, token: token, MessageRequest(content: text, allowedMentions: AllowedMentions()))
            return true
        } catch {
            logger.warning("could not finish the reply to ticket #\(number)'s opener: \(error)")
            return false
        }
    }
}

extension Duration {
    var nanosecondsRounded: Double {
        Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9
    }
}
