import DiscordModels
import Foundation
import Hummingbird
import TicketCore

/// Guards every `/guilds/{guild}/…` route: not logged in goes to the login, and a logged-in user gets the
/// guild's pages only with access decided live (`GuildAccessPolicy`). The routes then read the grant from
/// the context; another guild's objects are looked up under the guild of the URL, so they are not found.
struct GuildAccessMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    let policy: GuildAccessPolicy

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let session = context.session else { return DashboardResponse.redirect("/login") }
        guard let raw = context.parameters.get("guild", as: UInt64.self) else {
            throw PageFailure.notFound(session: session)
        }
        var context = context
        context.guild = try await policy.authorize(session, guildID: GuildID(raw))
        return try await next(request, context)
    }
}

/// Who may see a guild's dashboard, decided on every request from what Discord says now.
struct GuildAccessPolicy: Sendable {
    let backend: any DashboardBackend
    /// Guild pages per user: every guild page may ask Discord for the member's roles (cached a minute), so
    /// a script cannot spend the bot's REST budget through the dashboard.
    let pageLimiter: PostRateLimiter
    let now: @Sendable () -> Date

    /// Cheapest refusal first, so that a request that will be refused spends nothing of the bot's REST
    /// budget: a guild the bot is not in (404), a user who was not a member at login (403, no request), too
    /// many pages a minute (429), then the member's current roles (one cached lookup) and only then the
    /// guild's overview.
    func authorize(_ session: DashboardSessions.Session, guildID: GuildID) async throws -> GuildGrant {
        guard backend.hasGuild(guildID) else { throw PageFailure.notFound(session: session) }
        let noAccess = PageFailure.noAccess(
            "You are not an administrator or support staff in this server.", session: session)
        guard session.guilds.contains(where: { $0.id == guildID }) else { throw noAccess }
        guard pageLimiter.allow("pages:\(session.userID)", now: now()) else {
            throw PageFailure.slowDown("Too many pages in a minute; wait a moment.", session: session)
        }
        let (access, overview, roles) = await liveAccess(session, guildID: guildID)
        guard access != .none, let overview else { throw noAccess }
        return GuildGrant(session: session, access: access, overview: overview, memberRoles: roles)
    }

    /// The user's access now: their current roles first (not a member any more: no access, and the guild's
    /// overview is not even loaded), then the guild as the bot sees it.
    func liveAccess(
        _ session: DashboardSessions.Session, guildID: GuildID
    ) async -> (access: DashboardAccess, overview: GuildTicketsOverview?, roles: [RoleID]) {
        guard let roles = await backend.memberRoles(of: session.userID, in: guildID),
            let overview = await backend.overview(of: guildID)
        else { return (.none, nil, []) }
        let access = DashboardAccess.decide(
            userID: session.userID, memberRoles: roles, guild: overview.discord,
            staffRoleIDs: overview.tickets.config.types.flatMap(\.staffRoleIDs))
        return (access, overview, roles)
    }
}

extension GuildGrant {
    /// Configuration pages are for administrators only.
    func require(_ needed: DashboardAccess) throws {
        guard access >= needed else {
            throw PageFailure.noAccess("Only server administrators can change the configuration.", session: session)
        }
    }
}
