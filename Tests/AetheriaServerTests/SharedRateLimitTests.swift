import AetheriaPorts
import DiscordModels
import DiscordREST
import EmulatorTestSupport
import Foundation
import Logging
import Storage
import Testing

@Suite("REST rate limits shared through Redis by several processes")
struct SharedRateLimitTests {
    /// Two "processes" (each its own REST client and Redis connection pool) send `count` requests at once.
    static func burst(_ harness: EmulatorHarness, stores: [any RateLimitStore], count: Int) async throws -> Int {
        let channel = try #require(try await harness.guilds().first?.channel(named: "general"))
        let clients = stores.map {
            DiscordRESTClient(
                configuration: .init(baseURL: harness.endpoints.restBaseURL, token: harness.token), rateLimits: $0,
                logger: Logger(label: "test.rest", factory: { _ in SwiftLogNoOpLogHandler() }))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                let client = clients[index % clients.count]
                group.addTask { _ = try await client.getChannel(channel.id) }
            }
            try await group.waitForAll()
        }
        let record = try await harness.control(.GET, "/records/rate-limits").json
        return try #require(record?["rate_limited_responses"]?.intValue)
    }

    @Test("two processes sharing Redis stay inside Discord's global 50/s together: no 429")
    func sharedGlobalLimit() async throws {
        let namespace = "test-\(UUID().uuidString)"
        let first = try TestRedis.client()
        let second = try TestRedis.client()
        let rateLimited = try await EmulatorHarness.run { harness in
            try await Self.burst(
                harness,
                stores: [
                    RedisRateLimitStore(client: first, namespace: namespace),
                    RedisRateLimitStore(client: second, namespace: namespace),
                ], count: 120)
        }
        await first.shutdown()
        await second.shutdown()
        #expect(rateLimited == 0)
    }

    /// Decided at one instant, so the result cannot depend on how fast the machine is (the earlier version sent
    /// the burst to the emulator and counted 429s, which a slow machine spread over more than a second).
    @Test("a limiter per process lets both send a full second's worth at once (what sharing prevents)")
    func separateLimitersOvershoot() async throws {
        let now = ContinuousClock.now
        let route = RateLimitRoute(template: "GET /channels/{channel}", majorParameter: "1")
        func sends(_ stores: [any RateLimitStore]) async -> Int {
            var sent = 0
            for index in 0..<120 {
                let store = stores[index % stores.count]
                // Each request learns its bucket's headroom first, as a response would tell it.
                if await store.decide(route, now: now) == .send {
                    sent += 1
                    await store.record(
                        RateLimitResponse(status: 200, bucket: "b", limit: 1_000, remaining: 999, resetAfter: 60),
                        for: route, now: now)
                }
            }
            return sent
        }
        #expect(await sends([InProcessRateLimitStore(), InProcessRateLimitStore()]) == 100)
        #expect(await sends([InProcessRateLimitStore()]) == 50)
    }
}
