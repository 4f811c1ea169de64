import DiscordModels
import DiscordREST
import Foundation
import NIOCore
import TicketCore

extension GuildActor {
    /// "Close Ticket" was clicked (or `/ticket close [reason]` run): who may close is checked and `closing`
    /// recorded in this turn; the steps that follow are each idempotent, so a restart finishes an interrupted
    /// close.
    func closeTicket(_ interaction: Interaction, reason: String? = nil) {
        guard let member = interaction.member, let user = member.user, let channelID = interaction.channelId else {
            return
        }
        let isStaff = tickets.isStaff(
            roles: member.roles, permissions: member.permissions,
            for: tickets.ticket(inChannel: channelID).map(tickets.type(of:)))
        switch tickets.requestClose(
            inChannel: channelID, closerID: user.id, closerIsStaff: isStaff, reason: reason, now: services.now())
        {
        case .notATicket:
            reply(to: interaction, TicketMessages.ephemeral("This channel is not an open ticket."))
        case .notAllowed(let why):
            services.metrics.failure("close_not_allowed")
            reply(to: interaction, TicketMessages.ephemeral(why))
        case .alreadyClosing:
            reply(to: interaction, TicketMessages.ephemeral("This ticket is already being closed."))
        case .close(let ticket):
            let acknowledgement = acknowledge(interaction, ephemeral: false)
            Task {
                await self.finishClose(ticket.number, reply: (interaction.token, acknowledgement))
            }
        }
    }

    /// Runs the close workflow (`CloseWorkflow`: lock → transcript → `closed` → notice and audit → deletion at
    /// `deleteAt`) by performing each effect it asks for. Safe to call again at any point.
    func finishClose(_ number: Int, reply: (token: String, acknowledgement: Task<Acknowledgement, Never>)?) async {
        guard closesInProgress.insert(number).inserted else { return }
        defer { closesInProgress.remove(number) }
        var workflow = CloseWorkflow(number: number, schedule: services.retrySchedule)
        var effect: CloseWorkflow.Effect? = workflow.start()
        while let current = effect {
            let outcome = await perform(current, closing: number, reply: reply)
            effect = workflow.next(after: outcome, tickets: &tickets, now: services.now())
        }
        // The transcript's delivery (queued with `closed`) and any retry the close recorded.
        await persistQuietly("recording the close's progress")
        scheduleRetries()
    }

    private func perform(
        _ effect: CloseWorkflow.Effect, closing number: Int,
        reply: (token: String, acknowledgement: Task<Acknowledgement, Never>)?
    ) async -> CloseWorkflow.Outcome {
        switch effect {
        case .storeClosing:
            do {
                try await persist()
                return .succeeded
            } catch {
                logger.error("ticket #\(number): close not saved, will retry: \(error)")
                return .unavailable("the store is unavailable")
            }
        case .lockChannel(let channelID, let openerID):
            do {
                try await discordAPI.editChannelPermission(
                    channelID, TicketPermissions.lockedOpener(openerID), reason: "Ticket #\(number) closed")
            } catch  where error.kind == .unknownChannel {
                return .channelGone
            } catch {
                logger.warning("ticket #\(number): could not lock the channel: \(error)")
                recordFailure(error)
                CrashPoint.reached(.closeLocked)
                return .failed
            }
            CrashPoint.reached(.closeLocked)
            return .succeeded
        case .saveTranscript(let ticket):
            guard let channelID = ticket.channelID else { return .failed }
            do {
                let saved = try await saveTranscript(of: ticket, channelID: channelID)
                CrashPoint.reached(.transcriptSaved)
                return .transcriptSaved(messageCount: saved.messageCount, transcriptNumber: saved.transcriptNumber)
            } catch let error as DiscordRESTError {
                logger.error("ticket #\(number): transcript not saved, will retry: \(error)")
                services.metrics.failure("transcript")
                return .unavailable("Discord did not give the channel's messages (\(error.message))")
            } catch {
                logger.error("ticket #\(number): transcript not saved, will retry: \(error)")
                services.metrics.failure("transcript")
                return .unavailable("the transcript could not be saved (\(error))")
            }
        case .storeClosed:
            defer { CrashPoint.reached(.closedRecorded) }
            do {
                try await persist()
                return .succeeded
            } catch {
                logger.error("ticket #\(number): closed state not saved: \(error)")
                return .failed
            }
        case .announceClosed(let closed, let messageCount):
            await announceClosed(closed, messageCount: messageCount, reply: reply)
            return .succeeded
        case .scheduleDeletion(let closed):
            activityChanged()
            scheduleDeletion(of: closed)
            return .succeeded
        case .tellCloser(let text):
            await finishReply(reply, MessageRequest(content: text))
            return .succeeded
        }
    }

    /// Metrics, the closing notice (the reply to the click when it was acknowledged, else a message in the
    /// channel) and the audit entry with the transcript's link.
    private func announceClosed(
        _ closed: Ticket, messageCount: Int, reply: (token: String, acknowledgement: Task<Acknowledgement, Never>)?
    ) async {
        services.metrics.closed.increment()
        services.metrics.active.decrement()
        if let closedAt = closed.closedAt {
            services.metrics.resolutionSeconds.record(closedAt.timeIntervalSince(closed.openedAt))
        }
        let notice = TicketMessages.closingNotice(ticket: closed, closerID: closed.closerID, deleteAt: closed.deleteAt)
        if let reply, await reply.acknowledgement.value.wasSent {
            _ = try? await discordAPI.editOriginalInteractionResponse(
                services.applicationID, token: reply.token, notice)
        } else if let channelID = closed.channelID {
            _ = try? await discordAPI.createMessage(channelID, notice)
        }
        await audit(
            AuditEntry.closed(
                closed, messageCount: messageCount,
                transcriptURL: services.transcriptURL(
                    guildID: guildID, number: closed.transcriptNumber ?? closed.number)))
    }

    /// Fetches the whole history, merges what the gateway showed, renders and stores the transcript.
    /// Returns the number of messages in it.
    private func saveTranscript(
        of ticket: Ticket, channelID: ChannelID
    ) async throws -> (messageCount: Int, transcriptNumber: Int) {
        // Without "thinking…" placeholders: the close's own reply is one until the transcript is saved.
        let history = try await discordAPI.getAllMessages(channelID).filter { !$0.isLoadingPlaceholder }
        var people = capturedPeople
        for message in history where people[message.author.id] == nil {
            people[message.author.id] = .init(
                id: message.author.id, name: message.author.displayName, isBot: message.author.bot ?? false)
        }
        let capturedMessages = Array((captured[channelID] ?? [:]).values)
        // The files posted in the ticket, fetched now (within the ticket's budget) so the transcript keeps them
        // after Discord's links expire. Network I/O on the HTTP client's loops, never this guild's shard loop.
        let files = await services.attachments.fetch(
            history.map(TranscriptMessage.init).flatMap(\.attachments).compactMap { file in
                guard file.isKept, let id = file.id, let url = file.url else { return nil }
                return AttachmentFetcher.Wanted(id: id, url: url, declaredSize: file.size)
            })
        let closedAt = ticket.closeRequestedAt ?? services.now()
        let opener = people[ticket.openerID] ?? .init(id: ticket.openerID, name: ticket.openerName)
        let closer = ticket.closerID.map { people[$0] ?? .init(id: $0, name: "User \($0)") }
        var roleNames: [RoleID: String] = [:]
        var channelNames: [ChannelID: String] = [:]
        if let discord {
            for role in discord.roles { roleNames[role.id] = discord.name(of: role) }
            for channel in discord.channels { channelNames[channel.id] = discord.name(of: channel) }
        }
        let guildID = self.guildID
        let guildName = discord?.name ?? "Server \(guildID)"
        let renderer = services.renderer
        let knownPeople = people
        // Merging and rendering up to 50,000 messages is the heavy part: it runs on the transcript workshop's
        // thread, never on this guild's shard loop.
        let (roles, channels) = (roleNames, channelNames)
        let typeName = tickets.config.types.count > 1 ? tickets.type(of: ticket).name : nil
        let names = (
            opener: opener.name, closer: closer?.name,
            claimer: ticket.claimerID.map { people[$0]?.name ?? ticket.claimerName ?? "User \($0)" }
        )
        let (html, searchText, messageCount) = try await TranscriptWorkshop.run {
            var messages = TranscriptMessage.merge(
                history: history.map(TranscriptMessage.init), captured: capturedMessages
            ).suffix(TranscriptWorkshop.maximumMessages)
            if !files.isEmpty {
                for index in messages.indices {
                    for file in messages[index].attachments.indices {
                        guard let id = messages[index].attachments[file].id else { continue }
                        messages[index].attachments[file].inlineData = files[id]
                    }
                }
            }
            var document = TranscriptDocument(
                guildID: guildID, guildName: guildName, ticketNumber: ticket.number,
                channelName: ticket.channelName, opener: opener, closer: closer, openedAt: ticket.openedAt,
                closedAt: closedAt, closeReason: ticket.closeReason, messages: Array(messages), people: knownPeople,
                roleNames: roles, channelNames: channels)
            document.typeName = typeName
            document.answers = ticket.answers ?? []
            document.claimer = ticket.claimerID.map { knownPeople[$0] ?? .init(id: $0, name: "User \($0)") }
            document.notes = (ticket.notes ?? []).map { note in
                .init(author: knownPeople[note.authorID]?.name ?? "User \(note.authorID)", text: note.text, at: note.at)
            }
            return (Array(renderer.render(document).utf8), document.searchText, messages.count)
        }
        var record = TranscriptRecord(
            guildID: guildID, ticketNumber: ticket.transcriptNumber ?? ticket.number, channelID: channelID,
            channelName: ticket.channelName, openerID: ticket.openerID, closerID: ticket.closerID,
            openedAt: ticket.openedAt, closedAt: closedAt, messageCount: messageCount, closeReason: ticket.closeReason)
        record.openerName = names.opener
        record.closerName = names.closer
        record.claimerID = ticket.claimerID
        record.claimerName = names.claimer
        record.typeID = ticket.typeID
        record.staffID = ticket.responsibleStaff
        if try await !saveKeepingHistory(record, html: html, searchText: searchText) {
            // Another channel's transcript holds this number: it is history and stays. This one takes a number
            // no ticket of the guild has used (stored with the ticket, so a retry after a crash reuses it).
            let fresh = tickets.reserveTranscriptNumber(forTicket: ticket.number)
            logger.warning(
                "ticket #\(ticket.number): the store already holds another transcript under this number; saving as #\(fresh)"
            )
            services.metrics.failure("transcript_number_taken")
            try await persist()
            record.ticketNumber = fresh
            try await services.transcriptStore.save(record, html: html, searchText: searchText)
        }
        return (messageCount, record.ticketNumber)
    }

    /// Saves a transcript; `false` when its number already holds another channel's transcript (kept).
    private func saveKeepingHistory(
        _ record: TranscriptRecord, html: [UInt8], searchText: String
    ) async throws -> Bool {
        do {
            try await services.transcriptStore.save(record, html: html, searchText: searchText)
            return true
        } catch {
            if error.isConflict { return false }
            throw error
        }
    }

    /// Deletes the channel when its delay is up. The time is stored; this timer is only the reminder to act,
    /// and reconciliation sets it again after a restart.
    func scheduleDeletion(of ticket: Ticket) {
        guard deletionTimers[ticket.number] == nil,
            let wait = DeletionWorkflow.wait(for: ticket, now: services.now())
        else { return }
        armDeletion(of: ticket.number, in: wait)
    }

    private func armDeletion(of number: Int, in wait: Duration) {
        deletionTimers[number] = eventLoop.scheduleTask(in: TimeAmount(wait)) {
            Task { await self.deleteChannel(of: number) }
        }
    }

    /// Runs the deletion workflow (`DeletionWorkflow`) by performing each effect it asks for.
    private func deleteChannel(of number: Int) async {
        deletionTimers[number] = nil
        var workflow = DeletionWorkflow(number: number)
        guard var effect = workflow.start(tickets, now: services.now()), deletionsInProgress.insert(number).inserted
        else { return }
        defer { deletionsInProgress.remove(number) }
        CrashPoint.reached(.deletionDue)
        while true {
            let outcome: DeletionWorkflow.Outcome
            switch effect {
            case .deleteChannel(let channelID):
                do {
                    _ = try await discordAPI.deleteChannel(channelID, reason: "Ticket #\(number) closed")
                    outcome = .succeeded
                } catch  where error.kind == .unknownChannel {
                    outcome = .channelGone  // already gone: nothing left to do but the bookkeeping
                } catch {
                    logger.warning("ticket #\(number): channel not deleted, will retry: \(error)")
                    recordFailure(error)
                    // On the guild's retry schedule, and shown as pending with the reason.
                    tickets.workFailed(
                        number: number, problem: "Discord did not delete the channel (\(error.message))",
                        schedule: services.retrySchedule, now: services.now())
                    outcome = .failed
                }
                if outcome != .failed { captured[channelID] = nil }
            case .storeArchived:
                await persistQuietly("archiving ticket #\(number)")
                outcome = .succeeded
            case .auditDeleted(let ticket):
                await audit(AuditEntry.deleted(ticket, reason: "closed ticket"))
                outcome = .succeeded
            case .retry(let wait):
                // A failed deletion waits as the retry schedule says (stored, so a restart keeps it).
                let scheduled = tickets.ticket(number: number)?.retry.map {
                    RetrySchedule.wait(until: $0.nextAttemptAt, from: services.now())
                }
                armDeletion(of: number, in: scheduled ?? wait)
                outcome = .succeeded
            }
            guard let next = workflow.next(after: outcome, tickets: &tickets) else { return }
            effect = next
        }
    }
}
