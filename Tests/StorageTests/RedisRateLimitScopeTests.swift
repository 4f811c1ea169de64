import AetheriaPorts
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing

/// The shared limiter's answers to 401s and to one misbehaving guild, against the test command's redis-server.
@Suite("Redis rate limits: scoped 401s, revocation probes, per-guild budgets")
struct RedisRateLimitScopeTests {
    static let botRoute = RateLimitRoute(template: "GET /channels/{channel}", majorParameter: "1")
    static let webhookRoute = RateLimitRoute(
        template: "PATCH /webhooks/{application}/{token}/messages/@original", majorParameter: "9",
        isExemptFromGlobalLimit: true, usesBotToken: false)

    static func store(probe: Duration = .seconds(60), guildBudget: Int = 50) throws -> RedisRateLimitStore {
        RedisRateLimitStore(
            client: try TestRedis.client(), namespace: "test-\(UUID().uuidString)",
            guildInvalidRequestBudget: guildBudget,
            revokedTokenProbeInterval: probe)
    }

    @Test("a 401 on an interaction webhook does not revoke the bot token for any process")
    func webhook401() async throws {
        let store = try Self.store()
        #expect(await store.decide(Self.webhookRoute, now: .now) == .send)
        await store.record(RateLimitResponse(status: 401), for: Self.webhookRoute, now: .now)
        #expect(await store.decide(Self.botRoute, now: .now) == .send)
    }

    @Test("a bot 401 stops bot requests everywhere, lets webhooks on, probes, and a success clears it")
    func bot401() async throws {
        // Two seconds between probes: the two checks right after the 401, and the one right after the probe,
        // must fall inside one interval. 300 ms did not on a loaded CI machine.
        let store = try Self.store(probe: .seconds(2))
        #expect(await store.decide(Self.botRoute, now: .now) == .send)
        await store.record(RateLimitResponse(status: 401), for: Self.botRoute, now: .now)
        #expect(await store.decide(Self.botRoute, now: .now) == .refuse(.tokenRevoked))
        #expect(await store.decide(Self.webhookRoute, now: .now) == .send)
        // Once the probe interval (Redis's clock) is over, one request goes; the next is refused again.
        let deadline = ContinuousClock.now + .seconds(15)
        var probed = false
        while !probed, ContinuousClock.now < deadline {
            probed = await store.decide(Self.botRoute, now: .now) == .send
            if !probed { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(probed)
        #expect(await store.decide(Self.botRoute, now: .now) == .refuse(.tokenRevoked))
        await store.record(
            RateLimitResponse(status: 200, limit: 5, remaining: 4, resetAfter: 1), for: Self.botRoute, now: .now)
        #expect(await store.decide(Self.botRoute, now: .now) == .send)
    }

    @Test("one guild's invalid responses exhaust its own budget; other guilds go on")
    func perGuildBudget() async throws {
        let store = try Self.store(guildBudget: 3)
        func route(_ guild: UInt64) -> RateLimitRoute {
            RateLimitRoute(template: "POST /guilds/{guild}/channels", majorParameter: "\(guild)", guildID: guild)
        }
        for _ in 0..<3 {
            #expect(await store.decide(route(7), now: .now) == .send)
            await store.record(
                RateLimitResponse(status: 403, limit: 50, remaining: 40, resetAfter: 10), for: route(7), now: .now)
        }
        guard case .refuse(.guildInvalidRequestBudgetExhausted(guildID: 7, _)) = await store.decide(route(7), now: .now)
        else {
            Issue.record("guild 7 should be refused")
            return
        }
        #expect(await store.decide(route(8), now: .now) == .send)
    }
}
