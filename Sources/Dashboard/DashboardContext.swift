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
    var overview: GuildTicketsOverview
    /// The user's roles now (what decided `access`); staff see only the types whose roles they hold.
    var memberRoles: [RoleID] = []
    var guildID: GuildID { overview.guildID }

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
