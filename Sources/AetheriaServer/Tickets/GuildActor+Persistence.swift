import DiscordModels
import NIOCore
import TicketCore

extension GuildActor {
    /// Writes the guild's current state and returns once the store has it: every lifecycle change is
    /// persisted before the user is told about it. Concurrent callers share writes.
    func persist() async throws {
        guard case .ready = phase else { throw GuildStoreError.unavailable("guild \(guildID) is not active here") }
        let version = persistence.requestWrite()
        try await withCheckedThrowingContinuation { continuation in
            persistence.wait(for: version, continuation)
            if persistence.inFlightVersion == nil { Task { await self.writeSnapshots() } }
        }
    }

    /// Persists, logging instead of throwing (for background bookkeeping such as archiving).
    func persistQuietly(_ what: String) async {
        do {
            try await persist()
        } catch {
            logger.error("could not save the guild's tickets while \(what): \(error)")
        }
    }

    /// Activity (message times and counts) is written at most every `activityFlushDelay`, not per message.
    func activityChanged() {
        guard !persistence.activityFlushScheduled else { return }
        persistence.activityFlushScheduled = true
        eventLoop.scheduleTask(in: TimeAmount(services.activityFlushDelay)) {
            Task { await self.flushActivity() }
        }
    }

    /// Writes unsaved changes now (shutdown).
    func flush() async {
        guard case .ready = phase, persistence.activityFlushScheduled || persistence.hasUnwrittenChanges else { return }
        await persistQuietly("shutting down")
    }

    /// Shutdown: write what is unsaved, then stop acting (timers cancelled, later events ignored).
    func stop() async {
        await flush()
        phase = .relinquished
        for timer in deletionTimers.values { timer.cancel() }
        deletionTimers.removeAll()
        retryTimer?.cancel()
        retryTimer = nil
    }

    private func flushActivity() async {
        persistence.activityFlushScheduled = false
        guard case .ready = phase else { return }
        await persistQuietly("recording ticket activity")
    }

    private func writeSnapshots() async {
        while persistence.hasUnwrittenChanges, persistence.inFlightVersion == nil {
            let version = persistence.requestedVersion
            persistence.inFlightVersion = version
            let snapshot = StoredGuildSnapshot(
                guildID: guildID, version: version, fencingToken: services.fencingToken(guildID),
                payload: GuildTicketsCodec.encode(tickets))
            do {
                try await services.guildStore.save(snapshot)
                services.metrics.snapshotWrites.increment()
                for waiter in persistence.written(version) { waiter.resume() }
            } catch {
                if case .stale = error {
                    // Another process owns this guild now; acting further would fight it.
                    logger.error("stopping work for this guild: \(error)")
                    phase = .relinquished
                }
                for waiter in persistence.failed() { waiter.resume(throwing: error) }
                return
            }
        }
    }
}
