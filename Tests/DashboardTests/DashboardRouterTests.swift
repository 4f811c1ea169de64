import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TicketCore

@testable import Dashboard

/// The dashboard's access rules, CSRF, headers and operator endpoints, through the real router and
/// middleware with an in-memory backend: no network, no bot, no emulator. The end-to-end journey (a real
/// bot, the emulator's OAuth2, a browser) is in AetheriaServerTests.
struct DashboardRouterTests {
    typealias Stub = StubDashboardBackend

    /// A browser of the router: keeps cookies, follows nothing.
    struct Browser {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]

        mutating func send(
            _ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil, body: String? = nil,
            headers: HTTPFields = [:]
        ) async throws -> TestResponse {
            var headers = headers
            if !cookies.isEmpty {
                headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
            }
            var payload = body
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                payload = form.map { key, value in
                    "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }.joined(separator: "&")
            }
            let response = try await client.executeRequest(
                uri: uri, method: method, headers: headers, body: payload.map { ByteBuffer(string: $0) })
            for header in response.headers[values: .setCookie] {
                guard let pair = header.split(separator: ";").first?.split(separator: "=", maxSplits: 1),
                    pair.count == 2
                else { continue }
                cookies[String(pair[0])] = String(pair[1])
                if header.contains("Max-Age=0") { cookies[String(pair[0])] = nil }
            }
            return response
        }

        /// Logs in through the OAuth2 round trip: `/login` sets the state, the callback checks it.
        mutating func logIn(as userID: UserID) async throws {
            let start = try await send(.get, "/login")
            let location = try #require(start.headers[.location])
            let state = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "state" }?.value)
            let callback = try await send(.get, "/oauth/callback?code=code-\(userID)&state=\(state)")
            #expect(callback.status == .seeOther && cookies[DashboardCookie.session] != nil)
        }

        /// The CSRF token of the page's forms.
        func csrf(in response: TestResponse) -> String? {
            let body = String(buffer: response.body)
            guard let range = body.range(of: "name=csrf value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func withRouter(
        _ backend: Stub = Stub(), configure: (inout DashboardConfiguration) -> Void = { _ in },
        _ body: @Sendable (Browser, Stub) async throws -> Void
    ) async throws {
        var configuration = DashboardConfiguration(
            publicURL: URL(string: "http://127.0.0.1:8080")!,
            authorizeURL: URL(string: "http://discord.test/oauth2/authorize")!,
            clientID: "42", secureCookies: false)
        configure(&configuration)
        let router = DashboardRouter.make(configuration: configuration, backend: backend, now: { Date() })
        let application = Application(router: router)
        try await application.test(.router) { client in try await body(Browser(client: client), backend) }
    }

    static let guild = "/guilds/\(Stub.guildID)"

    @Test("every response carries the security headers, including the 404 page and the JSON health")
    func securityHeaders() async throws {
        try await Self.withRouter { browser, _ in
            var browser = browser
            for path in ["/", "/no/such/page", "/healthz", "/guilds/not-a-number"] {
                let response = try await browser.send(.get, path)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(path)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
                #expect(response.headers[.cacheControl] == "no-store", "\(path)")
            }
            let missing = try await browser.send(.get, "/no/such/page")
            #expect(missing.status == .notFound && String(buffer: missing.body).contains("There is nothing here"))
            #expect(try await browser.send(.post, "/no/such/page").status != .ok)
        }
    }

    @Test("logging in: the state is checked and good once; a forged or replayed callback is refused")
    func login() async throws {
        try await Self.withRouter { browser, _ in
            var browser = browser
            #expect(String(buffer: try await browser.send(.get, "/").body).contains("Log in with Discord"))
            let start = try await browser.send(.get, "/login")
            let location = try #require(start.headers[.location])
            #expect(location.hasPrefix("http://discord.test/oauth2/authorize?") && location.contains("client_id=42"))
            let state = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "state" }?.value)

            let forged = try await browser.send(
                .get, "/oauth/callback?code=code-2&state=\(String(repeating: "0", count: 64))")
            #expect(forged.status == .badRequest)
            let good = try await browser.send(.get, "/oauth/callback?code=code-2&state=\(state)")
            #expect(good.status == .seeOther && browser.cookies[DashboardCookie.session] != nil)
            #expect(try await browser.send(.get, "/oauth/callback?code=code-2&state=\(state)").status == .badRequest)
            let rejected = try await browser.send(.get, "/login")
            let again = try #require(rejected.headers[.location].flatMap { URLComponents(string: $0) })
            let newState = try #require(again.queryItems?.first { $0.name == "state" }?.value)
            #expect(
                try await browser.send(.get, "/oauth/callback?code=bad&state=\(newState)").status == .badGateway,
                "Discord refusing the code is a failed login, not an error page of the server")
        }
    }

    @Test(
        "access: anonymous → login, outsider and plain member → 403 (the outsider costs no role lookup), staff → pages but not config, admin and owner → all"
    )
    func accessRules() async throws {
        try await Self.withRouter { browser, backend in
            var anonymous = browser
            let redirected = try await anonymous.send(.get, Self.guild)
            #expect(redirected.status == .seeOther && redirected.headers[.location] == "/login")

            var outsider = browser
            try await outsider.logIn(as: Stub.outsider)
            let lookups = backend.state.withLock { $0.roleLookups }
            #expect(try await outsider.send(.get, "/guilds/\(Stub.absentGuildID)").status == .notFound)
            // The outsider's login listed both guilds; Discord says they are not a member now.
            #expect(try await outsider.send(.get, Self.guild).status == .forbidden)
            #expect(backend.state.withLock { $0.roleLookups } == lookups + 1)

            var member = browser
            try await member.logIn(as: Stub.member)
            #expect(try await member.send(.get, Self.guild + "/transcripts").status == .forbidden)

            var staff = browser
            try await staff.logIn(as: Stub.staff)
            #expect(String(buffer: try await staff.send(.get, "/").body).contains("support staff"))
            for page in ["", "/charts", "/transcripts"] {
                #expect(try await staff.send(.get, Self.guild + page).status == .ok, "\(page)")
            }
            #expect(try await staff.send(.get, Self.guild + "/config").status == .forbidden)

            for user in [Stub.admin, Stub.owner] {
                var admin = browser
                try await admin.logIn(as: user)
                let config = try await admin.send(.get, Self.guild + "/config")
                #expect(config.status == .ok && admin.csrf(in: config) != nil, "user \(user)")
            }
        }
    }

    @Test("guild pages per user are rate-limited with a page that says so")
    func pageLimit() async throws {
        try await Self.withRouter(configure: { $0.guildPagesPerMinute = 3 }) { browser, _ in
            var staff = browser
            try await staff.logIn(as: Stub.staff)
            for _ in 0..<3 { #expect(try await staff.send(.get, Self.guild).status == .ok) }
            let limited = try await staff.send(.get, Self.guild)
            #expect(limited.status == .tooManyRequests && String(buffer: limited.body).contains("Too many pages"))
        }
    }

    @Test(
        "ticket type form: CSRF required, problems by field (422), a malformed or oversized body refused, a valid change saved"
    )
    func ticketTypeForm() async throws {
        try await Self.withRouter(configure: { $0.maximumBodyBytes = 2_048 }) { browser, backend in
            var admin = browser
            try await admin.logIn(as: Stub.admin)
            let page = Self.guild + "/config/types/1"
            let token = try #require(admin.csrf(in: try await admin.send(.get, page)))
            var fields = [
                "name": "Billing", "staff_roles[]": "\(Stub.staffRole)", "categories[]": "20",
                "name_template": "help-{number}", "maximum_open": "2", "cooldown": "0", "delete_delay": "10",
                "stale_after": "48", "close_policy": "staff_only", "question_label[]": "Order number",
                "question_min[]": "3", "question_max[]": "20", "question_required[]": "0",
                "close_reason": "optional", "close_request_timeout": "24", "auto_close_after": "721",
            ]
            #expect(try await admin.send(.post, page, form: fields).status == .forbidden)
            fields["csrf"] = "forged"
            #expect(try await admin.send(.post, page, form: fields).status == .forbidden)
            #expect(backend.state.withLock { $0.configChanges.isEmpty })

            fields["csrf"] = token
            fields["maximum_open"] = "lots"
            fields["categories[]"] = "not-an-id"
            let invalid = try await admin.send(.post, page, form: fields)
            #expect(invalid.status == .unprocessableContent)
            #expect(String(buffer: invalid.body).contains("must be a whole number"))
            #expect(String(buffer: invalid.body).contains("choose one from the list"))

            fields["maximum_open"] = "99"
            fields["categories[]"] = "20"
            fields["question_min[]"] = "30"
            let outOfRange = try await admin.send(.post, page, form: fields)
            #expect(outOfRange.status == .unprocessableContent)
            #expect(String(buffer: outOfRange.body).contains("must be between 1 and 10"))
            #expect(String(buffer: outOfRange.body).contains("the minimum length is above the maximum"))
            #expect(String(buffer: outOfRange.body).contains("must be between 0 and 720"))

            let duplicated = try await admin.send(
                .post, page, body: "csrf=\(token)&cooldown=1&cooldown=2",
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(duplicated.status == .badRequest)
            let huge = try await admin.send(
                .post, page, body: "csrf=\(token)&name_template=" + String(repeating: "a", count: 4_096),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(huge.status == .contentTooLarge)
            #expect(backend.state.withLock { $0.configChanges.isEmpty })

            fields["maximum_open"] = "2"
            fields["question_min[]"] = "3"
            fields["auto_close_after"] = "6"
            let saved = try await admin.send(.post, page, form: fields)
            #expect(saved.status == .seeOther && saved.headers[.location] == page + "?saved=1")
            let change = try #require(backend.state.withLock { $0.configChanges.last })
            let type = change.0.defaultType
            #expect(type.name == "Billing" && type.closePolicy == .staffOnly && type.nameTemplate == "help-{number}")
            #expect(type.staffRoleIDs == [Stub.staffRole] && type.categoryIDs == [20])
            #expect(type.closeReasonPrompt == .optional && type.closeRequestTimeoutHours == 24)
            #expect(type.autoCloseAfterReminderHours == 6)
            #expect(
                type.questions == [TicketQuestion(label: "Order number", minimumLength: 3, maximumLength: 20)])
            #expect(change.1 == Stub.admin)

            let overview = String(buffer: try await admin.send(.get, Self.guild + "/config").body)
            #expect(overview.contains("Billing") && overview.contains("@Support") && overview.contains("Tickets"))
            #expect(!overview.contains(">\(Stub.staffRole)<"), "the list names roles, never IDs")
            #expect(try await admin.send(.get, Self.guild + "/config/types/99").status == .notFound)
            #expect(try await admin.send(.get, Self.guild + "/config/types/-1").status == .notFound)
        }
    }

    @Test("who may open tickets: the limit saved, a member blocked with a reason and listed, then removed")
    func accessForm() async throws {
        let backend = Stub()
        try await Self.withRouter(backend) { browser, _ in
            var admin = browser
            try await admin.logIn(as: Stub.admin)
            let page = Self.guild + "/config"
            let token = try #require(admin.csrf(in: try await admin.send(.get, page)))
            let both = try await admin.send(
                .post, page + "/access",
                form: ["csrf": token, "block_member": "123", "block_role": "\(Stub.staffRole)", "openings_limit": "5"])
            #expect(both.status == .unprocessableContent)
            #expect(String(buffer: both.body).contains("not both at once"))
            let saved = try await admin.send(
                .post, page + "/access",
                form: ["csrf": token, "block_member": "123", "block_reason": "<b>spam</b>", "openings_limit": "20"])
            #expect(saved.status == .seeOther)
            let access = try #require(backend.state.withLock { $0.configChanges.last }).0.access
            #expect(access.openingsPerWindow == 20)
            #expect(access.blocked.map(\.memberID) == [123] && access.blocked.first?.reason == "<b>spam</b>")
            #expect(access.blocked.first?.addedBy == Stub.admin)
            let listed = String(buffer: try await admin.send(.get, page).body)
            #expect(listed.contains("User 123") && listed.contains("&lt;b&gt;spam&lt;/b&gt;"))
            let removed = try await admin.send(
                .post, page + "/access", form: ["csrf": token, "unblock[]": "member:123", "openings_limit": "20"])
            #expect(removed.status == .seeOther)
            #expect(try #require(backend.state.withLock { $0.configChanges.last }).0.access.blocked.isEmpty)
        }
    }

    @Test(
        "blocking by name or mention: one match is blocked and listed by name; several, none, Discord away, staff and oneself are refused in words"
    )
    func blockByName() async throws {
        let backend = Stub()
        try await Self.withRouter(backend) { browser, _ in
            var admin = browser
            try await admin.logIn(as: Stub.admin)
            let page = Self.guild + "/config"
            let token = try #require(admin.csrf(in: try await admin.send(.get, page)))
            func block(_ text: String) async throws -> (status: HTTPResponse.Status, body: String) {
                let response = try await admin.send(
                    .post, page + "/access", form: ["csrf": token, "block_member": text, "openings_limit": "0"])
                return (response.status, String(buffer: response.body))
            }
            let several = try await block("mi")
            #expect(several.status == .unprocessableContent)
            #expect(several.body.contains("matches several members: Mia (4), Mila (6)"))
            let none = try await block("<script>")
            #expect(none.status == .unprocessableContent)
            #expect(none.body.contains("name starts with “&lt;script&gt;”"))
            #expect(!none.body.contains("<script>”"), "what was typed is escaped")
            #expect(try await block("Stella").body.contains("Stella is on the support staff"))
            #expect(try await block("<@\(Stub.admin)>").body.contains("you cannot block yourself"))
            backend.state.withLock { $0.memberSearchFails = true }
            let away = try await block("Mia")
            #expect(away.status == .unprocessableContent && away.body.contains("could not be asked for members"))
            // By ID while Discord cannot answer: refused, not taken for a member without roles.
            let unknown = try await block("<@\(Stub.member)>")
            #expect(
                unknown.status == .unprocessableContent && unknown.body.contains("Discord could not say who that is"))
            backend.state.withLock { $0.memberSearchFails = false }
            // The owner holds no staff role, yet has every permission: staff as Discord sees them.
            #expect(try await block("<@\(Stub.owner)>").body.contains("Olivia is on the support staff"))
            #expect(backend.state.withLock { $0.configChanges.isEmpty }, "nothing was saved so far")

            // "Mia" is one member's whole name (and the start of none other's): blocked, by name.
            #expect(try await block("@Mia").status == .seeOther)
            let access = try #require(backend.state.withLock { $0.configChanges.last }).0.access
            #expect(access.blocked.map(\.memberID) == [Stub.member] && access.blocked.first?.memberName == "Mia")
            #expect(access.blocked.first?.addedByName != nil)
            #expect(try await block("<@!\(Stub.member)>").body.contains("Mia is already blocked"))
            let listed = String(buffer: try await admin.send(.get, page).body)
            #expect(listed.contains("Mia (\(Stub.member))"))
        }
    }

    @Test("panels: added, edited with field problems, refused an http image, deleted; types deleted off panels")
    func panelForms() async throws {
        try await Self.withRouter { browser, backend in
            var admin = browser
            try await admin.logIn(as: Stub.admin)
            let token = try #require(admin.csrf(in: try await admin.send(.get, Self.guild + "/config")))
            let added = try await admin.send(.post, Self.guild + "/config/panels", form: ["csrf": token])
            #expect(added.status == .seeOther && added.headers[.location] == Self.guild + "/config/panels/2")
            var fields = [
                "csrf": token, "name": "Appeals", "title": "Appeal a ban", "text": "**Be honest.**",
                "colour": "#ed4245", "image_url": "http://example.com/a.png", "layout": "select_menu", "types[]": "1",
            ]
            let refused = try await admin.send(.post, Self.guild + "/config/panels/2", form: fields)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("must be an https:// address"))
            fields["image_url"] = "https://example.com/a.png"
            let saved = try await admin.send(.post, Self.guild + "/config/panels/2", form: fields)
            #expect(saved.status == .seeOther)
            let panel = try #require(backend.state.withLock { $0.config.panel(2) })
            #expect(panel.colour == 0xED4245 && panel.layout == .selectMenu && panel.title == "Appeal a ban")

            let lastType = try await admin.send(.post, Self.guild + "/config/types/1/delete", form: ["csrf": token])
            #expect(lastType.status == .unprocessableContent)
            #expect(String(buffer: lastType.body).contains("at least one ticket type"))
            let deleted = try await admin.send(.post, Self.guild + "/config/panels/2/delete", form: ["csrf": token])
            #expect(deleted.status == .seeOther)
            #expect(backend.state.withLock { $0.config.panel(2) == nil })
        }
    }

    @Test("a staff member cannot save the configuration even with a valid token")
    func staffCannotSave() async throws {
        try await Self.withRouter { browser, backend in
            var staff = browser
            try await staff.logIn(as: Stub.staff)
            let token = try #require(staff.csrf(in: try await staff.send(.get, Self.guild)))
            let post = try await staff.send(
                .post, Self.guild + "/config/types/1", form: ["csrf": token, "close_policy": "staff_only"])
            #expect(post.status == .forbidden)
            #expect(backend.state.withLock { $0.configChanges.isEmpty })
        }
    }

    @Test("transcripts are found only under their own guild; the file is sandboxed; absurd numbers are not found")
    func transcripts() async throws {
        let backend = Stub()
        let record = TranscriptRecord(
            guildID: Stub.otherGuildID, ticketNumber: 1, channelID: 9, channelName: "ticket-bob", openerID: Stub.member,
            closerID: Stub.staff, openedAt: Date(timeIntervalSince1970: 1_000),
            closedAt: Date(timeIntervalSince1970: 2_000),
            messageCount: 3)
        try await backend.transcripts.save(
            record, html: Array("<p>secret of guild 200</p>".utf8), searchText: "alice: secret of guild 200")
        var own = record
        own.guildID = Stub.guildID
        own.closeReason = "Refund <sent>"
        own.openerName = "Bob Stone"
        try await backend.transcripts.save(
            own, html: Array("<p>our transcript</p>".utf8), searchText: "bob: our <b>transcript</b>")
        try await Self.withRouter(backend) { browser, _ in
            var staff = browser
            try await staff.logIn(as: Stub.staff)
            let raw = try await staff.send(.get, Self.guild + "/transcripts/1/raw")
            #expect(raw.status == .ok && String(buffer: raw.body) == "<p>our transcript</p>")
            #expect(raw.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
            let download = try await staff.send(.get, Self.guild + "/transcripts/1/download")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let viewer = String(buffer: try await staff.send(.get, Self.guild + "/transcripts/1").body)
            #expect(viewer.contains("sandbox=\"allow-scripts\"") && !viewer.contains("The member's rating"))
            // Rated, with a hostile comment: shown above the transcript, escaped.
            _ = try await backend.transcripts.rate(
                guildID: Stub.guildID, ticketNumber: 1,
                TicketRating(stars: 2, comment: "<script>x</script>", typeID: 1, staffID: Stub.staff, at: Date()))
            let rated = String(buffer: try await staff.send(.get, Self.guild + "/transcripts/1").body)
            #expect(rated.contains("★★☆☆☆</span> 2 of 5"))
            #expect(rated.contains("<blockquote>&lt;script&gt;x&lt;/script&gt;</blockquote>"))
            for number in ["2", "99999999999999999999999", "-1", "1e3"] {
                #expect(
                    try await staff.send(.get, Self.guild + "/transcripts/\(number)/raw").status == .notFound,
                    "\(number)")
            }
            let list = try await staff.send(.get, Self.guild + "/transcripts?after=inf_1&opener=abc")
            #expect(list.status == .ok)
            let listed = String(buffer: try await staff.send(.get, Self.guild + "/transcripts").body)
            #expect(listed.contains("<td>Refund &lt;sent&gt;</td>"), "the close reason is listed, escaped")
            #expect(listed.contains("<label for=person>Person (a name)</label>"), "people are found by name, not ID")
            let byOpener = String(
                buffer: try await staff.send(.get, Self.guild + "/transcripts?person=bob&role=opener").body)
            #expect(byOpener.contains("<td>Bob Stone</td>"))
            let byCloser = String(
                buffer: try await staff.send(.get, Self.guild + "/transcripts?person=bob&role=closer").body)
            #expect(byCloser.contains("No closed tickets match."))
            let forged = try await staff.send(.get, Self.guild + "/transcripts?person=%3Cscript%3E&role=nobody")
            #expect(forged.status == .ok && !String(buffer: forged.body).contains("<script>"))
            // A search shows the matching line, escaped, its words marked; another guild's words find nothing.
            let found = String(buffer: try await staff.send(.get, Self.guild + "/transcripts?q=TRANSCRIPT").body)
            #expect(found.contains("bob: our &lt;b&gt;<mark>transcript</mark>&lt;/b&gt;"), "\(found)")
            let secret = String(buffer: try await staff.send(.get, Self.guild + "/transcripts?q=secret").body)
            #expect(secret.contains("No closed ticket holds all of these words") && !secret.contains("ticket-bob"))
        }
    }

    @Test("logging out needs the form's token and ends the session on the server")
    func logout() async throws {
        try await Self.withRouter { browser, _ in
            var user = browser
            try await user.logIn(as: Stub.staff)
            let home = try await user.send(.get, "/")
            let token = try #require(user.csrf(in: home))
            #expect(try await user.send(.post, "/logout", form: ["csrf": "nope"]).status == .forbidden)
            let sessionID = try #require(user.cookies[DashboardCookie.session])
            #expect(try await user.send(.post, "/logout", form: ["csrf": token]).status == .seeOther)
            // The old cookie, replayed, is worth nothing: the session is gone from the store.
            user.cookies[DashboardCookie.session] = sessionID
            #expect(String(buffer: try await user.send(.get, "/").body).contains("Log in with Discord"))
        }
    }

    @Test("operators: health as typed JSON (503 while the store is away), readiness, metrics behind the token")
    func operators() async throws {
        try await Self.withRouter(configure: { $0.metricsToken = "s3cret" }) { browser, backend in
            var anyone = browser
            struct Health: Decodable {
                var status: String
                var store: String
                var shardsConnected: Int
                var shardsTotal: Int
                var guilds: Int
            }
            let healthy = try await anyone.send(.get, "/healthz")
            #expect(healthy.status == .ok && healthy.headers[.contentType]?.hasPrefix("application/json") == true)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let report = try decoder.decode(Health.self, from: Data(buffer: healthy.body))
            #expect(report.status == "ok" && report.store == "available" && report.shardsConnected == 2)
            #expect(try await anyone.send(.get, "/readyz").status == .ok)

            backend.state.withLock {
                $0.health = DashboardHealth(storeAvailable: false, shardsConnected: 1, shardsTotal: 2, guilds: 2)
            }
            let degraded = try await anyone.send(.get, "/healthz")
            #expect(
                degraded.status == .serviceUnavailable
                    && String(buffer: degraded.body).contains("\"status\":\"degraded\""))
            #expect(try await anyone.send(.get, "/readyz").status == .serviceUnavailable)

            #expect(try await anyone.send(.get, "/metrics").status == .unauthorized)
            #expect(try await anyone.send(.get, "/shards").status == .unauthorized)
            let metrics = try await anyone.send(.get, "/metrics", headers: [.authorization: "Bearer s3cret"])
            #expect(metrics.status == .ok && String(buffer: metrics.body).contains("aetheria_guilds"))
            #expect(try await anyone.send(.get, "/shards", headers: [.authorization: "Bearer s3cret"]).status == .ok)
            #expect(
                try await anyone.send(.get, "/metrics", headers: [.authorization: "Bearer wrong"]).status
                    == .unauthorized)
        }
    }
}
