import DiscordModels
import DiscordREST
import Foundation
import TicketCore

extension GuildActor {
    /// Posts one friendly reminder in each open ticket idle for longer than the guild allows. The reminder is
    /// stored before it is posted, so it is never posted twice for the same idle period; a new message from
    /// a person clears it. Returns how many were posted.
    func sendStaleReminders() async -> Int {
        guard case .ready = phase else { return 0 }
        let due = tickets.dueReminders(now: services.now()).filter { !remindersInProgress.contains($0.number) }
        guard !due.isEmpty else { return 0 }
        remindersInProgress.formUnion(due.map(\.number))
        defer { remindersInProgress.subtract(due.map(\.number)) }
        let now = services.now()
        for ticket in due { tickets.markReminded(number: ticket.number, at: now) }
        do {
            try await persist()
        } catch {
            for ticket in due { tickets.clearReminder(number: ticket.number) }
            logger.warning("stale reminders postponed: \(error)")
            return 0
        }
        CrashPoint.reached(.reminderRecorded)
        var sent = 0
        for ticket in due where await post(reminderOf: ticket) { sent += 1 }
        return sent
    }

    /// After a restart: reminders recorded but not confirmed (the crash came between recording and posting,
    /// or before the confirmation was stored). The channel is looked at first, so a reminder that did reach
    /// it is not posted twice, and one that did not is posted now instead of being lost.
    func finishUnconfirmedReminders() async {
        for ticket in tickets.unconfirmedReminders where remindersInProgress.insert(ticket.number).inserted {
            defer { remindersInProgress.remove(ticket.number) }
            guard let channelID = ticket.channelID, let recordedAt = ticket.reminderSentAt else { continue }
            let recent: [Message]
            do {
                recent = try await discordAPI.getMessages(channelID, limit: 50)
            } catch {
                logger.warning("ticket #\(ticket.number): cannot check for its reminder yet: \(error)")
                continue
            }
            let alreadyPosted = recent.contains { message in
                message.author.id == services.botUserID && message.embeds.first?.title == TicketMessages.reminderTitle
                    && (DiscordTimestamp.date(from: message.timestamp) ?? .distantPast)
                        >= recordedAt.addingTimeInterval(-60)
            }
            if alreadyPosted {
                tickets.confirmReminder(number: ticket.number)
                activityChanged()
            } else {
                _ = await post(reminderOf: ticket)
            }
        }
    }

    /// Posts a recorded reminder and confirms it; on failure forgets it so the next run tries again.
    private func post(reminderOf ticket: Ticket) async -> Bool {
        // As recorded now: its reminder time is the nonce that makes a repeated post the same message.
        let ticket = tickets.ticket(number: ticket.number) ?? ticket
        guard let channelID = ticket.channelID, ticket.reminderSentAt != nil else { return false }
        do {
            _ = try await discordAPI.createMessage(
                channelID, TicketMessages.reminder(ticket: ticket, idleHours: tickets.config.staleAfterHours))
            services.metrics.remindersSent.increment()
            CrashPoint.reached(.reminderPosted)
            tickets.confirmReminder(number: ticket.number)
            activityChanged()
            return true
        } catch {
            logger.warning("ticket #\(ticket.number): reminder not posted, retrying next run: \(error)")
            recordFailure(error, missing: "View Channel and Send Messages in the ticket channels")
            tickets.clearReminder(number: ticket.number)
            activityChanged()
            return false
        }
    }
}
