import AetheriaPorts
import AsyncHTTPClient
import Benchmark
import DiscordEmulator
import DiscordModels
import DiscordREST
import Foundation
import Logging
import NIOCore

/// What rate limiting adds to each REST request when no waiting is needed (decide + record), next to what
/// one loopback request to the emulator costs.
let benchmarks: @Sendable () -> Void = {
    let routes = (0..<64).map {
        RateLimitRoute(template: "POST /channels/{channel}/messages", majorParameter: String(1_000 + $0))
    }

    Benchmark(
        "rate limiter: decide + record, no waiting (pure state), per request",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        var configuration = RateLimitState.Configuration()
        configuration.globalLimit = 1_000_000
        var state = RateLimitState(configuration: configuration)
        let now = ContinuousClock.now
        for route in routes {  // learn every bucket first
            _ = state.decide(route, now: now)
            state.record(
                .init(status: 200, bucket: "abc", limit: 1_000_000, remaining: 999_999, resetAfter: 3600), for: route,
                now: now)
        }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let route = routes[index % routes.count]
            blackHole(state.decide(route, now: now))
            state.record(
                .init(status: 200, bucket: "abc", limit: 1_000_000, remaining: 999_000, resetAfter: 3600), for: route,
                now: now)
        }
    }

    Benchmark(
        "rate limiter: decide + record through the in-process store (actor hops), per request",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)
    ) { benchmark in
        var configuration = RateLimitState.Configuration()
        configuration.globalLimit = 1_000_000
        let store = InProcessRateLimitStore(configuration: configuration)
        let now = ContinuousClock.now
        for route in routes {
            _ = await store.decide(route, now: now)
            await store.record(
                .init(status: 200, bucket: "abc", limit: 1_000_000, remaining: 999_999, resetAfter: 3600), for: route,
                now: now)
        }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let route = routes[index % routes.count]
            blackHole(await store.decide(route, now: now))
            await store.record(
                .init(status: 200, bucket: "abc", limit: 1_000_000, remaining: 999_000, resetAfter: 3600), for: route,
                now: now)
        }
    }

    Benchmark(
        "one loopback REST request to the emulator (GET /gateway, no rate-limit wait), per request",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(3))
    ) { benchmark in
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.gatewayPort = 0
        configuration.guilds = 1
        configuration.globalRateLimit = 1_000_000
        configuration.routeLimits["gateway"] = RouteLimit(limit: 1_000_000, window: .seconds(1))
        let emulator = LocalDiscord(
            configuration: configuration, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await emulator.run() }
        let endpoints = try await emulator.endpoints()
        let url = endpoints.restBaseURL.absoluteString + "/gateway"
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            blackHole(try await response.body.collect(upTo: 1 << 16).readableBytes)
        }
        benchmark.stopMeasurement()
        task.cancel()
    }
}
