import DiscordModels
import Foundation
import TicketCore

extension GuildActor {
    /// Brings the records in line with the channels Discord reports (every GUILD_CREATE, so after every
    /// restart too): adopts marked channels without a record, archives records whose channel is gone,
    /// and resumes interrupted openings, closes and deletions.
    func reconcile() {
        guard let discord else { return }
        let channels = discord.channels.map { channel in
            (
                id: channel.id, name: discord.name(of: channel),
                marker: discord.topic(of: channel.id).flatMap(TicketMarker.init(topic:))
            )
        }
        let outcome = tickets.reconcile(channels: channels, now: services.now())
        refreshConfigProblems()
        if !tickets.unconfirmedReminders.isEmpty { Task { await self.finishUnconfirmedReminders() } }
        guard !outcome.isEmpty else { return }
        logger.info(
            "reconciled tickets",
            metadata: [
                "adopted": "\(outcome.adopted.count)", "vanished": "\(outcome.vanished.count)",
                "unfinished_openings": "\(outcome.unfinishedOpenings.count)",
                "unfinished_closes": "\(outcome.unfinishedCloses.count)",
                "pending_deletions": "\(outcome.pendingDeletions.count)",
                "duplicates": "\(outcome.duplicateChannels.count)",
            ])
        for ticket in outcome.pendingDeletions { scheduleDeletion(of: ticket) }
        Task {
            if !outcome.adopted.isEmpty || !outcome.vanished.isEmpty {
                await self.persistQuietly("reconciling")
            }
            for ticket in outcome.adopted {
                await self.audit(AuditEntry.adopted(ticket))
                await self.ensureWelcome(ticket)
            }
            for ticket in outcome.vanished {
                let reason = ticket.state == .closed ? "closed ticket" : "deleted while Aetheria was away"
                await self.audit(AuditEntry.deleted(ticket, reason: reason))
            }
            for duplicate in outcome.duplicateChannels {
                await self.deleteDuplicate(duplicate.channelID, of: duplicate.ticket)
            }
            for ticket in outcome.unfinishedOpenings { await self.resumeOpening(ticket) }
            for ticket in outcome.unfinishedCloses { await self.finishClose(ticket.number, reply: nil) }
        }
    }

    /// An opening interrupted by a crash: the dead process's channel request may still be served, so wait a
    /// moment, look for the channel, and create it only when it is not there.
    func resumeOpening(_ opening: Ticket) async {
        try? await Task.sleep(for: services.interruptedOpeningGrace)
        guard tickets.ticket(number: opening.number)?.state == .opening else { return }
        let marker = TicketMarker(ticketNumber: opening.number, openerID: opening.openerID)
        if let channels = try? await rest.getGuildChannels(guildID),
            let existing = channels.first(where: { $0.topic.flatMap(TicketMarker.init(topic:)) == marker })
        {
            if tickets.ticket(number: opening.number)?.state == .opening {
                tickets.confirmChannel(number: opening.number, channelID: existing.id, name: existing.name ?? "")
                await persistQuietly("adopting the channel of ticket #\(opening.number)")
                let adopted = tickets.ticket(number: opening.number) ?? opening
                await audit(AuditEntry.adopted(adopted))
                await ensureWelcome(adopted)
            }
            return
        }
        await createChannel(for: opening, acknowledgement: nil)
    }

    /// Deletes a second channel made for a ticket that already has one (it never held the conversation).
    func deleteDuplicate(_ channelID: ChannelID, of ticket: Ticket) async {
        do {
            _ = try await rest.deleteChannel(
                channelID, reason: "Duplicate channel of ticket #\(ticket.number)")
            logger.warning("deleted a duplicate channel of ticket #\(ticket.number)")
            await audit(
                AuditEntry.problem(
                    "Duplicate ticket channel removed",
                    detail: "Ticket #\(ticket.number) had a second channel (made around a restart); it was deleted."))
        } catch {
            logger.warning("could not delete a duplicate channel of ticket #\(ticket.number): \(error)")
        }
    }

    /// A channel adopted after a crash may lack the welcome message (and so the Close button): post it once.
    func ensureWelcome(_ ticket: Ticket) async {
        guard ticket.state == .open, let channelID = ticket.channelID else { return }
        do {
            let recent = try await rest.getMessages(channelID, limit: 50)
            let hasCloseButton = recent.contains { message in
                message.author.id == services.botUserID
                    && (message.components ?? []).flatMap(\.flattened).contains {
                        $0.customId == TicketMessages.closeButtonID
                    }
            }
            guard !hasCloseButton else { return }
            _ = try await rest.createMessage(
                channelID, TicketMessages.welcome(ticket: ticket, staffRoleID: tickets.config.staffRoleID))
        } catch {
            logger.warning("could not check the welcome message of ticket #\(ticket.number): \(error)")
        }
    }
}
