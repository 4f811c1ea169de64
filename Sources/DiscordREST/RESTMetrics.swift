import Metrics

/// swift-metrics instruments for REST calls. Labels are route templates, statuses and scopes: never a
/// token, an interaction token or a concrete ID.
enum RESTMetrics {
    static func recordResponse(route: String, status: Int) {
        Counter(label: "aetheria_rest_requests_total", dimensions: [("route", route), ("status", String(status))])
            .increment()
    }

    static func recordRateLimited(scope: String) {
        Counter(label: "aetheria_rest_rate_limited_total", dimensions: [("scope", scope)]).increment()
    }

    static func recordWait(route: String, duration: Duration) {
        Metrics.Timer(label: "aetheria_rest_rate_limit_wait", dimensions: [("route", route)])
            .recordNanoseconds(
                duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    static func recordRefusal(_ refusal: RateLimitState.Refusal) {
        let reason =
            switch refusal {
            case .tokenRevoked: "token_revoked"
            case .invalidRequestBreakerOpen: "invalid_request_breaker"
            case .guildInvalidRequestBudgetExhausted: "guild_invalid_request_budget"
            }
        Counter(label: "aetheria_rest_refused_total", dimensions: [("reason", reason)]).increment()
    }
}
