import DiscordModels
import DiscordREST
import Foundation
import TicketCore

extension GuildActor {
    /// Posts one friendly reminder in each open ticket idle for longer than the guild allows, by running a
    /// `ReminderRound`: recorded and stored before posted, so never posted twice for the same idle period; a
    /// new message from a person clears it. Returns how many were posted.
    func sendStaleReminders() async -> Int {
        guard case .ready = phase,
            let (round, first) = ReminderRound.begin(&tickets, now: services.now(), excluding: remindersInProgress)
        else { return 0 }
        return await run(round, from: first)
    }

    /// After a restart: reminders recorded but not confirmed (the crash came between recording and posting,
    /// or before the confirmation was stored). The channel is looked at first, so a reminder that did reach
    /// it is not posted twice, and one that did not is posted now instead of being lost.
    func finishUnconfirmedReminders() async {
        var missing: [Int] = []
        for ticket in tickets.unconfirmedReminders where !remindersInProgress.contains(ticket.number) {
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
                missing.append(ticket.number)
            }
        }
        guard let (round, first) = ReminderRound.resume(missing, tickets: tickets) else { return }
        _ = await run(round, from: first)
    }

    /// Performs the round's effects; returns how many reminders were posted.
    private func run(_ round: ReminderRound, from first: ReminderRound.Effect) async -> Int {
        var round = round
        remindersInProgress.formUnion(round.numbers)
        defer { remindersInProgress.subtract(round.numbers) }
        var effect: ReminderRound.Effect? = first
        while let current = effect {
            let outcome: ReminderRound.Outcome
            switch current {
            case .storeReminders:
                do {
                    try await persist()
                    CrashPoint.reached(.reminderRecorded)
                    outcome = .succeeded
                } catch {
                    logger.warning("stale reminders postponed: \(error)")
                    outcome = .failed
                }
            case .post(let ticket):
                outcome = await post(reminderOf: ticket)
            }
            effect = round.next(after: outcome, tickets: &tickets)
            if case .post = current { activityChanged() }
        }
        scheduleAutomaticCloses()  // a reminder may be the warning before a ticket closes by itself
        return round.posted
    }

    private func post(reminderOf ticket: Ticket) async -> ReminderRound.Outcome {
        guard let channelID = ticket.channelID else { return .failed }
        do {
            let type = tickets.type(of: ticket)
            let closesAt =
                type.autoCloseAfterReminderHours > 0
                ? ticket.reminderSentAt?.addingTimeInterval(Double(type.autoCloseAfterReminderHours) * 3_600) : nil
            _ = try await discordAPI.createMessage(
                channelID, TicketMessages.reminder(ticket: ticket, idleHours: type.staleAfterHours, closesAt: closesAt))
            services.metrics.remindersSent.increment()
            CrashPoint.reached(.reminderPosted)
            return .succeeded
        } catch {
            logger.warning("ticket #\(ticket.number): reminder not posted, retrying next run: \(error)")
            recordFailure(error, missing: "View Channel and Send Messages in the ticket channels")
            return .failed
        }
    }
}
