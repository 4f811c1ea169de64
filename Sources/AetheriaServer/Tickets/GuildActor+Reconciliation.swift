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
        if !tickets.ticketsWithPendingAnnouncements.isEmpty || tickets.pendingSettingsChange != nil
            || tickets.postedPanelsNeedRefresh || !tickets.ticketsWithPendingStaffActions.isEmpty
        {
            Task { await self.deliverPendingAnnouncements() }
        }
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
            for ticket in outcome.adopted where !(ticket.pendingAnnouncements ?? []).contains(.created) {
                // A channel with no record at all; our own interrupted openings are announced below instead.
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
        let marker = TicketMarker(ticketNumber: opening.number, openerID: opening.openerID, typeID: opening.typeID)
        if let channels = try? await discordAPI.getGuildChannels(guildID),
            let existing = channels.first(where: {
                $0.topic.flatMap(TicketMarker.init(topic:))?.isSameTicket(as: marker) == true
            })
        {
            if tickets.ticket(number: opening.number)?.state == .opening {
                tickets.confirmChannel(number: opening.number, channelID: existing.id, name: existing.name ?? "")
                await persistQuietly("adopting the channel of ticket #\(opening.number)")
                await deliverPendingAnnouncements()
            }
            return
        }
        await createChannel(for: opening, acknowledgement: nil)
    }

    /// Deletes a second channel made for a ticket that already has one (it never held the conversation).
    func deleteDuplicate(_ channelID: ChannelID, of ticket: Ticket) async {
        do {
            _ = try await discordAPI.deleteChannel(
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
            let recent = try await discordAPI.getMessages(channelID, limit: 50)
            let hasCloseButton = recent.contains { message in
                message.author.id == services.botUserID
                    && (message.components ?? []).flatMap(\.flattened).contains {
                        $0.customId == TicketComponentID.close.customID
                    }
            }
            guard !hasCloseButton else { return }
            _ = try await discordAPI.createMessage(
                channelID, TicketMessages.welcome(ticket: ticket, type: tickets.type(of: ticket)))
        } catch {
            logger.warning("could not check the welcome message of ticket #\(ticket.number): \(error)")
        }
    }

    /// Finishes what the guild was not told because of a crash (the outbox): a saved settings change's entry;
    /// the welcome, the opener's link and the "created" entry of an opened ticket; the closing notice and the
    /// "closed" entry of a closed one. Each is looked for first, so what did get posted is not posted twice.
    func deliverPendingAnnouncements() async {
        if let change = tickets.pendingSettingsChange { await announce(change, lookingFirst: true) }
        if tickets.postedPanelsNeedRefresh { await refreshPostedPanels(from: nil) }
        await finishPendingStaffActions()
        for ticket in tickets.ticketsWithPendingAnnouncements
        where !openingsInProgress.contains(ticket.number) && !closesInProgress.contains(ticket.number) {
            for announcement in ticket.pendingAnnouncements ?? [] {
                switch announcement {
                case .created where ticket.state == .open:
                    await ensureWelcome(ticket)
                    if let channelID = ticket.channelID {
                        await tellOpener(ticket, "Your ticket is ready: <#\(channelID)>")
                    }
                    await auditOnce(AuditEntry.created(ticket, type: tickets.type(of: ticket)))
                case .closed where ticket.state == .closed:
                    if let channelID = ticket.channelID,
                        let recent = try? await discordAPI.getMessages(channelID, limit: 20),
                        !recent.contains(where: {
                            $0.author.id == services.botUserID
                                && $0.embeds.first?.description?.hasPrefix("Ticket #\(ticket.number) was closed")
                                    == true
                        })
                    {
                        _ = try? await discordAPI.createMessage(
                            channelID,
                            TicketMessages.closingNotice(
                                ticket: ticket, closerID: ticket.closerID, deleteAt: ticket.deleteAt))
                    }
                    await auditOnce(
                        AuditEntry.closed(
                            ticket, messageCount: ticket.messageCount,
                            transcriptURL: services.transcriptURL(
                                guildID: guildID, number: ticket.transcriptNumber ?? ticket.number)))
                case .delivery where ticket.state == .closed:
                    // Kept in the ticket by an older Aetheria: now the guild's delivery outbox runs it.
                    tickets.queueLegacyDelivery(number: ticket.number)
                default:
                    break
                }
                tickets.announced(announcement, number: ticket.number)
            }
            await persistQuietly("announcing ticket #\(ticket.number) after a restart")
        }
        scheduleRetries()
    }

    /// Posts an audit entry unless the moderation log already shows one with the same title from the bot (and,
    /// with `sameFooter`, the same footer: entries whose title repeats, such as settings changes, differ there).
    func auditOnce(_ entry: AuditEntry, sameFooter: Bool = false) async {
        let embed = entry.embed
        if let channelID = tickets.config.logRouting[entry.kind], let title = embed.title,
            let recent = try? await discordAPI.getMessages(channelID, limit: 50),
            recent.contains(where: {
                $0.author.id == services.botUserID && $0.embeds.first?.title == title
                    && (!sameFooter || $0.embeds.first?.footer?.text == embed.footer?.text)
            })
        {
            return
        }
        await audit(entry)
    }
}
