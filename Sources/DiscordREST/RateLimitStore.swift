public import AetheriaPorts
public import DiscordModels

/// The in-process `RateLimitStore`: one `RateLimitState` behind an actor.
public actor InProcessRateLimitStore: RateLimitStore {
    private var state: RateLimitState

    public init(configuration: RateLimitState.Configuration = .init()) {
        state = RateLimitState(configuration: configuration)
    }

    public func decide(_ route: RateLimitRoute, now: ContinuousClock.Instant) -> RateLimitDecision {
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
