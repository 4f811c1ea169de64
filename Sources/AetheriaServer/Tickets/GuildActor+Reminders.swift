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
        let due = tickets.dueReminders(now: services.now())
        guard !due.isEmpty else { return 0 }
        let now = services.now()
        for ticket in due { tickets.markReminded(number: ticket.number, at: now) }
        do {
            try await persist()
        } catch {
            for ticket in due { tickets.clearReminder(number: ticket.number) }
            logger.warning("stale reminders postponed: \(error)")
            return 0
        }
        var sent = 0
        for ticket in due {
            guard let channelID = ticket.channelID else { continue }
            do {
                _ = try await rest.createMessage(
                    channelID, TicketMessages.reminder(ticket: ticket, idleHours: tickets.config.staleAfterHours))
                sent += 1
                services.metrics.remindersSent.increment()
            } catch {
                logger.warning("ticket #\(ticket.number): reminder not posted, retrying next run: \(error)")
                tickets.clearReminder(number: ticket.number)
                activityChanged()
            }
        }
        return sent
    }
}
