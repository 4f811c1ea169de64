import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird

/// Logging in with Discord (OAuth2 with a one-time state), the server picker, and logging out.
extension DashboardRoutes {
    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        guard let session = context.session else { return DashboardResponse.html(DashboardPages.login()) }
        var entries: [(guild: PartialGuild, access: DashboardAccess)] = []
        // Only guilds the user was in at login and the bot is in now are candidates; each is decided live.
        for guild in session.guilds.prefix(200) where backend.hasGuild(guild.id) {
            let (access, _, _) = await accessPolicy.liveAccess(session, guildID: guild.id)
            if access != .none { entries.append((guild, access)) }
        }
        return DashboardResponse.html(DashboardPages.picker(entries, session: session))
    }

    /// Who is logging in, for the login limit: the socket peer, or behind a reverse proxy on this host (the
    /// peer is loopback) the address the proxy appended to `X-Forwarded-For`. Without this, everyone behind
    /// the proxy would share one bucket.
    static func clientAddress(_ request: Request, peer: String) -> String {
        guard peer == "127.0.0.1" || peer == "::1",
            let forwarded = request.headers[.forwardedFor]?.split(separator: ",").last
        else { return peer }
        return String(forwarded.trimmingCharacters(in: .whitespaces).prefix(64))
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        let client = Self.clientAddress(request, peer: context.clientAddress)
        guard loginLimiter.allow("login:" + client, now: now()) else {
            throw PageFailure.slowDown("Too many login attempts; wait a minute.", session: nil)
        }
        let state: String
        do {
            state = try await sessions.newLoginState(now: now())
        } catch {
            throw PageFailure(
                status: .serviceUnavailable,
                page: DashboardPages.error(
                    "Unavailable", "Logging in is not possible right now; try again in a minute.", session: nil))
        }
        var components = URLComponents(url: configuration.authorizeURL, resolvingAgainstBaseURL: false)
        components?.queryItems = [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: configuration.clientID),
            URLQueryItem(name: "scope", value: "identify guilds"),
            URLQueryItem(name: "redirect_uri", value: configuration.redirectURI),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "prompt", value: "none"),
        ]
        var response = DashboardResponse.redirect(components?.string ?? "/")
        response.setCookie(cookie(DashboardCookie.loginState, state, maxAge: 600))
        return response
    }

    @Sendable func callback(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        guard let code = query["code"].map(String.init), let state = query["state"].map(String.init),
            request.cookies[DashboardCookie.loginState]?.value == state,
            await sessions.consumeLoginState(state, now: now())
        else {
            throw PageFailure(
                status: .badRequest,
                page: DashboardPages.error(
                    "Login failed", "The login link expired or was not started here. Please try again.", session: nil))
        }
        do {
            let token = try await backend.exchangeCode(code, redirectURI: configuration.redirectURI)
            let user = try await backend.currentUser(accessToken: token)
            let guilds = try await backend.currentUserGuilds(accessToken: token)
            let session = try await sessions.create(
                userID: user.id, username: user.displayName, guilds: guilds, now: now())
            var response = DashboardResponse.redirect("/")
            response.setCookie(cookie(DashboardCookie.session, session.id, maxAge: Int(sessions.lifetime)))
            response.setCookie(cookie(DashboardCookie.loginState, "", maxAge: 0))
            return response
        } catch {
            throw PageFailure(
                status: .badGateway,
                page: DashboardPages.error(
                    "Login failed", "Discord did not accept the login. Please try again.", session: nil))
        }
    }

    /// Behind `FormPostMiddleware`: the session exists and the form carried its token.
    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        let session = try context.requireSession()
        await sessions.end(session.id)
        var response = DashboardResponse.redirect("/")
        response.setCookie(cookie(DashboardCookie.session, "", maxAge: 0))
        return response
    }
}
