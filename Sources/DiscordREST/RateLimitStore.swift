/// Where rate-limit state lives: in this process, or (with the persistence issue) in Redis so several
/// Aetheria processes share one global limit and the buckets.
public protocol RateLimitStore: Sendable {
    func decide(_ route: RateLimitRoute, now: ContinuousClock.Instant) async -> RateLimitState.Decision
    func record(_ response: RateLimitResponse, for route: RateLimitRoute, now: ContinuousClock.Instant) async
    func abandon(_ route: RateLimitRoute) async
}

/// The in-process `RateLimitStore`: one `RateLimitState` behind an actor.
public actor InProcessRateLimitStore: RateLimitStore {
    private var state: RateLimitState

    public init(configuration: RateLimitState.Configuration = .init()) {
        state = RateLimitState(configuration: configuration)
    }

    public func decide(_ route: RateLimitRoute, now: ContinuousClock.Instant) -> RateLimitState.Decision {
        state.decide(route, now: now)
    }

    public func record(_ response: RateLimitResponse, for route: RateLimitRoute, now: ContinuousClock.Instant) {
        state.record(response, for: route, now: now)
    }

    public func abandon(_ route: RateLimitRoute) {
        state.abandon(route)
    }

    public func invalidRequestCount(now: ContinuousClock.Instant) -> Int {
        state.invalidRequestCount(now: now)
    }
}
