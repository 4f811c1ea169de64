import AetheriaServer
import AsyncHTTPClient
import Dashboard
import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import Synchronization
import Testing
import TicketCore

/// The dashboard of a running bot, logged into through the emulator's OAuth2 like a browser would (cookies
/// kept by hand, redirects followed by hand so each step can be checked).
struct DashboardClient: Sendable {
    let base: String
    let harness: BotHarness

    struct Page: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var location: String? { headers.first(name: "Location") }
        func cookie(_ name: String) -> String? {
            headers["Set-Cookie"].first { $0.hasPrefix(name + "=") }.map {
                String($0.dropFirst(name.count + 1).prefix { $0 != ";" })
            }
        }
    }

    func request(
        _ method: HTTPMethod, _ url: String, cookies: [String: String] = [:], form: [String: String]? = nil
    )
        async throws -> Page
    {
        var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : base + url)
        request.method = method
        if !cookies.isEmpty {
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let form {
            var components = URLComponents()
            components.queryItems = form.map { URLQueryItem(name: $0.key, value: $0.value) }
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: components.percentEncodedQuery ?? ""))
        }
        let response = try await EmulatorHarness.httpClient.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 * 1024 * 1024)
        return Page(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    /// Logs in as `userID` through `/login` → Discord's authorize page → `/oauth/callback`; returns the cookie.
    func login(as userID: UserID) async throws -> String {
        let start = try await request(.GET, "/login")
        #expect(start.status == 303)
        let state = try #require(start.cookie("aetheria_oauth_state"))
        let authorize = try #require(start.location) + "&login_as=\(userID)"
        let approved = try await request(.GET, authorize)
        let callback = try #require(approved.location)
        #expect(callback.hasPrefix(base + "/oauth/callback?"))
        let finished = try await request(.GET, callback, cookies: ["aetheria_oauth_state": state])
        #expect(finished.status == 303)
        let session = try #require(finished.cookie("aetheria_session"))
        #expect(
            finished.headers["Set-Cookie"].contains {
                $0.contains("aetheria_session=") && $0.contains("HttpOnly") && $0.contains("SameSite=Lax")
            })
        return session
    }

    func csrf(in page: Page) -> String? {
        guard let range = page.body.range(of: "name=csrf value=\"") else { return nil }
        return String(page.body[range.upperBound...].prefix { $0 != "\"" })
    }
}

@Suite("Dashboard against the running bot and the emulator's OAuth2", .serialized)
struct DashboardTests {
    /// Runs bot + dashboard; `body` gets a client for the dashboard.
    static func run(
        memberRolesLifetime: Duration = .seconds(60),
        _ body: @escaping @Sendable (BotHarness, DashboardClient, TicketFixture) async throws -> Void
    ) async throws {
        try await EmulatorHarness.run({ $0.guilds = 2 }) { discord in
            try await withDashboard(
                discord: discord, dataDirectory: BotHarness.temporaryDataDirectory(),
                memberRolesLifetime: memberRolesLifetime, body)
        }
    }

    /// Bot + dashboard against a running emulator, on `dataDirectory` (and Redis when given).
    static func withDashboard(
        discord: EmulatorHarness, dataDirectory: String, redisURL: URL? = nil,
        memberRolesLifetime: Duration = .seconds(60), awaitEveryGuild: Bool = true,
        _ body: @escaping @Sendable (BotHarness, DashboardClient, TicketFixture) async throws -> Void
    ) async throws {
        let port = try FreeLoopbackPort.pick()
        do {
            try await BotHarness.withBot(
                discord: discord, dataDirectory: dataDirectory, redisURL: redisURL,
                configure: { configuration in
                    configuration.discordClientID = EmulatorConfiguration.botUserID.description
                    configuration.discordClientSecret = EmulatorConfiguration.developmentClientSecret
                    configuration.dashboardPort = port
                    configuration.dashboardPublicURL = URL(string: "http://127.0.0.1:\(port)")
                    configuration.dashboardAuthorizeURL = discord.endpoints.origin.appendingPathComponent(
                        "oauth2/authorize")
                    configuration.dashboardSecureCookies = false
                }, memberRolesLifetime: memberRolesLifetime, awaitEveryGuild: awaitEveryGuild
            ) { harness in
                _ = try await harness.bot.dashboard.port()
                let fixture = try await harness.fixture()
                try await harness.configure(fixture)
                try await body(harness, DashboardClient(base: "http://127.0.0.1:\(port)", harness: harness), fixture)
            }
        }
    }

    @Test(
        "a live chart left open in a browser does not hold up a graceful shutdown: its stream ends",
        .timeLimit(.minutes(2)))
    func liveChartEndsOnShutdown() async throws {
        let stream = Mutex<Task<Bool, any Error>?>(nil)
        try await Self.run { harness, client, fixture in
            let session = try await client.login(as: fixture.admin)
            let (firstEvent, firstEventSeen) = AsyncStream.makeStream(of: String.self)
            stream.withLock {
                $0 = Task {
                    var request = HTTPClientRequest(url: client.base + "/guilds/\(fixture.guildID)/events")
                    request.headers.add(name: "Cookie", value: "aetheria_session=\(session)")
                    let response = try await EmulatorHarness.httpClient.execute(request, timeout: .seconds(100))
                    var chunks = response.body.makeAsyncIterator()
                    if let first = try await chunks.next() { firstEventSeen.yield(String(buffer: first)) }
                    firstEventSeen.finish()
                    while try await chunks.next() != nil {}
                    return true
                }
            }
            var first: String?
            for await event in firstEvent {
                first = event
                break
            }
            #expect(first?.hasPrefix("data: {\"active\":0") == true)
            // Returning shuts the bot down gracefully while the browser still listens.
        }
        // Reached only because the shutdown finished; the server then ended the stream itself.
        #expect(try await stream.withLock({ $0 })?.value == true)
    }

    @Test(
        "access rules: anonymous → login, outsider → 403, staff → transcripts not config, admin → all; foreign transcript → 404"
    )
    func accessRules() async throws {
        try await Self.run { harness, client, fixture in
            let guild = "/guilds/\(fixture.guildID)"
            let anonymous = try await client.request(.GET, guild)
            #expect(anonymous.status == 303 && anonymous.location == "/login")
            #expect(try await client.request(.GET, "/").body.contains("Log in with Discord"))

            let outsider = try await client.login(as: fixture.members[0])
            #expect(try await client.request(.GET, guild, cookies: ["aetheria_session": outsider]).status == 403)
            #expect(
                try await client.request(.GET, guild + "/transcripts", cookies: ["aetheria_session": outsider]).status
                    == 403)

            let staff = try await client.login(as: fixture.staff)
            let staffHome = try await client.request(.GET, "/", cookies: ["aetheria_session": staff])
            #expect(staffHome.body.contains("support staff"))
            #expect(try await client.request(.GET, guild, cookies: ["aetheria_session": staff]).status == 200)
            #expect(
                try await client.request(.GET, guild + "/transcripts", cookies: ["aetheria_session": staff]).status
                    == 200)
            #expect(
                try await client.request(.GET, guild + "/config", cookies: ["aetheria_session": staff]).status == 403)

            // A closed ticket in this guild; its transcript is reachable here and nowhere else.
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[1])
            try await harness.post("Transcript text for the dashboard", in: channel.id, as: fixture.members[1])
            let welcome = try await harness.welcome(in: channel.id)
            _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.staff)
            try await eventually("the transcript is listed") {
                try await client.request(.GET, guild + "/transcripts", cookies: ["aetheria_session": staff]).body
                    .contains("#1 ")
            }
            // Staff search the words said in it: the line is shown with the words marked.
            let search = try await client.request(
                .GET, guild + "/transcripts?q=Dashboard+TEXT", cookies: ["aetheria_session": staff])
            #expect(search.body.contains("<mark>Transcript</mark>") || search.body.contains("<mark>text</mark>"))
            #expect(search.body.contains("<mark>dashboard</mark>") && search.body.contains("#1 "), "\(search.body)")
            let miss = try await client.request(
                .GET, guild + "/transcripts?q=dashboard+unsaid", cookies: ["aetheria_session": staff])
            #expect(miss.body.contains("No closed ticket holds all of these words"))
            let raw = try await client.request(.GET, guild + "/transcripts/1/raw", cookies: ["aetheria_session": staff])
            #expect(raw.status == 200 && raw.body.contains("Transcript text for the dashboard"))
            #expect(raw.headers.first(name: "Content-Security-Policy")?.contains("sandbox") == true)
            let download = try await client.request(
                .GET, guild + "/transcripts/1/download", cookies: ["aetheria_session": staff])
            #expect(download.headers.first(name: "Content-Disposition")?.hasPrefix("attachment;") == true)
            let viewer = try await client.request(.GET, guild + "/transcripts/1", cookies: ["aetheria_session": staff])
            #expect(viewer.body.contains("sandbox=\"allow-scripts\""))

            let admin = try await client.login(as: fixture.admin)
            let other = try #require(try await harness.discord.guilds().first { $0.id != fixture.guildID })
            let foreign = try await client.request(
                .GET, "/guilds/\(other.id)/transcripts/1/raw", cookies: ["aetheria_session": admin])
            #expect(
                foreign.status == 404 || foreign.status == 403, "another guild's transcript by number is not served")
            #expect(
                try await client.request(.GET, guild + "/config", cookies: ["aetheria_session": admin]).status == 200)
            for page in ["", "/transcripts", "/charts"] {
                let response = try await client.request(.GET, guild + page, cookies: ["aetheria_session": admin])
                #expect(response.status == 200, "\(page)")
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
        }
    }

    @Test("the guild page lists open tickets with their type, opener and claimer")
    func openTicketsShowClaimer() async throws {
        try await Self.run { harness, client, fixture in
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let claim = try await harness.discord.controlAPI.runCommand(
                "ticket", "claim", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: claim, containing: "claimed this ticket")
            let staff = try await client.login(as: fixture.staff)
            let page = try await client.request(
                .GET, "/guilds/\(fixture.guildID)", cookies: ["aetheria_session": staff])
            let claimer = try #require(fixture.guild.members.first { $0.user?.id == fixture.staff }?.user)
            #expect(page.body.contains("<h2>Open tickets</h2>"))
            #expect(page.body.contains("<td>\(claimer.displayName)</td>"), "the claimer is named, not numbered")
            #expect(page.body.contains("<td>#1 \(channel.name ?? "")</td>"))
        }
    }

    @Test(
        "per-type access end to end: staff of one type never get another type's transcript, search hit or open ticket"
    )
    func accessFollowsTicketTypes() async throws {
        try await Self.run { harness, client, fixture in
            // An Appeals team (a role of its own, one member) beside the Support team of the fixture.
            let created = try await harness.discord.control(
                .POST, "/guilds/\(fixture.guildID)/roles", json: #"{"name":"Appeals Team"}"#)
            let appealsRole = try #require(created.json?["id"]?.snowflakeValue.map { RoleID($0) })
            let appealsStaff = fixture.members[3]
            _ = try await harness.discord.control(
                .PATCH, "/guilds/\(fixture.guildID)/members/\(appealsStaff)", json: #"{"roles":["\#(appealsRole)"]}"#)
            var config = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
            config.types = [
                TicketType(staffRoleIDs: [fixture.staffRole], categoryIDs: [fixture.category]),
                TicketType(id: 2, name: "Appeals", staffRoleIDs: [appealsRole], categoryIDs: [fixture.category]),
            ]
            config.panels = [TicketPanel(typeIDs: [1, 2])]
            let settings = config
            try await eventually("the settings naming the new role are accepted") {
                (try? await harness.bot.guilds.updateConfig(settings, for: fixture.guildID, by: fixture.admin)) != nil
            }
            let panel = try await harness.postPanel(fixture)
            // #1 Support (closed), #2 Appeals (closed), #3 Appeals (open).
            for (typeID, opener, words) in [
                (1, fixture.members[0], "ORDER5521"), (2, fixture.members[1], "BANAPPEAL7310"),
            ] {
                let click = try await harness.click(
                    "aetheria:ticket:open:\(typeID)", on: panel.id, in: fixture.supportChannel, as: opener)
                _ = try await harness.answer(to: click, containing: "Your ticket is ready")
                let channel = try #require(
                    try await harness.ticketChannels(of: fixture.guildID).first {
                        $0.topic?.contains(":\(opener)") == true
                    })
                try await harness.post("\(words) please", in: channel.id, as: opener)
                let close = try await harness.discord.controlAPI.runCommand(
                    "ticket", "close", in: channel.id, as: fixture.admin)
                _ = try await StaffCommandTests.reply(harness, to: close, containing: "was closed")
                _ = try await harness.savedTranscript(of: typeID, in: fixture)
            }
            let open = try await harness.click(
                "aetheria:ticket:open:2", on: panel.id, in: fixture.supportChannel, as: fixture.members[4])
            _ = try await harness.answer(to: open, containing: "Your ticket is ready")
            let openRow = "<td>#3 "  // the open tickets table names each ticket by its number

            let support = try await client.login(as: fixture.staff)
            let appeals = try await client.login(as: appealsStaff)
            func get(_ path: String, _ session: String) async throws -> (Int, String) {
                let response = try await client.request(
                    .GET, "/guilds/\(fixture.guildID)\(path)", cookies: ["aetheria_session": session])
                return (response.status, response.body)
            }
            for suffix in ["", "/raw", "/download"] {
                #expect(
                    try await get("/transcripts/2\(suffix)", support).0 == 404, "Support staff read Appeals #2\(suffix)"
                )
                #expect(try await get("/transcripts/1\(suffix)", support).0 == 200)
                #expect(
                    try await get("/transcripts/1\(suffix)", appeals).0 == 404, "Appeals staff read Support #1\(suffix)"
                )
                #expect(try await get("/transcripts/2\(suffix)", appeals).0 == 200)
            }
            let search = try await get("/transcripts?q=BANAPPEAL7310", support).1
            #expect(!search.contains("BANAPPEAL7310 please") && !search.contains("/transcripts/2\""))
            #expect(try await get("/transcripts?q=BANAPPEAL7310", appeals).1.contains("/transcripts/2"))
            let supportPage = try await get("", support).1
            #expect(!supportPage.contains(openRow), "Support staff see the open Appeals ticket")
            #expect(try await get("", appeals).1.contains(openRow))
        }
    }

    @Test("the staff table counts who claimed, answered first and closed, by name")
    func staffStatistics() async throws {
        try await Self.run { harness, client, fixture in
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            try await harness.post("my order is late", in: channel.id, as: opener)
            try await harness.post("Looking into it now", in: channel.id, as: fixture.staff)
            let claim = try await harness.discord.controlAPI.runCommand(
                "ticket", "claim", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: claim, containing: "claimed this ticket")
            let close = try await harness.discord.controlAPI.runCommand(
                "ticket", "close", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: close, containing: "was closed")
            let statistics = try #require(
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.statistics(of: fixture.staff))
            #expect(statistics.claimed == 1 && statistics.closed == 1 && statistics.firstResponses == 1)
            #expect(await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.statistics(of: opener) == nil)
            let staff = try await client.login(as: fixture.staff)
            let page = try await client.request(
                .GET, "/guilds/\(fixture.guildID)", cookies: ["aetheria_session": staff])
            let name = try #require(fixture.guild.members.first { $0.user?.id == fixture.staff }?.user).displayName
            #expect(page.body.contains("<h2>Staff</h2>"))
            #expect(page.body.contains("<tr><td>\(name)</td><td>1</td><td>1</td><td>1</td>"), "\(page.body)")
        }
    }

    @Test("configuration: CSRF required, errors shown by the field, a valid change reaches the guild and the audit log")
    func configuration() async throws {
        try await Self.run { harness, client, fixture in
            let guild = "/guilds/\(fixture.guildID)"
            let admin = try await client.login(as: fixture.admin)
            let page = guild + "/config/types/1"
            let form = try await client.request(.GET, page, cookies: ["aetheria_session": admin])
            let token = try #require(client.csrf(in: form))
            #expect(form.body.contains("<code id=name-preview>ticket-alice</code>"))
            var fields = [
                "name": "Support", "staff_roles[]": fixture.staffRole.description,
                "categories[]": fixture.category.description, "name_template": "help-{number}-{username}",
                "maximum_open": "2", "cooldown": "0", "delete_delay": "10", "stale_after": "48",
                "close_policy": "staff_only", "csrf": "forged",
            ]
            let forged = try await client.request(
                .POST, page, cookies: ["aetheria_session": admin], form: fields)
            #expect(forged.status == 403)
            #expect(
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.config.defaultType.closePolicy
                    == .openerAndStaff)

            fields["csrf"] = token
            fields["name_template"] = "{nope}"
            fields["maximum_open"] = "99"
            let invalid = try await client.request(
                .POST, page, cookies: ["aetheria_session": admin], form: fields)
            #expect(invalid.status == 422)
            #expect(invalid.body.contains("unknown placeholder") && invalid.body.contains("must be between 1 and 10"))

            fields["name_template"] = "help-{number}-{username}"
            fields["maximum_open"] = "2"
            let saved = try await client.request(
                .POST, page, cookies: ["aetheria_session": admin], form: fields)
            #expect(saved.status == 303)
            let config = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets.config
            #expect(config.defaultType.closePolicy == .staffOnly && config.defaultType.maximumOpenTicketsPerUser == 2)
            try await eventually("the change is logged with what changed") {
                try await harness.messages(in: fixture.logChannel).contains {
                    $0.embeds.first?.title == "Ticket settings changed"
                        && $0.embeds.first?.fields?.contains { $0.value.contains("help-{number}-{username}") } == true
                }
            }
        }
    }

    @Test("operators: /healthz and /readyz as JSON without login, /metrics in Prometheus format, /shards after login")
    func operators() async throws {
        try await Self.run { _, client, fixture in
            let health = try await client.request(.GET, "/healthz")
            #expect(health.status == 200 && health.body.contains("\"status\":\"ok\""))
            #expect(try await client.request(.GET, "/readyz").status == 200)
            #expect(try await client.request(.GET, "/shards").status == 401)
            let session = try await client.login(as: fixture.staff)
            let shards = try await client.request(.GET, "/shards", cookies: ["aetheria_session": session])
            #expect(shards.body.contains("connected"))
            let metrics = try await client.request(.GET, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            #expect(!metrics.body.contains(EmulatorConfiguration.developmentBotToken))
        }
    }

    @Test("rights are checked live: an admin demoted after logging in loses the configuration at once")
    func demotedAdmin() async throws {
        try await Self.run(memberRolesLifetime: .zero) { harness, client, fixture in
            let guild = "/guilds/\(fixture.guildID)"
            let admin = try await client.login(as: fixture.admin)
            let form = try await client.request(.GET, guild + "/config", cookies: ["aetheria_session": admin])
            #expect(form.status == 200)
            let token = try #require(client.csrf(in: form))
            let demoted = try await harness.discord.control(
                .PATCH, "/guilds/\(fixture.guildID)/members/\(fixture.admin)", json: #"{"roles":[]}"#)
            #expect(demoted.status == 200)
            #expect(
                try await client.request(.GET, guild + "/config", cookies: ["aetheria_session": admin]).status == 403)
            let post = try await client.request(
                .POST, guild + "/config/types/1", cookies: ["aetheria_session": admin],
                form: ["csrf": token, "name": "Support", "close_policy": "staff_only", "name_template": "x-{number}"])
            #expect(post.status == 403)
            #expect(
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.config.defaultType.closePolicy
                    == .openerAndStaff)
        }
    }

    @Test(
        "an admin blocks a member by typing their name: Discord's member search finds them, the list shows the name, and their click is refused"
    )
    func blockByName() async throws {
        try await Self.run { harness, client, fixture in
            let guild = "/guilds/\(fixture.guildID)"
            let admin = try await client.login(as: fixture.admin)
            let token = try #require(
                client.csrf(in: try await client.request(.GET, guild + "/config", cookies: ["aetheria_session": admin]))
            )
            let target = fixture.members[0]
            let member = try #require(fixture.guild.members.first { $0.user?.id == target })
            let name = try #require(member.nick ?? member.user?.displayName)
            let missing = try await client.request(
                .POST, guild + "/config/access", cookies: ["aetheria_session": admin],
                form: ["csrf": token, "block_member": "Nobody-by-this-name", "openings_limit": "0"])
            #expect(missing.status == 422 && missing.body.contains("name starts with"))

            let saved = try await client.request(
                .POST, guild + "/config/access", cookies: ["aetheria_session": admin],
                form: ["csrf": token, "block_member": name.lowercased(), "block_reason": "Raid", "openings_limit": "0"])
            #expect(saved.status == 303, "\(saved.body.prefix(2_000))")
            let blocked = await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.config.access.blocked
            #expect(blocked?.map(\.memberID) == [target] && blocked?.first?.memberName == name)
            let listed = try await client.request(.GET, guild + "/config", cookies: ["aetheria_session": admin])
            #expect(listed.body.contains("\(name) (\(target))"))

            let panel = try await harness.postPanel(fixture)
            let click = try await harness.click(
                "aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: target)
            _ = try await harness.answer(to: click, containing: "You cannot open tickets in this server: Raid")
        }
    }

    @Test("a user who is not in the guild is refused without the bot asking Discord anything about it")
    func refusalCostsNoRequest() async throws {
        try await Self.run { harness, client, fixture in
            let other = try #require(try await harness.discord.guilds().first { $0.id != fixture.guildID })
            let memberIDs = Set(fixture.guild.members.compactMap { $0.user?.id })
            let stranger = try #require(other.members.compactMap { $0.user?.id }.first { !memberIDs.contains($0) })
            let session = try await client.login(as: stranger)
            _ = try await harness.discord.control(.DELETE, "/records")
            for page in ["", "/config", "/transcripts", "/transcripts/1/raw"] {
                let response = try await client.request(
                    .GET, "/guilds/\(fixture.guildID)\(page)", cookies: ["aetheria_session": session])
                #expect(response.status == 403, "\(page)")
            }
            let calls = try await harness.discord.control(.GET, "/records/rest").json?.arrayValue ?? []
            #expect(!calls.contains { $0["path"]?.stringValue?.contains("/guilds/\(fixture.guildID)") == true })
        }
    }

    @Test(
        "dashboard sessions survive a restart, on SQLite and on Redis",
        arguments: [false, true])
    func sessionsSurviveRestart(onRedis: Bool) async throws {
        let redis = onRedis ? try OwnRedisServer() : nil
        try await redis?.start()
        let redisURL = redis?.url
        let dataDirectory = BotHarness.temporaryDataDirectory()
        try await EmulatorHarness.run({ $0.guilds = 2 }) { discord in
            let cookie = Mutex<String?>(nil)
            try await Self.withDashboard(discord: discord, dataDirectory: dataDirectory, redisURL: redisURL) {
                _, client, fixture in
                let session = try await client.login(as: fixture.admin)
                cookie.withLock { $0 = session }
                #expect(
                    try await client.request(.GET, "/guilds/\(fixture.guildID)", cookies: ["aetheria_session": session])
                        .status == 200)
            }
            let session = try #require(cookie.withLock { $0 })
            // The restarted process resumes its session: no GUILD_CREATE, so it does not wait for every guild.
            try await Self.withDashboard(
                discord: discord, dataDirectory: dataDirectory, redisURL: redisURL, awaitEveryGuild: false
            ) {
                _, client, fixture in
                let page = try await client.request(
                    .GET, "/guilds/\(fixture.guildID)/config", cookies: ["aetheria_session": session])
                #expect(page.status == 200, "the session from before the restart still works")
            }
        }
    }
}
