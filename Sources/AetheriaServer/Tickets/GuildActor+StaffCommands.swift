import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// `/ticket …` inside a ticket: the staff's toolset. Each action is decided and recorded by the rules
/// (`GuildTickets.recordStaffAction`) and stored before anything happens in Discord; then it is carried out
/// (idempotent overwrites and edits), announced in the ticket (the visible reply, which the transcript keeps)
/// and in the moderation log, and leaves the ticket's outbox. A restart in between finishes it.
extension GuildActor {
    func staffCommandReceived(_ interaction: Interaction) {
        guard let data = interaction.data, let member = interaction.member, member.user != nil,
            let channelID = interaction.channelId
        else { return }
        guard let command = StaffCommand(data) else {
            reply(to: interaction, TicketMessages.ephemeral("That `/ticket` command is not one I know."))
            return
        }
        switch command {
        case .blockMember, .blockRole, .unblockMember, .unblockRole: return blocklistCommand(interaction, command)
        default: break
        }
        let ticket = tickets.ticket(inChannel: channelID)
        let type = ticket.map(tickets.type(of:))
        if case .close(let reason) = command {
            closeTicket(interaction, reason: reason)
            return
        }
        let actorIsStaff = tickets.isStaff(roles: member.roles, permissions: member.permissions, for: type)
        if case .closeRequest(let reason) = command {
            return closeRequested(interaction, reason: reason, actorIsStaff: actorIsStaff)
        }
        if command == .reopen, let ticket, deletionsInProgress.contains(ticket.number) {
            reply(
                to: interaction,
                TicketMessages.ephemeral("This ticket's channel is being deleted; it can no longer be reopened."))
            return
        }
        // The member an `add` or a `transfer` names is looked up in Discord (the bot's own view, not the
        // interaction's `resolved` data); the decision is taken once the answer is in.
        let target: UserID?
        switch command {
        case .addMember(let id) where id != services.botUserID, .transfer(let id) where id != services.botUserID:
            target = actorIsStaff && ticket != nil ? id : nil
        default: target = nil
        }
        guard let target else {
            return decideStaffCommand(
                interaction, command, ticket: ticket, actorIsStaff: actorIsStaff, target: nil, type: type)
        }
        Task {
            let view = await self.memberView(of: target)
            self.decideStaffCommand(
                interaction, command, ticket: ticket, actorIsStaff: actorIsStaff, target: view, type: type)
        }
    }

    private func decideStaffCommand(
        _ interaction: Interaction, _ command: StaffCommand, ticket: Ticket?, actorIsStaff: Bool, target: MemberView?,
        type: TicketType?
    ) {
        guard let user = interaction.member?.user, let channelID = interaction.channelId else { return }
        if target == .unknown {
            return reply(to: interaction, TicketMessages.ephemeral(Self.memberUnknown))
        }
        let targetIsStaff = target.flatMap { isStaff($0, for: type) } ?? false
        // Everyone the interaction names was remembered on arrival (`interactionReceived`).
        let names = capturedPeople.mapValues(\.name).filter { $0.key == user.id || command.names($0.key) }
        let previous = tickets.ticket(inChannel: channelID) ?? ticket
        let decision = tickets.recordStaffAction(
            command, guildID: guildID, inChannel: channelID, by: user.id, actorIsStaff: actorIsStaff,
            targetIsStaff: targetIsStaff, targetIsMember: target != .notAMember, botID: services.botUserID,
            names: names, actionID: interaction.id, replyToken: interaction.token, now: services.now())
        switch decision {
        case .refused(let why):
            services.metrics.failure("staff_action_refused")
            reply(to: interaction, TicketMessages.ephemeral(why))
        case .recorded(let action, let recorded):
            let acknowledgement = acknowledge(interaction, ephemeral: action.kind == .note)
            Task {
                await self.carryOut(
                    action, ticketNumber: recorded.number, previous: previous,
                    reply: (interaction.token, acknowledgement))
            }
        }
    }

    /// Stores the recorded action, then carries it out and announces it.
    private func carryOut(
        _ action: StaffAction, ticketNumber: Int, previous: Ticket?,
        reply: (token: String, acknowledgement: Task<Acknowledgement, Never>)
    ) async {
        do {
            try await persist()
        } catch {
            if let previous { tickets.undoStaffAction(restoring: previous) }
            logger.error("ticket #\(ticketNumber): staff action not saved: \(error)")
            await finishReply(
                reply, TicketMessages.ephemeral("Storage is unavailable, so nothing was changed. Try again."))
            return
        }
        CrashPoint.reached(.staffActionRecorded)
        services.metrics.staffAction(action.kind.rawValue)
        if action.kind == .reopen { services.metrics.active.increment() }
        if action.kind == .note {
            await finishReply(
                reply, TicketMessages.ephemeral("📝 Note saved. Only staff see it, here and in the transcript."))
            if let ticket = tickets.ticket(number: ticketNumber) {
                await audit(AuditEntry.staffAction(action, ticket: ticket))
            }
            return
        }
        if let failure = await perform(action, ticketNumber: ticketNumber) {
            await takeBack(action, ticketNumber: ticketNumber)
            await finishReply(reply, TicketMessages.ephemeral(failure))
            return
        }
        guard let ticket = tickets.ticket(number: ticketNumber) else { return }
        await finishReply(reply, TicketMessages.staffActionNotice(action, ticket: ticket))
        await audit(AuditEntry.staffAction(action, ticket: ticket))
        tickets.staffActionDone(action.id, number: ticketNumber)
        await persistQuietly("finishing a staff action in ticket #\(ticketNumber)")
    }

    /// Discord refused the action: the record takes it back (a refused reopen is closed again and due for
    /// deletion as before), so the ticket, the dashboard and the next command see what Discord shows.
    private func takeBack(_ action: StaffAction, ticketNumber: Int) async {
        services.metrics.failure("staff_action_refused_by_discord")
        let wasOpen = tickets.ticket(number: ticketNumber)?.state == .open
        guard let ticket = tickets.takeBack(action, number: ticketNumber) else { return }
        if action.kind == .reopen, wasOpen, ticket.state == .closed {
            services.metrics.active.decrement()
            scheduleDeletion(of: ticket)
        }
        await persistQuietly("taking back a refused staff action in ticket #\(ticketNumber)")
    }

    /// Makes Discord match the action (every call is idempotent, so a restart may run it again). Returns what
    /// to tell the staff member when Discord refused.
    func perform(_ action: StaffAction, ticketNumber: Int) async -> String? {
        guard let ticket = tickets.ticket(number: ticketNumber), let channelID = ticket.channelID else { return nil }
        let type = tickets.type(of: ticket)
        let reason = "Ticket #\(ticket.number): \(action.kind.rawValue) by \(action.actorID)"
        do {
            switch action.kind {
            case .addMember:
                if let member = action.memberID {
                    try await discordAPI.editChannelPermission(
                        channelID, TicketPermissions.participant(member: member), reason: reason)
                }
            case .addRole:
                if let role = action.roleID {
                    try await discordAPI.editChannelPermission(
                        channelID, .role(role, allow: .ticketParticipant), reason: reason)
                }
            case .removeMember:
                if let member = action.memberID, member != ticket.claimerID {
                    try await discordAPI.deleteChannelPermission(channelID, target: member.converted(), reason: reason)
                }
            case .removeRole:
                if let role = action.roleID {
                    try await discordAPI.deleteChannelPermission(channelID, target: role.converted(), reason: reason)
                }
            case .claim, .unclaim, .transfer:
                try await syncClaim(of: ticket, type: type, previousClaimer: action.previousClaimerID, reason: reason)
                if action.updatesTopic {
                    let marker = TicketMarker(
                        ticketNumber: ticket.number, openerID: ticket.openerID, typeID: ticket.typeID)
                    _ = try await discordAPI.modifyChannel(
                        channelID,
                        ModifyChannelRequest(
                            topic: marker.topic(openerName: ticket.openerName, claimerID: ticket.claimerID)),
                        reason: reason)
                }
            case .rename:
                guard let name = action.text else { return nil }
                let renamed = try await discordAPI.modifyChannel(
                    channelID, ModifyChannelRequest(name: name), reason: reason)
                tickets.channelRenamed(number: ticket.number, to: renamed.name ?? name)
            case .reopen:
                deletionTimers.removeValue(forKey: ticket.number)?.cancel()
                try await discordAPI.editChannelPermission(
                    channelID, TicketPermissions.participant(member: ticket.openerID), reason: reason)
            case .note:
                break
            }
            return nil
        } catch  where error.kind == .unknownChannel {
            return nil  // the channel is gone: CHANNEL_DELETE archives the ticket
        } catch {
            logger.warning("ticket #\(ticket.number): \(action.kind.rawValue) failed: \(error)")
            recordFailure(error, missing: "Manage Channels and Manage Roles in the ticket's category")
            return error.status == 429
                ? "Discord is limiting changes to this channel right now; the change was not made. Try again later."
                : "Discord refused the change, so nothing was changed (Aetheria needs **Manage Channels** and **Manage Roles** here)."
        }
    }

    /// The staff roles' and the claimer's overwrites as the claim and the type's mode want them.
    private func syncClaim(
        of ticket: Ticket, type: TicketType, previousClaimer: UserID?, reason: String
    ) async throws(DiscordRESTError) {
        guard let channelID = ticket.channelID else { return }
        for overwrite in TicketPermissions.staffOverwrites(
            staffRoleIDs: type.staffRoleIDs, claimed: ticket.claimerID != nil, mode: type.claimMode)
        {
            try await discordAPI.editChannelPermission(channelID, overwrite, reason: reason)
        }
        guard type.claimMode != .everyoneWrites else { return }
        if let claimer = ticket.claimerID {
            try await discordAPI.editChannelPermission(
                channelID, TicketPermissions.participant(member: claimer), reason: reason)
        }
        // The previous claimer keeps their own overwrite only if they are in the ticket for another reason.
        if let previousClaimer, previousClaimer != ticket.claimerID, previousClaimer != ticket.openerID,
            !(ticket.addedMemberIDs ?? []).contains(previousClaimer)
        {
            try await discordAPI.deleteChannelPermission(
                channelID, target: previousClaimer.converted(), reason: reason)
        }
    }

    /// Finishes the staff actions a crash interrupted: carried out again (idempotent), the notice posted
    /// unless the channel already shows it, the log entry unless the log already has it.
    func finishPendingStaffActions() async {
        for ticket in tickets.ticketsWithPendingStaffActions {
            for action in ticket.pendingStaffActions ?? [] {
                if let failure = await perform(action, ticketNumber: ticket.number) {
                    await takeBack(action, ticketNumber: ticket.number)
                    if let token = action.liveReplyToken(now: services.now()) {
                        _ = try? await discordAPI.editOriginalInteractionResponse(
                            services.applicationID, token: token, TicketMessages.ephemeral(failure))
                    }
                    continue
                }
                guard let current = tickets.ticket(number: ticket.number) else { break }
                if let channelID = current.channelID,
                    let recent = try? await discordAPI.getMessages(channelID, limit: 50),
                    !recent.contains(where: {
                        $0.author.id == services.botUserID && $0.embeds.first?.footer?.text == action.footer
                    })
                {
                    let notice = TicketMessages.staffActionNotice(action, ticket: current)
                    // The staff member's "thinking…" reply is finished while its token lives (15 minutes);
                    // otherwise the notice is posted on its own.
                    var finished = false
                    if let token = action.liveReplyToken(now: services.now()) {
                        finished =
                            (try? await discordAPI.editOriginalInteractionResponse(
                                services.applicationID, token: token, notice)) != nil
                    }
                    if !finished { _ = try? await discordAPI.createMessage(channelID, notice) }
                }
                await auditOnce(AuditEntry.staffAction(action, ticket: current), sameFooter: true)
                tickets.staffActionDone(action.id, number: ticket.number)
            }
            await persistQuietly("finishing staff actions of ticket #\(ticket.number) after a restart")
        }
    }
}
