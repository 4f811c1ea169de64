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
        guard !outcome.isEmpty else { return }
        logger.info(
            "reconciled tickets",
            metadata: [
                "adopted": "\(outcome.adopted.count)", "vanished": "\(outcome.vanished.count)",
                "unfinished_openings": "\(outcome.unfinishedOpenings.count)",
                "unfinished_closes": "\(outcome.unfinishedCloses.count)",
                "pending_deletions": "\(outcome.pendingDeletions.count)",
            ])
        for ticket in outcome.pendingDeletions { scheduleDeletion(of: ticket) }
        Task {
            if !outcome.adopted.isEmpty || !outcome.vanished.isEmpty {
                await self.persistQuietly("reconciling")
            }
            for ticket in outcome.adopted { await self.audit(AuditEntry.adopted(ticket)) }
            for ticket in outcome.vanished {
                let reason = ticket.state == .closed ? "closed ticket" : "deleted while Aetheria was away"
                await self.audit(AuditEntry.deleted(ticket, reason: reason))
            }
            for ticket in outcome.unfinishedOpenings { await self.createChannel(for: ticket, acknowledgement: nil) }
            for ticket in outcome.unfinishedCloses { await self.finishClose(ticket.number, reply: nil) }
        }
    }
}
