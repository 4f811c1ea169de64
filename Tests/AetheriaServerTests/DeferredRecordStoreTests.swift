import Foundation
import Testing
import TicketCore

@testable import AetheriaServer

@Suite("The dashboard's session store before the bot has opened its own")
struct DeferredRecordStoreTests {
    @Test("a session written before the configured store opens waits and lands in it, not in a local fallback")
    func waitsForTheConfiguredStore() async throws {
        let deferred = DeferredRecordStore()
        let configured = InMemoryExpiringRecordStore()
        let later = Date().addingTimeInterval(600)
        let write = Task { try await deferred.put("session", [1, 2, 3], expiresAt: later) }
        // The write cannot finish while nothing is open.
        #expect(!deferred.isOpen)
        deferred.open(configured)
        try await write.value
        #expect(await configured.get("session", now: Date()) == [1, 2, 3])
        #expect(try await deferred.get("session", now: Date()) == [1, 2, 3])
    }

    @Test("waiting for the stores ends when cancelled (shutdown before the store ever opened)")
    func cancellable() async {
        let bot = AetheriaBot(configuration: AetheriaConfiguration(), logger: BotHarness.logger)
        let waiting = Task { await bot.storesOpened() }
        waiting.cancel()
        await waiting.value
    }
}
