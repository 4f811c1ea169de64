import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// A real `aetheria run` that kills itself with SIGKILL exactly at one step of a workflow
/// (`AETHERIA_CRASH_AT`, see CrashPoint), then a restart on the same store: the SQLite file, or the same
/// redis-server. Asserted through the
/// emulator's state, as a guild would see it: one ticket, one channel, one welcome, one entry per event in the
/// moderation log, one transcript, and the buttons of the killed process still work.
@Suite("Crash matrix: kill -9 at every step, then restart", .serialized)
struct CrashMatrixTests {
    typealias BotProcess = CrashRecoveryTests.BotProcess

    /// The store the bot runs on: the embedded SQLite file, or a redis-server of the test's own.
    enum Store: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case sqlite, redis
        var testDescription: String { rawValue }
    }

    struct World: Sendable {
        var discord: EmulatorHarness
        /// Set when the bot runs on Redis.
        var redis: OwnRedisServer?
        var harness: BotHarness
        var fixture: TicketFixture
        var panel: Message
        var dataDirectory: String
        var member: UserID { fixture.members[0] }
    }

    /// The guild set up as an admin would (in-process), then handed to child processes.
    static func world(
        on store: Store, configure: @escaping @Sendable (inout TicketConfig, TicketFixture) -> Void = { _, _ in },
        _ body: @escaping @Sendable (World) async throws -> Void
    ) async throws {
        let dataDirectory = BotHarness.temporaryDataDirectory()
        let redis = store == .redis ? try OwnRedisServer() : nil
        try await redis?.start()
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let (fixture, panel) = try await BotHarness.withBot(
                discord: discord, dataDirectory: dataDirectory, redisURL: redis?.url
            ) { harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture) {
                    $0.types[0].deleteDelaySeconds = 1
                    configure(&$0, fixture)
                }
                return (fixture, try await harness.postPanel(fixture))
            }
            // The children are the bots here; this harness only acts as members (its own bot never runs).
            var idle = AetheriaConfiguration(discordToken: discord.token)
            idle.dataDirectory = BotHarness.temporaryDataDirectory()
            let harness = BotHarness(
                discord: discord,
                bot: try await AetheriaApplication.build(idle, environment: .init(logger: BotHarness.logger)),
                clock: TestClock(), dataDirectory: dataDirectory)
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: dataDirectory + "/aetheria.log", contents: nil)
            try await body(
                World(
                    discord: discord, redis: redis, harness: harness, fixture: fixture, panel: panel,
                    dataDirectory: dataDirectory))
        }
    }

    struct ChildExited: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a child without waiting for it. On Redis, a restarted child carries the killed one's instance ID,
    /// as a restarted worker would, and so retakes the shard lease at once.
    static func launch(
        _ world: World, crashAt point: String? = nil, instanceID: String = "crash-matrix",
        environment: [String: String] = [:]
    ) throws -> BotProcess {
        try BotProcess(
            discord: world.discord, dataDirectory: world.dataDirectory, crashAt: point, redisURL: world.redis?.url,
            environment: environment.merging(["AETHERIA_INSTANCE_ID": instanceID]) { $1 })
    }

    /// Starts a child and waits until the emulator sees its session; a child that exits first fails the test
    /// at once, with the end of its log.
    static func start(
        _ world: World, crashAt point: String? = nil, instanceID: String = "crash-matrix",
        environment: [String: String] = [:]
    ) async throws -> BotProcess {
        let bot = try launch(world, crashAt: point, instanceID: instanceID, environment: environment)
        try await eventually("the bot process is connected", timeout: .seconds(30)) {
            guard bot.process.isRunning else {
                let log = BotProcess.log(in: world.dataDirectory)
                throw ChildExited(description: "the bot exited before connecting: \(log.suffix(500))")
            }
            let sessions = try await world.discord.control(.GET, "/records/sessions").json?.arrayValue ?? []
            return sessions.contains { $0["connected"]?.boolValue == true }
        }
        return bot
    }

    /// Moderation-log titles, counted.
    static func auditCounts(_ world: World) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for title in try await world.harness.auditTitles(world.fixture) { counts[title, default: 0] += 1 }
        return counts
    }

    static func transcriptCount(_ world: World) async throws -> Int {
        if let redis = world.redis {
            let client = try redis.makeClient()
            let count = try await RedisTranscriptStore(client: client).list(
                guildID: world.fixture.guildID, query: TranscriptQuery(limit: 100)
            ).count
            await client.shutdown()
            return count
        }
        let database = try SQLiteDatabase(path: world.dataDirectory + "/aetheria.sqlite")
        let store = try await SQLiteTranscriptStore(database: database)
        let count = try await store.list(guildID: world.fixture.guildID, query: TranscriptQuery(limit: 100)).count
        await database.shutdown()
        return count
    }

    /// The guild's tickets as the bot stored them (read after the bot has stopped).
    static func storedTickets(_ world: World) async throws -> GuildTickets {
        let stored: StoredGuildSnapshot?
        if let redis = world.redis {
            let client = try redis.makeClient()
            stored = try await RedisGuildStore(client: client).load(world.fixture.guildID)
            await client.shutdown()
        } else {
            let database = try SQLiteDatabase(path: world.dataDirectory + "/aetheria.sqlite")
            stored = try await SQLiteGuildStore(database: database).load(world.fixture.guildID)
            await database.shutdown()
        }
        return try GuildTicketsCodec.decode(try #require(stored).payload, guildID: world.fixture.guildID)
    }

    /// Rewrites the stored guild snapshot as JSON (what time passing while the bot is down would have left),
    /// as a newer version under the same fencing token. Only while no bot runs.
    static func editStoredGuild(_ world: World, _ edit: (inout [String: Any]) throws -> Void) async throws {
        let redisClient = try world.redis?.makeClient()
        let database =
            world.redis == nil ? try SQLiteDatabase(path: world.dataDirectory + "/aetheria.sqlite") : nil
        let store: any GuildStore =
            if let redisClient { RedisGuildStore(client: redisClient) } else {
                try await SQLiteGuildStore(database: try #require(database))
            }
        var stored = try #require(try await store.load(world.fixture.guildID))
        var document = try #require(
            try JSONSerialization.jsonObject(with: Data(stored.payload)) as? [String: Any])
        var guild = try #require(document["guild"] as? [String: Any])
        try edit(&guild)
        document["guild"] = guild
        stored.payload = Array(try JSONSerialization.data(withJSONObject: document))
        stored.version += 1
        try await store.save(stored)
        await redisClient?.shutdown()
        await database?.shutdown()
    }

    /// The member's ticket, once it exists exactly once with its welcome and its audit entry.
    static func settledTicket(_ world: World) async throws -> (channel: DiscordModels.Channel, welcome: Message) {
        let harness = world.harness
        try await eventually("the ticket is settled after the restart", timeout: .seconds(30)) {
            let channels = try await harness.ticketChannels(of: world.fixture.guildID)
            guard channels.count == 1, let channel = channels.first else { return false }
            let welcomes = try await harness.messages(in: channel.id).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:close"
            }
            let created = try await auditCounts(world)["Ticket #\(number(of: channel)) created"] ?? 0
            return welcomes.count == 1 && created >= 1
        }
        let channels = try await harness.ticketChannels(of: world.fixture.guildID)
        #expect(channels.count == 1, "no duplicate channel")
        let channel = try #require(channels.first)
        #expect(try await harness.access(of: world.member, to: channel.id).view, "the opener sees the ticket")
        return (channel, try await harness.welcome(in: channel.id))
    }

    /// Closes through the welcome's Close button (of whichever process posted it) and waits for the deletion.
    /// The ticket number in a ticket channel's topic marker.
    static func number(of channel: DiscordModels.Channel) -> Int {
        channel.topic.flatMap(TicketMarker.init(topic:))?.ticketNumber ?? 0
    }

    static func closeAndAwaitDeletion(
        _ world: World, welcome: Message, channel: ChannelID, number: Int = 1
    ) async throws {
        _ = try await world.harness.click(
            "aetheria:ticket:close", on: welcome.id, in: channel, as: world.fixture.staff)
        try await eventually("the ticket is closed and its channel deleted", timeout: .seconds(30)) {
            let deleted = try await auditCounts(world)["Ticket #\(number) channel deleted"] ?? 0
            return try await world.harness.ticketChannels(of: world.fixture.guildID).isEmpty && deleted >= 1
        }
    }

    static func expectOneOfEach(_ world: World, number: Int = 1) async throws {
        let counts = try await auditCounts(world)
        for title in ["Ticket #\(number) created", "Ticket #\(number) closed", "Ticket #\(number) channel deleted"] {
            #expect(counts[title] == 1, "\(title): \(counts[title] ?? 0) entries")
        }
        #expect(try await transcriptCount(world) == 1, "exactly one transcript")
        // What the dashboard's charts count: one opened, one closed, nothing left open.
        let tickets = try await storedTickets(world)
        #expect(tickets.analytics.opened == 1 && tickets.analytics.closed == 1, "\(tickets.analytics)")
        #expect(tickets.tickets.allSatisfy { $0.state != .open }, "no ticket left open")
    }

    @Test(
        "killed while opening: one ticket, one welcome, one audit entry; its Close button still works",
        arguments: Store.allCases, ["open.recorded", "open.channel-created", "open.welcome-posted"])
    func killedWhileOpening(_ store: Store, _ point: String) async throws {
        try await Self.world(on: store) { world in
            var bot = try await Self.start(world, crashAt: point)
            _ = try await world.harness.click(
                "aetheria:ticket:open:1", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            try await bot.waitForCrash(world.harness, at: point)
            bot = try await Self.start(world)
            let (channel, welcome) = try await Self.settledTicket(world)
            try await Self.closeAndAwaitDeletion(world, welcome: welcome, channel: channel.id)
            try await bot.stop()
            try await Self.expectOneOfEach(world)
        }
    }

    @Test(
        "killed while closing or deleting: the close finishes once, with one transcript and one entry per event",
        arguments: Store.allCases, ["close.locked", "close.transcript-saved", "close.closed-recorded", "delete.due"])
    func killedWhileClosing(_ store: Store, _ point: String) async throws {
        try await Self.world(on: store) { world in
            var bot = try await Self.start(world, crashAt: point)
            _ = try await world.harness.click(
                "aetheria:ticket:open:1", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            let (channel, welcome) = try await Self.settledTicket(world)
            try await world.harness.post("Please help with my order", in: channel.id, as: world.member)
            _ = try await world.harness.click(
                "aetheria:ticket:close", on: welcome.id, in: channel.id, as: world.fixture.staff)
            try await bot.waitForCrash(world.harness, at: point)
            bot = try await Self.start(world)
            try await eventually("the close is finished after the restart", timeout: .seconds(30)) {
                let deleted = try await Self.auditCounts(world)["Ticket #1 channel deleted"] ?? 0
                return try await world.harness.ticketChannels(of: world.fixture.guildID).isEmpty && deleted >= 1
            }
            try await bot.stop()
            try await Self.expectOneOfEach(world)
            #expect(try await Self.transcriptCount(world) == 1)
        }
    }

    @Test(
        "killed right after posting the panel: the replayed command posts no second panel", arguments: Store.allCases)
    func killedAfterPanel(_ store: Store) async throws {
        try await Self.world(on: store) { world in
            var bot = try await Self.start(world, crashAt: "setup.panel-posted")
            _ = try await world.harness.runCommand(
                "ticket-setup", in: world.fixture.supportChannel, as: world.fixture.admin)
            try await bot.waitForCrash(world.harness, at: "setup.panel-posted")
            bot = try await Self.start(world)
            // The restarted process replays the session from its stored position, the command included; a
            // member's click on the panel is then answered, which shows the replay has been handled.
            let panels = try await world.harness.messages(in: world.fixture.supportChannel).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:open:1"
            }
            let newest = try #require(panels.last)
            _ = try await world.harness.openTicket(world.fixture, panel: newest, as: world.member)
            let after = try await world.harness.messages(in: world.fixture.supportChannel).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:open:1"
            }
            try await bot.stop()
            #expect(after.count == 2, "the set-up panel plus the one posted before the crash, no third")
        }
    }

    /// The child's dashboard on a port of its own, logged into through the emulator's OAuth2.
    static func dashboardEnvironment(_ world: World, port: Int) -> [String: String] {
        [
            "DASHBOARD_PORT": String(port), "DASHBOARD_PUBLIC_URL": "http://127.0.0.1:\(port)",
            "DISCORD_CLIENT_ID": EmulatorConfiguration.botUserID.description,
            "DISCORD_CLIENT_SECRET": EmulatorConfiguration.developmentClientSecret,
            "DASHBOARD_AUTHORIZE_URL": world.discord.endpoints.origin.appendingPathComponent("oauth2/authorize")
                .absoluteString,
            "DASHBOARD_INSECURE_COOKIES": "true",
        ]
    }

    @Test(
        "killed after the transcript was posted to the transcripts channel: after the restart there is one post, one DM, and the channel is deleted only then",
        arguments: Store.allCases)
    func killedDuringDelivery(_ store: Store) async throws {
        try await Self.world(
            on: store,
            configure: { config, fixture in
                config.types[0].sendsTranscriptToOpener = true
                config.logRouting[.transcripts] = fixture.logChannel
            }
        ) { world in
            var bot = try await Self.start(world, crashAt: "close.transcript-posted")
            let channel = try await world.harness.openTicket(world.fixture, panel: world.panel, as: world.member)
            let welcome = try await world.harness.welcome(in: channel.id)
            _ = try await world.harness.click(
                "aetheria:ticket:close", on: welcome.id, in: channel.id, as: world.member)
            try await bot.waitForCrash(world.harness, at: "close.transcript-posted")
            @Sendable func posts() async throws -> Int {
                try await world.harness.messages(in: world.fixture.logChannel).count {
                    $0.embeds.first?.title?.hasPrefix("Transcript of ticket #1") == true
                }
            }
            @Sendable func directMessages() async throws -> Int {
                let response = try await world.discord.control(.GET, "/users/\(world.member)/dm")
                return response.json?["messages"]?.arrayValue?.count ?? 0
            }
            #expect(try await posts() == 1)
            #expect(try await directMessages() == 0, "killed between the post and the DM")

            bot = try await Self.start(world)
            try await eventually("the member gets the DM and the channel goes, after the delivery") {
                let gone = try await world.harness.channels(of: world.fixture.guildID).allSatisfy {
                    $0.id != channel.id
                }
                return try await directMessages() == 1 && gone
            }
            #expect(try await posts() == 1, "the repeated post returned the first (its nonce)")
            try await bot.stop()
        }
    }

    @Test(
        "killed right after a /ticket add was stored: the restart lets the member in and announces it exactly once",
        arguments: Store.allCases)
    func killedAfterStaffAction(_ store: Store) async throws {
        try await Self.world(on: store) { world in
            var bot = try await Self.start(world, crashAt: "staff.recorded")
            let channel = try await world.harness.openTicket(world.fixture, panel: world.panel, as: world.member)
            let guest = world.fixture.members[1]
            let add = try await world.harness.discord.controlAPI.runCommand(
                "ticket", "add", in: channel.id, as: world.fixture.staff,
                options: [.init(name: "member", value: guest.description)])
            try await bot.waitForCrash(world.harness, at: "staff.recorded")
            @Sendable func guestOverwrite() async throws -> PermissionOverwrite? {
                try await world.harness.channels(of: world.fixture.guildID).first { $0.id == channel.id }?
                    .permissionOverwrites?.first { $0.id.rawValue == guest.rawValue }
            }
            #expect(try await guestOverwrite() == nil, "killed before Discord was asked")

            bot = try await Self.start(world)
            try await eventually("the restarted bot lets the added member in") {
                try await guestOverwrite()?.allow.contains(.sendMessages) == true
            }
            @Sendable func notices() async throws -> Int {
                try await world.harness.messages(in: channel.id).count {
                    $0.embeds.first?.description?.contains("added <@\(guest)>") == true
                }
            }
            @Sendable func entries() async throws -> Int {
                try await world.harness.auditTitles(world.fixture).count { $0 == "Ticket #1: add member" }
            }
            try await eventually("the notice and the log entry are posted") {
                let (posted, logged) = (try await notices(), try await entries())
                return posted == 1 && logged == 1
            }
            // When the command was acknowledged before the kill, the staff member's "thinking…" reply is what
            // became the notice (its token was stored with the action), not a second message beside it.
            let answered = try await world.harness.discord.controlAPI.interaction(add)
            if answered["acknowledged"]?.boolValue == true {
                let original = answered["original_message"]?["embeds"]?.arrayValue?.first?["description"]?.stringValue
                #expect(original?.contains("added <@\(guest)>") == true)
            }
            try await bot.stop()
            bot = try await Self.start(world)
            // Another restart finds nothing left to do: nothing is posted twice.
            let probe = try await world.harness.discord.controlAPI.runCommand(
                "ticket", "note", in: channel.id, as: world.fixture.staff,
                options: [.init(name: "text", value: "after the restart")])
            _ = try await world.harness.answer(to: probe, containing: "Note saved")
            let (posted, logged) = (try await notices(), try await entries())
            #expect(posted == 1 && logged == 1)
            try await bot.stop()
        }
    }

    @Test(
        "killed right after the dashboard stored new settings: they stay, the change is logged exactly once, the posted panel is brought up to date, the admin stays logged in",
        arguments: Store.allCases)
    func killedAfterSettingsSave(_ store: Store) async throws {
        try await Self.world(on: store) { world in
            let port = try FreeLoopbackPort.pick()
            let environment = Self.dashboardEnvironment(world, port: port)
            var bot = try await Self.start(world, crashAt: "config.saved", environment: environment)
            let client = DashboardClient(base: "http://127.0.0.1:\(port)", harness: world.harness)
            try await eventually("the dashboard answers") {
                (try? await client.request(.GET, "/healthz"))?.status == 200
            }
            let admin = try await client.login(as: world.fixture.admin)
            let page = "/guilds/\(world.fixture.guildID)/config/types/1"
            let form = try await client.request(.GET, page, cookies: ["aetheria_session": admin])
            let fields = [
                "name": "Billing help", "staff_roles[]": world.fixture.staffRole.description,
                "categories[]": world.fixture.category.description, "name_template": "help-{number}-{username}",
                "maximum_open": "1", "cooldown": "0", "delete_delay": "1", "stale_after": "48",
                "close_policy": "opener_and_staff", "csrf": try #require(client.csrf(in: form)),
            ]
            // The process dies while answering: the request fails, as the admin's browser would show.
            _ = try? await client.request(.POST, page, cookies: ["aetheria_session": admin], form: fields)
            try await bot.waitForCrash(world.harness, at: "config.saved")

            bot = try await Self.start(world, environment: environment)
            try await eventually("the dashboard is back") {
                (try? await client.request(.GET, "/healthz"))?.status == 200
            }
            let after = try await client.request(.GET, page, cookies: ["aetheria_session": admin])
            #expect(after.status == 200, "the admin's session survived the crash")
            #expect(after.body.contains("help-{number}-{username}"), "the stored settings are in effect")
            @Sendable func entries() async throws -> Int {
                try await world.harness.messages(in: world.fixture.logChannel).count {
                    $0.embeds.first?.title == "Ticket settings changed"
                        && $0.embeds.first?.fields?.contains { $0.value.contains("help-{number}-{username}") } == true
                }
            }
            try await eventually("the change's log entry is posted after the restart") {
                try await entries() >= 1
            }
            // The panel posted before the change was not edited before the kill; the restart edits it.
            try await eventually("the posted panel's button shows the renamed type") {
                let panel = try await world.harness.messages(in: world.panel.channelId).first {
                    $0.id == world.panel.id
                }
                return panel?.components?.first?.components?.first?.label == "Billing help"
            }
            // A new ticket is named by the new template: the settings are what the guild runs on.
            let channel = try await world.harness.openTicket(world.fixture, panel: world.panel, as: world.member)
            #expect(channel.name == "help-0001-erin", "\(channel.name ?? "")")
            try await bot.stop()
            #expect(try await entries() == 1, "logged once, not once per restart")
        }
    }

    @Test(
        "killed while reminding an idle ticket: the reminder is posted exactly once and stored as posted",
        arguments: Store.allCases, ["reminder.recorded", "reminder.posted"])
    func killedWhileReminding(_ store: Store, _ point: String) async throws {
        try await Self.world(on: store) { world in
            var bot = try await Self.start(world)
            _ = try await world.harness.click(
                "aetheria:ticket:open:1", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            let (channel, _) = try await Self.settledTicket(world)
            try await bot.stop()
            // The bot is down for two idle days: the ticket's last activity is moved back by 49 hours.
            try await Self.editStoredGuild(world) { guild in
                var tickets = try #require(guild["tickets"] as? [[String: Any]])
                let lastActivity = try #require(tickets[0]["lastActivityAt"] as? Double)
                tickets[0]["lastActivityAt"] = lastActivity - 49 * 3_600
                guild["tickets"] = tickets
            }
            // Started past the sweep's due time, the bot reminds at once, and dies at the step.
            bot = try Self.launch(world, crashAt: point)
            try await bot.waitForCrash(world.harness, at: point)
            bot = try await Self.start(world)
            @Sendable func reminders() async throws -> Int {
                try await world.harness.messages(in: channel.id).count { $0.embeds.first?.title == "Still need help?" }
            }
            // The restarted bot finishes the reminder: posts it or, finding it posted, confirms it. Either way it
            // ends stored as posted, which is what keeps every later start from posting it again.
            try await eventually("the reminder is stored as posted", timeout: .seconds(30)) {
                (try? await Self.storedTickets(world))?.tickets.first?.reminderPosted == true
            }
            try await bot.stop()
            #expect(try await reminders() == 1, "posted once, not once per start")
        }
    }
}
