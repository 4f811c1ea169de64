import AetheriaPorts
import DiscordModels
import DiscordREST
import Testing

@Suite("REST rate limits against hostile numbers, expired tokens and one misbehaving guild")
struct HostileRateLimitTests {
    let start = ContinuousClock.now
    static let messages = RateLimitRoute(template: "POST /channels/{channel}/messages", majorParameter: "1")
    static let callback = RateLimitRoute(
        template: "POST /webhooks/{application}/{token}", majorParameter: "9", isExemptFromGlobalLimit: true,
        usesBotToken: false)

    static func headers(_ values: [String: String]) -> (String) -> String? { { values[$0] } }

    @Test(
        "absurd header values are clamped or ignored, never trap",
        arguments: [
            "inf", "-inf", "nan", "1e300", "-1e300", "9223372036854775807", "-9223372036854775808",
            "99999999999999999999999999", "", "12abc", "0x10",
        ])
    func hostileHeaders(value: String) {
        let parsed = RateLimitResponse.parsing(
            status: 429,
            header: Self.headers([
                "Retry-After": value, "X-RateLimit-Reset-After": value, "X-RateLimit-Remaining": value,
                "X-RateLimit-Limit": value,
            ]))
        for seconds in [parsed.retryAfter, parsed.resetAfter].compactMap({ $0 }) {
            #expect(seconds >= 0 && seconds <= RateLimitResponse.maximumWaitSeconds)
        }
        for count in [parsed.limit, parsed.remaining].compactMap({ $0 }) {
            #expect(count >= 0 && count <= RateLimitResponse.maximumBucketSize)
        }
        var state = RateLimitState()
        #expect(state.decide(Self.messages, now: start) == .send)
        state.record(parsed, for: Self.messages, now: start)
        switch state.decide(Self.messages, now: start) {
        case .wait(let until): #expect(until <= start + .seconds(86_400))
        case .send, .refuse: break
        }
    }

    @Test("a state fed directly with infinite or NaN waits stays bounded")
    func hostileValuesFedDirectly() {
        for value in [Double.infinity, -.infinity, .nan, 1e300, -1e300] {
            var state = RateLimitState()
            _ = state.decide(Self.messages, now: start)
            state.record(
                RateLimitResponse(status: 429, limit: 1, remaining: 0, resetAfter: value, retryAfter: value),
                for: Self.messages, now: start)
            if case .wait(let until) = state.decide(Self.messages, now: start) {
                #expect(until <= start + .seconds(86_400))
            }
        }
    }

    @Test("a 401 on an interaction webhook (its token expired) does not stop the bot")
    func webhook401DoesNotRevoke() {
        var state = RateLimitState()
        #expect(state.decide(Self.callback, now: start) == .send)
        state.record(RateLimitResponse(status: 401), for: Self.callback, now: start)
        #expect(!state.tokenRevoked)
        #expect(state.decide(Self.messages, now: start) == .send)
    }

    @Test("a 401 with the bot token stops bot requests, probes once a minute, and a success clears it")
    func bot401RevokesUntilASuccess() {
        var state = RateLimitState()
        #expect(state.decide(Self.messages, now: start) == .send)
        state.record(RateLimitResponse(status: 401), for: Self.messages, now: start)
        #expect(state.tokenRevoked)
        #expect(state.decide(Self.messages, now: start + .seconds(1)) == .refuse(.tokenRevoked))
        // Interaction callbacks need no bot token: members still get answers.
        #expect(state.decide(Self.callback, now: start + .seconds(1)) == .send)
        // A minute later one probe goes out; the next request is refused until the probe is answered.
        let probe = start + .seconds(61)
        #expect(state.decide(Self.messages, now: probe) == .send)
        #expect(state.decide(Self.messages, now: probe) == .refuse(.tokenRevoked))
        state.record(
            RateLimitResponse(status: 200, limit: 5, remaining: 4, resetAfter: 1), for: Self.messages, now: probe)
        #expect(!state.tokenRevoked)
        #expect(state.decide(Self.messages, now: probe + .seconds(2)) == .send)
    }

    @Test("one guild's refusals exhaust its own budget; other guilds and the process go on")
    func perGuildInvalidBudget() {
        var state = RateLimitState()
        var now = start
        func route(guild: UInt64, channel: Int) -> RateLimitRoute {
            RateLimitRoute(
                template: "POST /guilds/{guild}/channels", majorParameter: "\(guild)", guildID: guild)
        }
        let budget = state.configuration.guildInvalidRequestBudget
        for attempt in 0..<budget {
            #expect(state.decide(route(guild: 7, channel: attempt), now: now) == .send)
            state.record(
                RateLimitResponse(status: 403, limit: 50, remaining: 49, resetAfter: 0.001),
                for: route(guild: 7, channel: attempt), now: now)
            now = now + .milliseconds(30)
        }
        guard
            case .refuse(.guildInvalidRequestBudgetExhausted(guildID: 7, _)) = state.decide(
                route(guild: 7, channel: 0), now: now)
        else {
            Issue.record("guild 7 should be refused once its budget is spent")
            return
        }
        #expect(state.decide(route(guild: 8, channel: 0), now: now) == .send)
        #expect(state.invalidRequestCount(now: now) == budget)
        // Ten minutes later the guild's window is over.
        #expect(state.decide(route(guild: 7, channel: 0), now: now + .seconds(601)) == .send)
    }
}
