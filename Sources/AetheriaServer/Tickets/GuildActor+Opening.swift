import DiscordModels
import DiscordREST
import Foundation
import TicketCore

extension GuildActor {
    /// "Open Ticket" was clicked. The limit, the cooldown and replays are checked and the intent recorded in
    /// this synchronous turn; the click is acknowledged at once; the channel is made after the intent is stored.
    func openTicket(_ interaction: Interaction) {
        guard let member = interaction.member, let user = member.user else { return }
        let now = services.now()
        if pause.isPaused(now: now) {
            // Trying again now would only earn more refusals: say why instead, without touching Discord.
            reply(
                to: interaction,
                TicketMessages.ephemeral(
                    "Opening tickets is paused in this server for a few minutes: Aetheria is missing **\(pause.reason ?? "a permission")**. The staff have been told."
                ))
            return
        }
        let decision = tickets.requestOpen(
            openerID: user.id, openerName: user.username,
            interaction: .init(id: interaction.id, token: interaction.token, receivedAt: now), now: now)
        switch decision {
        case .alreadyOpen(let ticket) where ticket.state == .opening && ticket.channelID == nil:
            // The member's other ticket is still being made, and may yet fail (a replayed click Discord refuses,
            // a missing permission): saying "you already have one" now could point at a ticket that never
            // comes. Acknowledge, wait for it to settle, then answer — or open this one.
            let acknowledgement = acknowledge(interaction, ephemeral: true)
            Task { await self.answerAfterEarlierOpening(ticket.number, interaction, acknowledgement) }
        case .alreadyOpen(let ticket):
            reply(to: interaction, TicketMessages.ephemeral(TicketMessages.alreadyOpen(ticket)))
        case .duplicateInteraction:
            break  // the first delivery is being (or was) answered
        case .coolingDown(let until):
            reply(to: interaction, TicketMessages.ephemeral(TicketMessages.coolingDown(until: until)))
        case .create(let ticket):
            Task { await self.open(ticket, from: interaction) }
        }
    }

    /// A click that met the member's ticket still being created: waits (at most `earlierOpeningPatience`) until that one has its
    /// channel or was abandoned, then points to it, or opens this click's ticket with its acknowledgement.
    /// How long a click waits for the member's earlier opening to settle.
    static let earlierOpeningPatience: Duration = .seconds(30)

    private func answerAfterEarlierOpening(
        _ earlier: Int, _ interaction: Interaction, _ acknowledgement: Task<Acknowledgement, Never>
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
            openerID: user.id, openerName: user.username,
            interaction: .init(id: interaction.id, token: interaction.token, receivedAt: now), now: now)
        let text: String
        switch decision {
        case .create(let ticket):
            do {
                try await persist()
            } catch {
                tickets.abandonOpening(number: ticket.number)
                await tellOpener(ticket, acknowledgement, TicketMessages.storageUnavailable)
                return
            }
            await createChannel(for: ticket, acknowledgement: acknowledgement)
            return
        case .alreadyOpen(let ticket):
            text = TicketMessages.alreadyOpen(ticket)
        case .coolingDown(let until):
            text = TicketMessages.coolingDown(until: until)
        case .duplicateInteraction:
            return
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
                TicketMessages.ephemeral(TicketMessages.storageUnavailable))
            return
        }
        CrashPoint.reached(.openingRecorded)
        await createChannel(for: ticket, acknowledgement: acknowledge(interaction, ephemeral: true))
    }

    /// How the deferred acknowledgement went.
    enum Acknowledgement: Sendable {
        case sent
        /// Discord says this interaction is not ours to answer any more: already acknowledged (a replay whose
        /// first delivery was answered before a crash) or expired. The click must have no effect.
        case refused
        /// The request failed on the way (the member may or may not have seen it).
        case failed

        var wasSent: Bool { self == .sent }
    }

    /// Sends the deferred acknowledgement (type 5) at once, so Discord's 3-second deadline is met however
    /// long the channel takes; later steps edit that reply.
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

    /// Makes the channel of an `opening` ticket: also called after a restart for an interrupted opening.
    func createChannel(for opening: Ticket, acknowledgement: Task<Acknowledgement, Never>?) async {
        guard openingsInProgress.insert(opening.number).inserted else { return }
        defer { openingsInProgress.remove(opening.number) }
        if let acknowledgement, await acknowledgement.value == .refused {
            // Discord refused the acknowledgement: a replay of a click answered before a crash, or one too old
            // to answer. It must not make a channel.
            tickets.abandonOpening(number: opening.number)
            await persistQuietly("dropping a click Discord refused to acknowledge")
            return
        }
        do {
            try await persist()
        } catch {
            // Not stored, so not promised: undo and say so.
            tickets.abandonOpening(number: opening.number)
            await tellOpener(opening, acknowledgement, TicketMessages.storageUnavailable)
            return
        }
        let config = tickets.config
        var staffRoleID = config.staffRoleID
        var notes: [String] = []
        if let role = staffRoleID, discord != nil, discord?.role(role) == nil {
            // A deleted staff role must not block members; admins still see the ticket.
            staffRoleID = nil
            notes.append(
                "The support team role configured for this server no longer exists, so for now only administrators can see your ticket."
            )
            services.metrics.failure("staff_role_missing")
            await audit(
                AuditEntry.problem(
                    "Support staff role is missing",
                    detail:
                        "Ticket #\(opening.number) was created without it. Choose a new staff role on the dashboard."))
        }
        var parentID = config.parentCategoryID
        if let parent = parentID, discord != nil, discord?.channel(parent) == nil {
            parentID = nil
            services.metrics.failure("category_missing")
            await audit(
                AuditEntry.problem(
                    "Ticket category is missing",
                    detail:
                        "Ticket #\(opening.number) was created at the top of the channel list. Choose a category on the dashboard."
                ))
        }
        let marker = TicketMarker(ticketNumber: opening.number, openerID: opening.openerID)
        let request = CreateChannelRequest(
            name: opening.channelName, topic: marker.topic(openerName: opening.openerName), parentID: parentID,
            permissionOverwrites: TicketPermissions.overwrites(
                guildID: guildID, openerID: opening.openerID, staffRoleID: staffRoleID, botID: services.botUserID))
        let channel: Channel
        do {
            channel = try await discordAPI.createGuildChannel(
                guildID, request, reason: "Support ticket #\(opening.number) for \(opening.openerName)")
        } catch {
            await creationFailed(opening, error: error, marker: marker, acknowledgement: acknowledgement)
            return
        }
        CrashPoint.reached(.channelCreated)
        await channelCreated(channel, for: opening, acknowledgement: acknowledgement, notes: notes)
    }

    func channelCreated(
        _ channel: Channel, for opening: Ticket, acknowledgement: Task<Acknowledgement, Never>?, notes: [String]
    ) async {
        // The gateway's CHANNEL_CREATE may have confirmed it already.
        if tickets.ticket(number: opening.number)?.state == .opening {
            tickets.confirmChannel(
                number: opening.number, channelID: channel.id, name: channel.name ?? opening.channelName)
        }
        guard let ticket = tickets.ticket(number: opening.number), ticket.channelID == channel.id else { return }
        do {
            try await persist()
        } catch {
            // Discord has the channel and its marker: the next reconciliation adopts it.
            logger.error("ticket #\(ticket.number) channel created but not yet saved: \(error)")
        }
        services.metrics.opened.increment()
        services.metrics.active.increment()
        do {
            _ = try await discordAPI.createMessage(
                channel.id, TicketMessages.welcome(ticket: ticket, staffRoleID: tickets.config.staffRoleID))
        } catch {
            logger.warning("could not post the welcome message of ticket #\(ticket.number): \(error)")
        }
        CrashPoint.reached(.welcomePosted)
        let text = (["Your ticket is ready: <#\(channel.id)>"] + notes).joined(separator: "\n")
        await tellOpener(ticket, acknowledgement, text)
        await audit(AuditEntry.created(ticket))
        tickets.announced(.created, number: ticket.number)
        activityChanged()
    }

    /// Finishes the member's deferred reply (when its token is still valid).
    func tellOpener(_ ticket: Ticket, _ acknowledgement: Task<Acknowledgement, Never>?, _ text: String) async {
        if let acknowledgement, await !acknowledgement.value.wasSent { return }
        guard let interaction = ticket.openingInteraction,
            services.now().timeIntervalSince(interaction.receivedAt) < 14 * 60
        else { return }
        do {
            _ = try await discordAPI.editOriginalInteractionResponse(
                services.applicationID, token: interaction.token,
                MessageRequest(content: text, allowedMentions: AllowedMentions()))
        } catch {
            logger.warning("could not finish the reply to ticket #\(ticket.number)'s opener: \(error)")
        }
        if tickets.ticket(number: ticket.number) != nil {
            tickets.forgetOpeningInteraction(number: ticket.number)
            activityChanged()
        }
    }
}

extension Duration {
    var nanosecondsRounded: Double {
        Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9
    }
}
