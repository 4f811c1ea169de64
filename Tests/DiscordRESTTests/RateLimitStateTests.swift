import AetheriaPorts
import DiscordModels
import DiscordREST
import Testing

@Suite("REST rate-limit state machine (manual clock, no sleeps)")
struct RateLimitStateTests {
    let start = ContinuousClock.now
    static let messages = RateLimitRoute(template: "POST /channels/{channel}/messages", majorParameter: "1")
    static let otherChannel = RateLimitRoute(template: "POST /channels/{channel}/messages", majorParameter: "2")
    static let callback = RateLimitRoute(
        template: "POST /interactions/{id}/{token}/callback", majorParameter: "9", isExemptFromGlobalLimit: true)

    func ok(remaining: Int, limit: Int = 5, resetAfter: Double = 5) -> RateLimitResponse {
        RateLimitResponse(status: 200, bucket: "abc", limit: limit, remaining: remaining, resetAfter: resetAfter)
    }

    @Test("an unknown bucket lets one request through to learn it; then the headers pace the rest")
    func learnsBuckets() {
        var state = RateLimitState()
        #expect(state.decide(Self.messages, now: start) == .send)
        guard case .wait = state.decide(Self.messages, now: start) else {
            Issue.record("a second request to an unknown bucket should wait for the first response")
            return
        }
        state.record(ok(remaining: 4), for: Self.messages, now: start)
        for _ in 0..<4 { #expect(state.decide(Self.messages, now: start) == .send) }
        #expect(state.decide(Self.messages, now: start) == .wait(until: start + .seconds(5)))
        for remaining in (0..<4).reversed() {
            state.record(ok(remaining: remaining, resetAfter: 4.9), for: Self.messages, now: start + .milliseconds(100))
        }
        // Another channel is another counter of the same bucket.
        #expect(state.decide(Self.otherChannel, now: start) == .send)
        // After the reset one request probes the new window; the rest wait for its answer.
        let reset = start + .seconds(5)
        #expect(state.decide(Self.messages, now: reset) == .send)
        #expect(state.decide(Self.messages, now: reset) == .wait(until: reset + .milliseconds(20)))
        state.record(ok(remaining: 4), for: Self.messages, now: reset)
        #expect(state.decide(Self.messages, now: reset) == .send)
    }

    @Test("one bucket per interaction answered is forgotten once idle, so a long-running bot does not grow")
    func idleBucketsAreForgotten() {
        var state = RateLimitState()
        var now = start
        for interaction in 0..<10_000 {
            let route = RateLimitRoute(
                template: "POST /interactions/{id}/{token}/callback", majorParameter: "\(interaction)",
                isExemptFromGlobalLimit: true)
            #expect(state.decide(route, now: now) == .send)
            state.record(
                RateLimitResponse(status: 204, bucket: nil, limit: nil, remaining: nil, resetAfter: nil), for: route,
                now: now)
            now = now + .milliseconds(20)  // 10,000 answers over 200 seconds
        }
        #expect(state.trackedBucketCount < 10_000 / 2)
        // A busy bucket with a running window and a learnt limit is kept and keeps pacing.
        #expect(state.decide(Self.messages, now: now) == .send)
        state.record(ok(remaining: 0, resetAfter: 100), for: Self.messages, now: now)
        now = now + .seconds(90)
        #expect(state.decide(Self.callback, now: now) == .send)  // triggers a prune
        #expect(state.decide(Self.messages, now: now) == .wait(until: now + .seconds(10)))
    }

    @Test("the global limit spreads requests over seconds; interaction callbacks are exempt")
    func globalLimit() {
        var configuration = RateLimitState.Configuration()
        configuration.globalLimit = 3
        var state = RateLimitState(configuration: configuration)
        let routes = (0..<4).map { RateLimitRoute(template: "GET /channels/{channel}", majorParameter: "\($0)") }
        for route in routes.prefix(3) { #expect(state.decide(route, now: start) == .send) }
        // A sliding window: the fourth waits until the first is a window (1 s + margin) old.
        #expect(state.decide(routes[3], now: start + .milliseconds(500)) == .wait(until: start + .milliseconds(1050)))
        #expect(state.decide(Self.callback, now: start) == .send)
        #expect(state.decide(routes[3], now: start + .milliseconds(1050)) == .send)
    }

    @Test("a global 429 pauses every non-exempt request for retry_after")
    func global429() {
        var state = RateLimitState()
        #expect(state.decide(Self.messages, now: start) == .send)
        state.record(
            RateLimitResponse(status: 429, retryAfter: 2.5, isGlobal: true, scope: "global"), for: Self.messages,
            now: start)
        #expect(state.decide(Self.otherChannel, now: start + .seconds(1)) == .wait(until: start + .milliseconds(2500)))
        #expect(state.decide(Self.callback, now: start + .seconds(1)) == .send)
        #expect(state.decide(Self.otherChannel, now: start + .seconds(3)) == .send)
    }

    @Test("a route 429 blocks its bucket until retry_after; shared-scope 429s are not counted as ours")
    func route429() {
        var state = RateLimitState()
        _ = state.decide(Self.messages, now: start)
        state.record(
            RateLimitResponse(
                status: 429, bucket: "abc", limit: 5, remaining: 0, resetAfter: 1, retryAfter: 1, scope: "user"),
            for: Self.messages, now: start)
        #expect(state.decide(Self.messages, now: start) == .wait(until: start + .seconds(1)))
        #expect(state.invalidRequestCount(now: start) == 1)
        _ = state.decide(Self.otherChannel, now: start)
        state.record(
            RateLimitResponse(status: 429, bucket: "abc", retryAfter: 1, scope: "shared"), for: Self.otherChannel,
            now: start)
        #expect(state.invalidRequestCount(now: start) == 1)
    }

    @Test("a 401 with the bot token stops bot requests (but one probe a minute) until one succeeds")
    func revokedToken() {
        var state = RateLimitState()
        _ = state.decide(Self.messages, now: start)
        state.record(RateLimitResponse(status: 401), for: Self.messages, now: start)
        #expect(state.decide(Self.otherChannel, now: start + .seconds(30)) == .refuse(.tokenRevoked))
        // The probe: an hour later one request may find out whether the token works again, the next may not.
        #expect(state.decide(Self.otherChannel, now: start + .seconds(3600)) == .send)
        #expect(state.decide(Self.otherChannel, now: start + .seconds(3600)) == .refuse(.tokenRevoked))
        // Interaction callbacks carry their own token, not the bot's (HostileRateLimitTests covers them).
    }

    @Test("the invalid-request breaker opens long before Discord's 10,000 and closes as the window slides")
    func invalidRequestBreaker() {
        var configuration = RateLimitState.Configuration()
        configuration.invalidRequestBudget = 10
        var state = RateLimitState(configuration: configuration)
        for index in 0..<10 {
            let route = RateLimitRoute(template: "GET /channels/{channel}", majorParameter: "\(index)")
            #expect(state.decide(route, now: start) == .send)
            state.record(RateLimitResponse(status: 403), for: route, now: start)
        }
        #expect(
            state.decide(Self.messages, now: start + .seconds(1))
                == .refuse(.invalidRequestBreakerOpen(until: start + .seconds(600))))
        #expect(state.decide(Self.messages, now: start + .seconds(601)) == .send)
    }

    @Test("a request that never got an answer frees its slot")
    func abandonedRequest() {
        var state = RateLimitState()
        #expect(state.decide(Self.messages, now: start) == .send)
        state.abandon(Self.messages)
        #expect(state.decide(Self.messages, now: start) == .send)
    }
}
