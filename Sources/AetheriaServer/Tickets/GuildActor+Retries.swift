import DiscordModels
import Foundation
import NIOCore
import TicketCore

/// The guild's unfinished work on one schedule (`RetrySchedule`): a close that stopped (store or Discord
/// unavailable), an interrupted opening, transcript deliveries, a channel deletion Discord refused (armed by
/// its own timer at the retry's time). Each records when it is
/// due in the guild's snapshot; one timer per guild runs whatever is due, so a pending workflow finishes once
/// Discord recovers, within the schedule's cap, with no GUILD_CREATE and no restart; a restart keeps the times.
extension GuildActor {
    /// Arms the guild's one retry timer for the earliest due work (at once when something is due now).
    func scheduleRetries() {
        retryTimer?.cancel()
        retryTimer = nil
        guard case .ready = phase else { return }
        let now = services.now()
        guard let due = tickets.nextRetryAt(now: now) else { return }
        retryTimer = eventLoop.scheduleTask(in: TimeAmount(RetrySchedule.wait(until: due, from: now))) {
            Task { await self.runDueRetries() }
        }
    }

    /// Runs every piece of work that is due, then arms the timer for the next.
    func runDueRetries() async {
        retryTimer = nil
        guard case .ready = phase, !retriesRunning else { return }
        retriesRunning = true
        defer {
            retriesRunning = false
            scheduleRetries()
        }
        let now = services.now()
        for ticket in tickets.ticketsAwaitingRetry where ticket.retry?.isDue(at: now) == true {
            switch ticket.state {
            case .closing:
                await finishClose(ticket.number, reply: nil)
            case .opening where !openingsInProgress.contains(ticket.number):
                await resumeOpening(ticket)
            case .opening:
                break
            case .closed:
                break  // a failed deletion: its own timer is armed for the retry's time
            case .open:
                tickets.workRecovered(number: ticket.number)
            }
        }
        for delivery in tickets.pendingDeliveries where delivery.retry?.isDue(at: now) ?? true {
            guard case .ready = phase else { return }
            await deliver(delivery)
        }
    }

    /// What is waiting for a retry, for the dashboard and the tests.
    var pendingWork: [PendingWork] { tickets.pendingWork }
}
