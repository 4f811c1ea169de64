import AetheriaPorts
import DiscordModels
import DiscordREST
import EmulatorTestSupport
import Foundation
import Testing

@Suite("The REST client against absurd rate-limit answers from the emulator")
struct HostileRESTTests {
    static let faults = [
        "retry_after 1e300": #"{"kind":"429","path_contains":"/users/@me","retry_after_seconds":1e300,"remaining":1}"#,
        "inf, nan and numbers beyond Int in the headers":
            #"{"kind":"429","path_contains":"/users/@me","remaining":1,"headers":{"Retry-After":"inf","X-RateLimit-Reset-After":"nan","X-RateLimit-Remaining":"-9223372036854775809","X-RateLimit-Limit":"99999999999999999999"}}"#,
    ]

    @Test(
        "the bot neither traps nor waits beyond a day, whatever numbers a 429 carries",
        arguments: faults.keys.sorted())
    func absurdRateLimitNumbers(_ name: String) async throws {
        let fault = try #require(Self.faults[name])
        try await EmulatorHarness.run { harness in
            let store = InProcessRateLimitStore()
            let client = DiscordRESTClient(
                configuration: .init(baseURL: harness.endpoints.restBaseURL, token: harness.token), rateLimits: store)
            _ = try await harness.control(.POST, "/faults/rest", json: fault)
            let request = Task { try await client.getCurrentUser() }
            // Once the client has learnt the 429, the route waits for what it said (clamped); while the request is
            // merely in flight the limiter only holds others back for 20 ms.
            let route = RateLimitRoute(template: "GET /users/@me")
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let record = try await harness.control(.GET, "/records/rate-limits").json
                if (record?["rate_limited_responses"]?.intValue ?? 0) >= 1 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            var learnt: ContinuousClock.Instant?
            while ContinuousClock.now < deadline, learnt == nil {
                let now = ContinuousClock.now
                if case .wait(let until) = await store.decide(route, now: now), until > now + .milliseconds(500) {
                    #expect(until <= now + .seconds(86_401))
                    learnt = until
                } else {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            #expect(learnt != nil, "the client should have learnt the 429")
            request.cancel()
            _ = await request.result
            // The process is still serving: a request on another route goes through.
            #expect(try await client.getGatewayBot().shards >= 1)
        }
    }
}
