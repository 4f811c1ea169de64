import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import TicketCore

/// The dashboard's routes. Every request re-checks the session and the user's access to the guild in the
/// URL; every object fetched (a transcript) is looked up under that guild, so another guild's transcript by
/// number is simply not found. Security headers go on every response.
package struct DashboardResponder: HTTPResponder {
    typealias Context = DashboardContext

    let configuration: DashboardConfiguration
    let backend: any DashboardBackend
    let sessions: DashboardSessions
    /// Login attempts per client address, form posts per user.
    let postLimiter: PostRateLimiter
    /// Guild pages per user: every guild page may ask Discord for the member's roles (cached a minute), so
    /// a script cannot spend the bot's REST budget through the dashboard.
    let pageLimiter: PostRateLimiter
    let now: @Sendable () -> Date

    static let sessionCookie = "aetheria_session"
    static let stateCookie = "aetheria_oauth_state"
    static let pagePolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func respond(to request: Request, context: Context) async throws -> Response {
        var response: Response
        do {
            response = try await route(request, context: context)
        } catch let failure as PageFailure {
            response = html(failure.page, status: failure.status)
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.pagePolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if response.headers[.frameOptions] == nil { response.headers[.frameOptions] = "DENY" }
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }

    struct PageFailure: Error {
        var status: HTTPResponse.Status
        var page: String
    }

    // MARK: - Routing

    private func route(_ request: Request, context: Context) async throws -> Response {
        let path = request.uri.path.split(separator: "/").map(String.init)
        let session = await sessions.session(request.cookies[Self.sessionCookie]?.value, now: now())
        switch (request.method, path) {
        case (.get, []): return try await home(session: session)
        case (.get, ["login"]): return try await login(request, context: context)
        case (.get, ["oauth", "callback"]): return try await callback(request, context: context)
        case (.post, ["logout"]):
            let session = try requireSession(session)
            _ = try await form(request, session: session, context: context)
            await sessions.end(session.id)
            var response = redirect("/")
            response.setCookie(cookie(Self.sessionCookie, "", maxAge: 0))
            return response
        case (.get, ["assets", "dashboard.css"]): return asset(DashboardAssets.css, type: "text/css; charset=utf-8")
        case (.get, ["assets", "live.js"]): return asset(DashboardAssets.script, type: "text/javascript; charset=utf-8")
        case (.get, ["healthz"]):
            let health = backend.health()
            return json(
                health, status: health.storeAvailable ? .ok : .serviceUnavailable, extra: ["status": health.status])
        case (.get, ["readyz"]):
            let health = backend.health()
            let ready = health.storeAvailable && health.shardsConnected == health.shardsTotal && health.shardsTotal > 0
            return json(
                health, status: ready ? .ok : .serviceUnavailable, extra: ["status": ready ? "ready" : "not ready"])
        case (.get, ["metrics"]): return metrics(request)
        case (.get, ["shards"]):
            // Operators only: the metrics token when one is set, otherwise any logged-in user.
            guard isOperator(request, session: session) else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            return html(DashboardPages.shards(backend.shards(), health: backend.health()))
        case (let method, let parts) where parts.count >= 2 && parts[0] == "guilds":
            guard let raw = UInt64(parts[1]) else { throw notFound(session) }
            return try await guildRoute(
                method, Array(parts.dropFirst(2)), guildID: GuildID(raw), request, context, session)
        default:
            throw notFound(session)
        }
    }

    private func guildRoute(
        _ method: HTTPRequest.Method, _ rest: [String], guildID: GuildID, _ request: Request, _ context: Context,
        _ session: DashboardSessions.Session?
    ) async throws -> Response {
        guard let session else { return redirect("/login") }
        let (access, overview) = try await authorize(session, guildID: guildID)
        switch (method, rest) {
        case (.get, []):
            return html(DashboardPages.analytics(overview, access: access, session: session, today: today))
        case (.get, ["charts"]):
            return html(DashboardPages.charts(overview, today: today))
        case (.get, ["events"]):
            return events(guildID: guildID)
        case (.get, ["config"]):
            try require(access, .admin, session)
            let flash = request.uri.queryParameters["saved"] == "1" ? "Saved. New tickets use these settings." : nil
            return html(
                DashboardPages.config(
                    overview, values: overview.tickets.config, problems: [], flash: flash, session: session))
        case (.post, ["config"]):
            try require(access, .admin, session)
            let fields = try await form(request, session: session, context: context)
            return try await saveConfig(fields, overview: overview, session: session)
        case (.get, ["transcripts"]):
            return try await transcriptList(request, overview: overview, access: access, session: session)
        case (.get, let parts) where parts.count >= 2 && parts[0] == "transcripts":
            guard let number = Int(parts[1]),
                let record = try await backend.transcripts.record(guildID: guildID, ticketNumber: number)
            else { throw notFound(session) }
            switch parts.count == 2 ? "" : parts[2] {
            case "": return html(DashboardPages.transcriptViewer(record, session: session))
            case "raw", "download":
                guard let bytes = try await backend.transcripts.html(guildID: guildID, ticketNumber: number) else {
                    throw notFound(session)
                }
                var response = Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
                // The transcript's own CSP is in the file; this one also sandboxes it (no same-origin access).
                response.headers[.contentSecurityPolicy] =
                    "sandbox allow-scripts; default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'self'"
                response.headers[.frameOptions] = "SAMEORIGIN"
                if parts[2] == "download" {
                    response.headers[.contentDisposition] =
                        "attachment; filename=\"ticket-\(number)-\(guildID).html\""
                }
                return response
            default: throw notFound(session)
            }
        default:
            throw notFound(session)
        }
    }

    // MARK: - Login

    private func home(session: DashboardSessions.Session?) async throws -> Response {
        guard let session else { return html(DashboardPages.login()) }
        var entries: [(guild: PartialGuild, access: DashboardAccess)] = []
        // Only guilds the user was in at login and the bot is in now are candidates; each is decided live.
        for guild in session.guilds.prefix(200) where backend.hasGuild(guild.id) {
            let (access, _) = await liveAccess(session, guildID: guild.id)
            if access != .none { entries.append((guild, access)) }
        }
        return html(DashboardPages.picker(entries, session: session))
    }

    /// Who is logging in, for the login limit: the socket peer, or behind a reverse proxy on this host (the
    /// peer is loopback) the address the proxy appended to `X-Forwarded-For`. Without this, everyone behind
    /// the proxy would share one bucket.
    static func clientAddress(_ request: Request, peer: String) -> String {
        guard peer == "127.0.0.1" || peer == "::1",
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last
        else { return peer }
        return String(forwarded.trimmingCharacters(in: .whitespaces).prefix(64))
    }

    private func login(_ request: Request, context: Context) async throws -> Response {
        let client = Self.clientAddress(request, peer: context.clientAddress)
        guard postLimiter.allow("login:" + client, now: now()) else {
            return html(
                DashboardPages.error("Slow down", "Too many login attempts; wait a minute.", session: nil),
                status: .tooManyRequests)
        }
        let state: String
        do {
            state = try await sessions.newLoginState(now: now())
        } catch {
            return html(
                DashboardPages.error(
                    "Unavailable", "Logging in is not possible right now; try again in a minute.", session: nil),
                status: .serviceUnavailable)
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
        var response = redirect(components?.string ?? "/")
        response.setCookie(cookie(Self.stateCookie, state, maxAge: 600))
        return response
    }

    private func callback(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        guard let code = query["code"].map(String.init), let state = query["state"].map(String.init),
            request.cookies[Self.stateCookie]?.value == state, await sessions.consumeLoginState(state, now: now())
        else {
            return html(
                DashboardPages.error(
                    "Login failed", "The login link expired or was not started here. Please try again.", session: nil),
                status: .badRequest)
        }
        do {
            let token = try await backend.exchangeCode(code, redirectURI: configuration.redirectURI)
            let user = try await backend.currentUser(accessToken: token)
            let guilds = try await backend.currentUserGuilds(accessToken: token)
            let session = try await sessions.create(
                userID: user.id, username: user.displayName, guilds: guilds, now: now())
            var response = redirect("/")
            response.setCookie(cookie(Self.sessionCookie, session.id, maxAge: Int(sessions.lifetime)))
            response.setCookie(cookie(Self.stateCookie, "", maxAge: 0))
            return response
        } catch {
            return html(
                DashboardPages.error(
                    "Login failed", "Discord did not accept the login. Please try again.", session: nil),
                status: .badGateway)
        }
    }

    // MARK: - Access

    /// Decides the user's access to the guild of the URL, cheapest refusal first, so that a request that will
    /// be refused spends nothing of the bot's REST budget: a guild the bot is not in (404), a user who was not
    /// a member at login (403, no request), too many pages a minute (429), then the member's current roles
    /// (one cached lookup) and only then the guild's overview.
    private func authorize(
        _ session: DashboardSessions.Session, guildID: GuildID
    ) async throws -> (DashboardAccess, GuildTicketsOverview) {
        guard backend.hasGuild(guildID) else { throw notFound(session) }
        let noAccess = PageFailure(
            status: .forbidden,
            page: DashboardPages.error(
                "No access", "You are not an administrator or support staff in this server.", session: session))
        guard session.guilds.contains(where: { $0.id == guildID }) else { throw noAccess }
        guard pageLimiter.allow("pages:\(session.userID)", now: now()) else {
            throw PageFailure(
                status: .tooManyRequests,
                page: DashboardPages.error("Slow down", "Too many pages in a minute; wait a moment.", session: session))
        }
        let (access, overview) = await liveAccess(session, guildID: guildID)
        guard access != .none, let overview else { throw noAccess }
        return (access, overview)
    }

    /// The user's access now: their current roles first (not a member any more: no access, and the guild's
    /// overview is not even loaded), then the guild as the bot sees it.
    private func liveAccess(
        _ session: DashboardSessions.Session, guildID: GuildID
    ) async -> (access: DashboardAccess, overview: GuildTicketsOverview?) {
        guard let roles = await backend.memberRoles(of: session.userID, in: guildID),
            let overview = await backend.overview(of: guildID)
        else { return (.none, nil) }
        let access = DashboardAccess.decide(
            userID: session.userID, memberRoles: roles, guild: overview.discord,
            staffRoleID: overview.tickets.config.staffRoleID)
        return (access, overview)
    }

    private func require(
        _ access: DashboardAccess, _ needed: DashboardAccess, _ session: DashboardSessions.Session
    ) throws {
        guard access >= needed else {
            throw PageFailure(
                status: .forbidden,
                page: DashboardPages.error(
                    "No access", "Only server administrators can change the configuration.", session: session))
        }
    }

    private func requireSession(_ session: DashboardSessions.Session?) throws -> DashboardSessions.Session {
        guard let session else {
            throw PageFailure(
                status: .forbidden, page: DashboardPages.error("Not logged in", "Please log in again.", session: nil))
        }
        return session
    }

    /// Reads a urlencoded form (bounded), rate-limits posts and checks the CSRF token.
    private func form(
        _ request: Request, session: DashboardSessions.Session, context: Context
    ) async throws -> [String: String] {
        // Keyed by the user, not the socket: behind a reverse proxy every user shares one address.
        guard postLimiter.allow("posts:\(session.userID)", now: now()) else {
            throw PageFailure(
                status: .tooManyRequests,
                page: DashboardPages.error(
                    "Slow down", "Too many changes in a minute; wait a moment.", session: session))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maximumBodyBytes)
        } catch {
            throw PageFailure(
                status: .contentTooLarge,
                page: DashboardPages.error("Too large", "The form was too large.", session: session))
        }
        let fields = Self.parseForm(String(buffer: body))
        guard let token = fields["csrf"], Self.constantTimeEqual(token, session.csrfToken) else {
            throw PageFailure(
                status: .forbidden,
                page: DashboardPages.error(
                    "Form expired", "The form was not sent from this page. Reload it and try again.", session: session))
        }
        return fields
    }

    package static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first { fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let (a, b) = (Array(lhs.utf8), Array(rhs.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: - Configuration

    private func saveConfig(
        _ fields: [String: String], overview: GuildTicketsOverview, session: DashboardSessions.Session
    ) async throws -> Response {
        var config = overview.tickets.config
        var problems: [TicketConfigProblem] = []
        func id(_ name: String) -> UInt64? { fields[name].flatMap { $0.isEmpty ? nil : UInt64($0) } }
        func number(_ name: String, _ field: TicketConfigProblem.Field) -> Int? {
            guard let text = fields[name], let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                problems.append(TicketConfigProblem(field, "must be a whole number"))
                return nil
            }
            return value
        }
        config.staffRoleID = id("staff_role").map { RoleID($0) }
        config.parentCategoryID = id("parent_category").map { ChannelID($0) }
        config.logChannelID = id("log_channel").map { ChannelID($0) }
        config.nameTemplate = fields["name_template"] ?? config.nameTemplate
        config.maximumOpenTicketsPerUser =
            number("maximum_open", .maximumOpenTickets) ?? config.maximumOpenTicketsPerUser
        config.openCooldownSeconds = number("cooldown", .openCooldown) ?? config.openCooldownSeconds
        config.deleteDelaySeconds = number("delete_delay", .deleteDelay) ?? config.deleteDelaySeconds
        config.staleAfterHours = number("stale_after", .staleAfter) ?? config.staleAfterHours
        config.closePolicy =
            fields["close_policy"].flatMap(TicketConfig.ClosePolicy.init(rawValue:)) ?? config.closePolicy
        if problems.isEmpty {
            do {
                _ = try await backend.updateConfig(config, for: overview.guildID, by: session.userID)
                return redirect("/guilds/\(overview.guildID)/config?saved=1")
            } catch let error as TicketConfigValidationError {
                problems = error.problems
            } catch {
                problems = [TicketConfigProblem(.staffRole, "could not be saved right now: \(error)")]
            }
        }
        return html(
            DashboardPages.config(overview, values: config, problems: problems, flash: nil, session: session),
            status: .unprocessableContent)
    }

    // MARK: - Transcripts

    private func transcriptList(
        _ request: Request, overview: GuildTicketsOverview, access: DashboardAccess, session: DashboardSessions.Session
    ) async throws -> Response {
        let query = request.uri.queryParameters
        let opener = query["opener"].map(String.init) ?? ""
        let from = query["from"].map(String.init) ?? ""
        let until = query["until"].map(String.init) ?? ""
        var filter = TranscriptQuery(limit: 25)
        filter.openerID = UInt64(opener).map { UserID($0) }
        let dayFormat = DateFormatter()
        dayFormat.dateFormat = "yyyy-MM-dd"
        dayFormat.timeZone = TimeZone(identifier: "UTC")
        filter.closedFrom = dayFormat.date(from: from)
        filter.closedUntil = dayFormat.date(from: until).map { $0.addingTimeInterval(86_399) }
        if let after = query["after"], let (seconds, number) = Self.cursor(String(after)) {
            filter.after = (Date(timeIntervalSince1970: seconds), number)
        }
        let records = try await backend.transcripts.list(guildID: overview.guildID, query: filter)
        var nextPage: String?
        if records.count == filter.limit, let last = records.last {
            var components = URLComponents()
            components.path = "/guilds/\(overview.guildID)/transcripts"
            components.queryItems = [
                URLQueryItem(name: "opener", value: opener), URLQueryItem(name: "from", value: from),
                URLQueryItem(name: "until", value: until),
                URLQueryItem(name: "after", value: "\(last.closedAt.timeIntervalSince1970)_\(last.ticketNumber)"),
            ]
            nextPage = components.string
        }
        return html(
            DashboardPages.transcripts(
                overview, records: records, access: access, filter: (opener, from, until), nextPage: nextPage,
                session: session))
    }

    /// The `after` cursor of the transcript list, `<closed-at seconds>_<ticket number>`, from the query string:
    /// `inf`, `nan` and numbers beyond any real date or ticket are refused (the store converts the date to an
    /// integer, and `Int64(Double.infinity)` traps).
    package static func cursor(_ text: String) -> (Double, Int)? {
        let parts = text.split(separator: "_")
        let maximumSeconds = Double(OutsideNumber.maximumEpochMilliseconds / 1_000)
        guard parts.count == 2, let seconds = Double(parts[0]), seconds.isFinite, abs(seconds) <= maximumSeconds,
            let number = OutsideNumber.integer(parts[1], in: 0...Ticket.maximumNumber)
        else { return nil }
        return (seconds, number)
    }

    // MARK: - Live updates and operators

    /// Server-sent events: the guild's counters whenever they change (checked every second). A comment line
    /// every 15 s notices a browser that went away (the write fails) and keeps proxies from closing the
    /// stream; the stream ends on shutdown, and after 10 minutes anyway (the browser's EventSource reconnects
    /// by itself), so no stream outlives its reader or holds a graceful shutdown open.
    private func events(guildID: GuildID) -> Response {
        let backend = self.backend
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                var last = ""
                let started = ContinuousClock.now
                var lastWrite = started
                while !Task.isCancelled, !Task.isShuttingDownGracefully, ContinuousClock.now - started < .seconds(600) {
                    if let overview = await backend.overview(of: guildID) {
                        let analytics = overview.tickets.analytics
                        func text(_ seconds: Double?) -> String { "\"\(DashboardPages.duration(seconds))\"" }
                        let payload =
                            "{\"active\":\(overview.tickets.activeTicketCount),\"opened\":\(analytics.opened),\"closed\":\(analytics.closed),"
                            + "\"average\":\(text(analytics.averageResolutionSeconds)),\"median\":\(text(analytics.medianResolutionSeconds)),"
                            + "\"response\":\(text(analytics.averageFirstResponseSeconds))}"
                        if payload != last {
                            try await writer.write(ByteBuffer(string: "data: \(payload)\n\n"))
                            last = payload
                            lastWrite = .now
                        }
                    }
                    if ContinuousClock.now - lastWrite >= .seconds(15) {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        lastWrite = .now
                    }
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
                }
                try await writer.finish(nil)
            })
    }

    private func isOperator(_ request: Request, session: DashboardSessions.Session?) -> Bool {
        if let token = configuration.metricsToken {
            return Self.constantTimeEqual(request.headers[.authorization] ?? "", "Bearer \(token)")
        }
        return session != nil
    }

    private func metrics(_ request: Request) -> Response {
        if let token = configuration.metricsToken {
            let given = request.headers[.authorization] ?? ""
            guard Self.constantTimeEqual(given, "Bearer \(token)") else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: backend.prometheusText())))
    }

    // MARK: - Responses

    private var today: Int { Int(now().timeIntervalSince1970 / 86_400) }

    private func notFound(_ session: DashboardSessions.Session?) -> PageFailure {
        PageFailure(
            status: .notFound, page: DashboardPages.error("Not found", "There is nothing here.", session: session))
    }

    private func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    private func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func json(_ health: DashboardHealth, status: HTTPResponse.Status, extra: [String: String]) -> Response {
        var object: [String: String] = extra
        object["store"] = health.storeAvailable ? "available" : "unavailable"
        object["shards_connected"] = String(health.shardsConnected)
        object["shards_total"] = String(health.shardsTotal)
        object["guilds"] = String(health.guilds)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .lax)
    }
}

extension HTTPField.Name {
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
}
