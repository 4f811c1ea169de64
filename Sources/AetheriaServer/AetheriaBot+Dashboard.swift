public import Dashboard
import DiscordModels
public import Foundation
public import Logging
import Metrics
public import Prometheus

extension AetheriaBot {
    /// Routes every swift-metrics metric of the process into one Prometheus registry (call once, at start).
    public static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// The dashboard serving this bot, configured from the same configuration. `memberRolesLifetime` is how
    /// long a member's roles are believed (how soon a demotion takes effect).
    public func dashboard(
        registry: PrometheusCollectorRegistry, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
        memberRolesLifetime: Duration = .seconds(60)
    ) -> DashboardServer {
        let publicURL =
            configuration.dashboardPublicURL
            ?? URL(string: "http://\(configuration.dashboardHost):\(configuration.dashboardPort)")!
        var settings = DashboardConfiguration(
            host: configuration.dashboardHost, port: configuration.dashboardPort, publicURL: publicURL,
            authorizeURL: configuration.dashboardAuthorizeURL, clientID: configuration.discordClientID ?? "",
            secureCookies: configuration.dashboardSecureCookies, metricsToken: configuration.metricsToken)
        settings.postsPerMinute = 30
        let backend = BotDashboardBackend(
            bot: self, clientID: configuration.discordClientID ?? "",
            clientSecret: configuration.discordClientSecret ?? "", registry: registry,
            memberRoles: MemberRolesCache(lifetime: memberRolesLifetime))
        return DashboardServer(configuration: settings, backend: backend, logger: logger, now: now)
    }
}
