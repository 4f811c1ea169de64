import Foundation
import Hummingbird

/// The dashboard's routes and middleware, in one place a reader can scan:
///
/// - every request: `SessionMiddleware` (the session from the cookie), then `PageMiddleware` (refusals as
///   pages, security headers on every response);
/// - form posts: `FormPostMiddleware` (session, post limit, bounded body, CSRF);
/// - `/guilds/{guild}/…`: `GuildAccessMiddleware` (login, then access decided live).
///
/// `DashboardServer` serves it; the router tests call it without a network or a bot.
enum DashboardRouter {
    static func make(
        configuration: DashboardConfiguration, backend: any DashboardBackend, now: @escaping @Sendable () -> Date
    ) -> Router<DashboardContext> {
        let sessions = DashboardSessions(store: backend.sessionStore, lifetime: configuration.sessionLifetime)
        let postLimiter = PostRateLimiter(limit: configuration.postsPerMinute)
        let policy = GuildAccessPolicy(
            backend: backend, pageLimiter: PostRateLimiter(limit: configuration.guildPagesPerMinute), now: now)
        let routes = DashboardRoutes(
            configuration: configuration, backend: backend, sessions: sessions, loginLimiter: postLimiter,
            accessPolicy: policy, now: now)
        let formPost = FormPostMiddleware(
            postLimiter: postLimiter, maximumBodyBytes: configuration.maximumBodyBytes, now: now)

        let router = Router(context: DashboardContext.self)
        router.add(middleware: SessionMiddleware(sessions: sessions, now: now))
        router.add(middleware: PageMiddleware())

        router.get("/", use: routes.home)
        router.get("/login", use: routes.login)
        router.get("/oauth/callback", use: routes.callback)
        router.group().add(middleware: formPost).post("/logout", use: routes.logout)
        router.get("/assets/dashboard.css") { _, _ in
            DashboardResponse.text(DashboardAssets.css, type: "text/css; charset=utf-8", cacheFor: 3_600)
        }
        router.get("/assets/live.js") { _, _ in
            DashboardResponse.text(DashboardAssets.script, type: "text/javascript; charset=utf-8", cacheFor: 3_600)
        }

        router.get("/healthz", use: routes.health)
        router.get("/readyz", use: routes.readiness)
        router.get("/metrics", use: routes.metrics)
        router.get("/shards", use: routes.shards)

        let guild = router.group("/guilds/:guild").add(middleware: GuildAccessMiddleware(policy: policy))
        guild.get("", use: routes.analytics)
        guild.get("/charts", use: routes.charts)
        guild.get("/events", use: routes.events)
        guild.get("/config", use: routes.configForm)
        guild.get("/config/types/:type", use: routes.typeForm)
        guild.get("/config/panels/:panel", use: routes.panelForm)
        let posts = guild.group().add(middleware: formPost)
        posts.post("/config", use: routes.saveConfig)
        posts.post("/config/access", use: routes.saveAccess)
        posts.post("/config/preview", use: routes.previewMarkdown)
        posts.post("/config/types", use: routes.addType)
        posts.post("/config/types/:type", use: routes.saveType)
        posts.post("/config/types/:type/delete", use: routes.deleteType)
        posts.post("/config/panels", use: routes.addPanel)
        posts.post("/config/panels/:panel", use: routes.savePanel)
        posts.post("/config/panels/:panel/delete", use: routes.deletePanel)
        posts.post("/config/panels/:panel/post", use: routes.postPanel)
        guild.get("/transcripts", use: routes.transcriptList)
        guild.get("/transcripts/:number", use: routes.transcriptViewer)
        guild.get("/transcripts/:number/raw") { request, context in
            try await routes.transcriptFile(request, context: context, asDownload: false)
        }
        guild.get("/transcripts/:number/download") { request, context in
            try await routes.transcriptFile(request, context: context, asDownload: true)
        }
        return router
    }
}

/// What the route handlers share. Its handlers live in extensions by area: login, guild pages,
/// transcripts, operators.
package struct DashboardRoutes: Sendable {
    typealias Context = DashboardContext

    let configuration: DashboardConfiguration
    let backend: any DashboardBackend
    let sessions: DashboardSessions
    /// Login attempts per client address (shared with the form posts' per-user window).
    let loginLimiter: PostRateLimiter
    let accessPolicy: GuildAccessPolicy
    let now: @Sendable () -> Date
    /// Exact medians from the transcript store, kept until a guild's counters change.
    let medianCache = ResolutionMedianCache()

    var today: Int { Int(now().timeIntervalSince1970 / 86_400) }

    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        DashboardCookie.make(name, value, maxAge: maxAge, secure: configuration.secureCookies)
    }
}
