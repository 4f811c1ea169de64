import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("REST: rate limits")
struct RESTRateLimitTests {
    @Test("every bucketed response carries the full X-RateLimit-* set; the bucket is per major parameter")
    func headers() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let general = try #require(guild.channel(named: "general"))
            let support = try #require(guild.channel(named: "support"))
            let first = try await harness.api(.POST, "/channels/\(general.id)/messages", json: #"{"content":"one"}"#)
            #expect(first.status == 200)
            for name in [
                "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After",
                "X-RateLimit-Bucket",
            ] {
                #expect(first.headers[name].count == 1, "missing \(name)")
            }
            #expect(first.headers["X-RateLimit-Limit"] == ["5"])
            #expect(first.headers["X-RateLimit-Remaining"] == ["4"])
            let other = try await harness.api(.POST, "/channels/\(support.id)/messages", json: #"{"content":"one"}"#)
            // Same bucket hash, separate counter per channel.
            #expect(other.headers["X-RateLimit-Bucket"] == first.headers["X-RateLimit-Bucket"])
            #expect(other.headers["X-RateLimit-Remaining"] == ["4"])
        }
    }

    @Test("exhausting a route bucket gets a 429 with Discord's body and headers, counted as invalid")
    func routeBucket429() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "general"))
            for index in 0..<5 {
                let ok = try await harness.api(
                    .POST, "/channels/\(channel.id)/messages", json: #"{"content":"\#(index)"}"#)
                #expect(ok.status == 200)
            }
            let limited = try await harness.api(.POST, "/channels/\(channel.id)/messages", json: #"{"content":"six"}"#)
            #expect(limited.status == 429)
            #expect(limited.headers["X-RateLimit-Scope"] == ["user"])
            #expect(limited.headers["Via"] == ["1.1 google"])
            #expect(limited.headers["X-RateLimit-Remaining"] == ["0"])
            let retryAfterHeader = try #require(limited.headers["Retry-After"].first.flatMap { Int($0) })
            let body = try limited.decode(RateLimitedBody.self)
            #expect(body.global == false)
            #expect(body.message == "You are being rate limited.")
            #expect(body.retryAfter > 0 && body.retryAfter <= 5)
            #expect(Double(retryAfterHeader) >= body.retryAfter)
            let record = try await harness.control(.GET, "/records/rate-limits").json
            #expect(record?["rate_limited_responses"]?.intValue == 1)
            #expect(record?["invalid_requests_last_10_minutes"]?.intValue == 1)
        }
    }

    @Test("the global limit answers with a global 429, and interaction callbacks are exempt from it")
    func globalLimit() async throws {
        try await EmulatorHarness.run({
            $0.globalRateLimit = 5
            $0.interactionResponseDeadline = .seconds(30)
        }) { harness in
            // Posting the panel takes one request of this second's budget.
            let interaction = try await InteractionTests.clickOpenButton(harness)
            // Twelve requests at once against 5 per second: even on a loaded machine that spreads them over two
            // windows, some must be refused, each with a global 429.
            let responses = try await withThrowingTaskGroup(of: EmulatorHarness.HTTPResult.self) { group in
                for _ in 0..<12 { group.addTask { try await harness.api(.GET, "/users/@me") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.count { $0.status == 200 } <= 10)
            let limited = try #require(responses.first { $0.status == 429 })
            #expect(responses.allSatisfy { $0.status == 200 || $0.status == 429 })
            #expect(limited.headers["X-RateLimit-Global"] == ["true"])
            #expect(limited.headers["X-RateLimit-Scope"] == ["global"])
            #expect(try limited.decode(RateLimitedBody.self).global)

            // An interaction callback still goes through while the bot is globally limited.
            let callback = try await harness.api(
                .POST, "/interactions/\(interaction.id)/\(interaction.token)/callback", json: #"{"type":6}"#,
                authorization: nil)
            #expect(callback.status == 204)
        }
    }

    @Test("forced faults: a shared-scope 429 is not counted as invalid; a 5xx and latency can be injected")
    func injectedFaults() async throws {
        try await EmulatorHarness.run { harness in
            _ = try await harness.control(
                .POST, "/faults/rest",
                json:
                    #"{"kind":"429","path_contains":"/users/@me","scope":"shared","retry_after_seconds":0.25,"remaining":1}"#
            )
            let shared = try await harness.api(.GET, "/users/@me")
            #expect(shared.status == 429)
            #expect(shared.headers["X-RateLimit-Scope"] == ["shared"])
            #expect(try shared.decode(RateLimitedBody.self).message == "The resource is being rate limited.")
            #expect(try await harness.api(.GET, "/users/@me").status == 200)

            _ = try await harness.control(
                .POST, "/faults/rest", json: #"{"kind":"5xx","path_contains":"/gateway","status":502,"remaining":1}"#)
            #expect(try await harness.api(.GET, "/gateway/bot").status == 502)
            #expect(try await harness.api(.GET, "/gateway/bot").status == 200)

            _ = try await harness.control(
                .POST, "/faults/rest",
                json: #"{"kind":"latency","path_contains":"/users/@me","latency_milliseconds":300,"remaining":1}"#)
            let start = ContinuousClock.now
            #expect(try await harness.api(.GET, "/users/@me").status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(300))

            let record = try await harness.control(.GET, "/records/rate-limits").json
            #expect(record?["by_scope"]?["shared"]?.intValue == 1)
            #expect(record?["invalid_requests_last_10_minutes"]?.intValue == 0)
        }
    }
}
