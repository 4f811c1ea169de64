import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What operators and their monitoring read: health and readiness as JSON without login, metrics in
/// Prometheus' text format (behind a bearer token when one is configured), and the shard page.
extension DashboardRoutes {
    /// The body of `/healthz` and `/readyz`.
    struct HealthReport: ResponseEncodable {
        var status: String
        var store: String
        var shardsConnected: Int
        var shardsTotal: Int
        var guilds: Int

        enum CodingKeys: String, CodingKey {
            case status, store, guilds
            case shardsConnected = "shards_connected"
            case shardsTotal = "shards_total"
        }

        init(_ health: DashboardHealth, status: String) {
            self.status = status
            store = health.storeAvailable ? "available" : "unavailable"
            shardsConnected = health.shardsConnected
            shardsTotal = health.shardsTotal
            guilds = health.guilds
        }
    }

    /// 503 while the store is away: the process cannot keep what it does.
    @Sendable func health(_ request: Request, context: Context) async throws -> EditedResponse<HealthReport> {
        let health = backend.health()
        return EditedResponse(
            status: health.storeAvailable ? .ok : .serviceUnavailable,
            response: HealthReport(health, status: health.status))
    }

    /// Ready when the store is reachable and every shard is connected.
    @Sendable func readiness(_ request: Request, context: Context) async throws -> EditedResponse<HealthReport> {
        let health = backend.health()
        let ready = health.storeAvailable && health.shardsConnected == health.shardsTotal && health.shardsTotal > 0
        return EditedResponse(
            status: ready ? .ok : .serviceUnavailable,
            response: HealthReport(health, status: ready ? "ready" : "not ready"))
    }

    @Sendable func metrics(_ request: Request, context: Context) async throws -> Response {
        if configuration.metricsToken != nil, !hasMetricsToken(request) { return Self.bearerRequired }
        return DashboardResponse.text(backend.prometheusText(), type: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// Operators only: the metrics token when one is set, otherwise any logged-in user.
    @Sendable func shards(_ request: Request, context: Context) async throws -> Response {
        let allowed = configuration.metricsToken != nil ? hasMetricsToken(request) : context.session != nil
        guard allowed else { return Self.bearerRequired }
        return DashboardResponse.html(DashboardPages.shards(backend.shards(), health: backend.health()))
    }

    private static var bearerRequired: Response {
        Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
    }

    private func hasMetricsToken(_ request: Request) -> Bool {
        guard let token = configuration.metricsToken else { return false }
        return FormPostMiddleware.constantTimeEqual(request.headers[.authorization] ?? "", "Bearer \(token)")
    }
}
