import AetheriaPorts
import DiscordModels
import Foundation
import Logging
import ServiceLifecycle
import TicketCore

/// The stale-ticket reminders and the transcript retention, as one service: every `staleCheckInterval` it
/// asks every guild actor for its reminders and deletes transcripts past their retention. The next sweep's due
/// time is stored (per shard range, so several processes each sweep their own guilds): a process restarted
/// more often than the interval still sweeps, at once when the stored time has passed.
final class StaleReminderScheduler: Service, Sendable {
    private let configuration: AetheriaConfiguration
    private let directory: GuildDirectory
    private let records: any ExpiringRecordStore
    private let transcripts: any TranscriptStore
    /// Returns once the guilds are there to be swept (the shards started).
    private let guildsStarted: @Sendable () async throws -> Void
    private let now: @Sendable () -> Date
    private let logger: Logger

    init(
        configuration: AetheriaConfiguration, directory: GuildDirectory, records: any ExpiringRecordStore,
        transcripts: any TranscriptStore, guildsStarted: @escaping @Sendable () async throws -> Void,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.configuration = configuration
        self.directory = directory
        self.records = records
        self.transcripts = transcripts
        self.guildsStarted = guildsStarted
        self.now = now
        self.logger = logger
    }

    private var dueTimeKey: String {
        "aetheria:stale-sweep:\(configuration.shardRange.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "all")"
    }

    func run() async throws {
        let intervalSeconds = Double(configuration.staleCheckInterval.components.seconds)
        do {
            try await cancelWhenGracefulShutdown { try await self.guildsStarted() }
        } catch {
            return  // shut down before the shards ran
        }
        var due = now()  // never swept before: sweep at once
        if let stored = try? await records.get(dueTimeKey, now: now()),
            let seconds = Double(String(decoding: stored, as: UTF8.self)),
            seconds.isFinite
        {
            // Stored by an earlier run; never more than one interval ahead, whatever the store says.
            due = min(Date(timeIntervalSince1970: seconds), now().addingTimeInterval(intervalSeconds))
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let wait =
                OutsideNumber.duration(
                    seconds: due.timeIntervalSince(now()), maximum: configuration.staleCheckInterval) ?? .zero
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return
            }
            let sent = await directory.sendStaleReminders()
            if sent > 0 { logger.info("posted \(sent) stale-ticket reminders") }
            let closed = await directory.closeDueTickets()
            if closed > 0 { logger.info("\(closed) tickets closed by themselves") }
            await purgeOldTranscripts()
            due = now().addingTimeInterval(intervalSeconds)
            try? await records.put(
                dueTimeKey, Array(String(due.timeIntervalSince1970).utf8),
                expiresAt: due.addingTimeInterval(intervalSeconds * 4))
        }
    }

    /// Deletes transcripts older than the retention period, guild by guild.
    func purgeOldTranscripts() async {
        guard let days = configuration.transcriptRetentionDays else { return }
        let cutoff = now().addingTimeInterval(-Double(days) * 86_400)
        var deleted = 0
        for guildID in directory.guildIDs {
            do {
                deleted += try await transcripts.deleteClosed(before: cutoff, guildID: guildID)
            } catch {
                logger.warning("could not apply transcript retention in guild \(guildID): \(error)")
            }
        }
        if deleted > 0 { logger.info("deleted \(deleted) transcripts older than \(days) days") }
    }
}
