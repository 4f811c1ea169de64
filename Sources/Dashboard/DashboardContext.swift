import DiscordModels
import Foundation
import Hummingbird
import NIOCore
import TicketCore

/// The request context: Hummingbird's core storage, the client's address (for the login limit), and what
/// the middleware learned about the request before a route runs: the session from the cookie, and for a
/// guild's pages the user's access to that guild, decided live.
struct DashboardContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let clientAddress: String
    /// Set by `SessionMiddleware` for every request; `nil` when not logged in.
    var session: DashboardSessions.Session?
    /// Set by `GuildAccessMiddleware` on `/guilds/{guild}/…` once the user may see the guild.
    var guild: GuildGrant?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// JSON responses (`/healthz`, `/readyz`) with stable key order, so operators can diff them.
    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Forms are `application/x-www-form-urlencoded`, decoded by Hummingbird's form decoder.
    var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}

/// A logged-in user's access to one guild, and the guild as the bot sees it, for the guild's routes.
struct GuildGrant: Sendable {
    var session: DashboardSessions.Session
    var access: DashboardAccess
    /// The guild as this user may see it (`GuildTickets.restricted(to:)`): every page renders from it, so a
    /// staff member of one type never gets another type's tickets, counters or colleagues' statistics.
    var overview: GuildTicketsOverview
    /// The whole guild, for what is computed per guild and then restricted (the cached medians).
    var unrestricted: GuildTicketsOverview
    /// The user's roles now (what decided `access`); staff see only the types whose roles they hold.
    var memberRoles: [RoleID] = []
    var guildID: GuildID { overview.guildID }

    init(
        session: DashboardSessions.Session, access: DashboardAccess, overview: GuildTicketsOverview,
        memberRoles: [RoleID]
    ) {
        self.session = session
        self.access = access
        self.memberRoles = memberRoles
        self.unrestricted = overview
        var visible = overview
        visible.tickets = overview.tickets.restricted(
            to: TicketViewer(userID: session.userID, roles: memberRoles, isAdmin: access == .admin))
        self.overview = visible
    }

    var viewer: TicketViewer { TicketViewer(userID: session.userID, roles: memberRoles, isAdmin: access == .admin) }

    /// Whether this user may read a transcript (or see any figure of its ticket).
    func mayRead(_ record: TranscriptRecord) -> Bool {
        unrestricted.tickets.mayView(typeID: record.typeID, claimerID: record.claimerID, viewer: viewer)
    }

    /// The guild's medians as this user may see them: their types' only, and the guild's own only when they
    /// see every type.
    func visible(_ medians: ResolutionMedians?) -> ResolutionMedians? {
        guard var medians, access != .admin else { return medians }
        let types = unrestricted.tickets.visibleTypeIDs(for: viewer)
        medians.byType = medians.byType.filter { types.contains($0.key) }
        if types.count < unrestricted.tickets.config.types.count {
            medians.guild = types.count == 1 ? types.first.flatMap { medians.byType[$0] } : nil
        }
        return medians
    }

    /// The guild's ratings as this user may see them.
    func visible(_ ratings: RatingSummary?) -> RatingSummary? {
        guard let ratings, access != .admin else { return ratings }
        let types = unrestricted.tickets.visibleTypeIDs(for: viewer)
        if types.count == unrestricted.tickets.config.types.count {
            var copy = ratings
            copy.byStaff = ratings.byStaff.filter { $0.key == session.userID }
            return copy
        }
        return ratings.restricted(toTypes: types, staffID: session.userID)
    }

    /// The ticket types this user works on: every type for admins, else those with one of their roles.
    var visibleTypes: [TicketType] {
        let types = overview.tickets.config.types
        guard access != .admin else { return types }
        return types.filter { $0.staffRoleIDs.contains(where: memberRoles.contains) }
    }
}

extension DashboardContext {
    /// The grant of the guild routes; only reachable behind `GuildAccessMiddleware`.
    func requireGuild() throws -> GuildGrant {
        guard let guild else { throw PageFailure.notFound(session: session) }
        return guild
    }

    func requireSession() throws -> DashboardSessions.Session {
        guard let session else {
            throw PageFailure(
                status: .forbidden, page: DashboardPages.error("Not logged in", "Please log in again.", session: nil))
        }
        return session
    }
}
