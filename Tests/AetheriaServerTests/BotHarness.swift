import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Logging
import Storage
import Synchronization
import Testing
import TicketCore

/// A clock the test moves by hand (for stale reminders and cooldowns).
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}

/// Runs the local Discord and the whole bot against it, and acts as Discord's members through the
/// emulator's control API. Checks go through the emulator's state, the way a guild would see the bot.
struct BotHarness: Sendable {
    let discord: EmulatorHarness
    /// The whole bot process as `aetheria run` builds it (shards, scheduler, dashboard on a free port).
    let bot: AetheriaApplication
    let clock: TestClock
    let dataDirectory: String

    /// Silent unless `AETHERIA_TEST_LOG` names a level (for debugging a failing test).
    static var logger: Logger {
        guard let level = ProcessInfo.processInfo.environment["AETHERIA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:))
        else { return Logger(label: "test.bot", factory: { _ in SwiftLogNoOpLogHandler() }) }
        var logger = Logger(label: "test.bot", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }

    /// Writes a guild's stored state into the SQLite file of `dataDirectory`, as a process that stopped
    /// (or was killed) would have left it.
    static func seedStoredState(
        _ payload: [UInt8], guildID: GuildID, dataDirectory: String, version: UInt64 = 1
    )
        async throws -> StoredGuildSnapshot
    {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let database = try SQLiteDatabase(path: dataDirectory + "/aetheria.sqlite")
        let snapshot = StoredGuildSnapshot(guildID: guildID, version: version, fencingToken: 1, payload: payload)
        try await SQLiteGuildStore(database: database).save(snapshot)
        await database.shutdown()
        return snapshot
    }

    static func temporaryDataDirectory() -> String {
        NSTemporaryDirectory() + "aetheria-test-\(UUID().uuidString)"
    }

    /// Starts the emulator (one guild unless told otherwise) and the bot; `body` runs once the bot has
    /// loaded every guild.
    static func run<Result: Sendable>(
        guilds: Int = 1, dataDirectory: String = temporaryDataDirectory(), redisURL: URL? = nil,
        emulator adjustEmulator: @escaping @Sendable (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (BotHarness) async throws -> Result
    ) async throws -> Result {
        try await EmulatorHarness.run({
            $0.guilds = guilds
            adjustEmulator(&$0)
        }) { discord in
            try await withBot(discord: discord, dataDirectory: dataDirectory, redisURL: redisURL, body)
        }
    }

    /// Runs a bot against an emulator that is already running (used to restart the bot on the same data).
    static func withBot<Result: Sendable>(
        discord: EmulatorHarness, dataDirectory: String, redisURL: URL? = nil, clock: TestClock = TestClock(),
        configure adjust: @Sendable (inout AetheriaConfiguration) -> Void = { _ in },
        memberRolesLifetime: Duration = .seconds(60), awaitEveryGuild: Bool = true,
        _ body: @escaping @Sendable (BotHarness) async throws -> Result
    ) async throws -> Result {
        var configuration = AetheriaConfiguration()
        configuration.discordToken = discord.token
        configuration.discordAPIURL = discord.endpoints.restBaseURL
        configuration.dataDirectory = dataDirectory
        configuration.redisURL = redisURL
        // The emulator's CDN-style file URLs stand for Discord's CDN in the tests.
        configuration.transcriptAttachmentOrigins.append(discord.endpoints.origin.absoluteString)
        configuration.dashboardPublicURL = URL(string: "http://127.0.0.1:8080")
        // Every test's dashboard on a port the kernel picks (tests that use it choose their own).
        configuration.dashboardPort = 0
        // Unfinished work retried within a second or two (production: 5 s doubling up to 5 minutes), so a test
        // waits for the retry as an event, never for a fixed time.
        configuration.retrySchedule = RetrySchedule(base: .milliseconds(300), cap: .seconds(2))
        adjust(&configuration)
        let bot = try await AetheriaApplication.build(
            configuration,
            environment: .init(logger: Self.logger, now: { clock.now }, memberRolesLifetime: memberRolesLifetime))
        let harness = BotHarness(discord: discord, bot: bot, clock: clock, dataDirectory: dataDirectory)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await bot.run()
                return nil
            }
            do {
                let expected = try await discord.guilds().count
                // Interactions sent while no session is connected reach nobody, as on Discord.
                do {
                    try await eventually("every shard is connected", timeout: .seconds(20)) {
                        let statuses = bot.shardStatuses
                        return !statuses.isEmpty && statuses.allSatisfy { $0.state == "connected" }
                    }
                } catch {
                    // What each shard was doing, for the report (seen once under a full parallel run).
                    let statuses = bot.shardStatuses.map {
                        "\($0.shard): \($0.state), \($0.identifies) identifies, \($0.reconnects) reconnects"
                    }
                    Issue.record("shards not connected: \(statuses)")
                    throw error
                }
                // Asking for overviews makes every guild learn its roles and channels: a test of what a resumed
                // process does on its own skips this.
                try await eventually("the bot loads every guild") {
                    guard awaitEveryGuild else { return true }
                    var ready = 0
                    for id in bot.guilds.guildIDs where await bot.guilds.overview(of: id)?.discord != nil { ready += 1 }
                    return ready == expected
                }
                let result = try await body(harness)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    // MARK: - Acting as members

    typealias SentInteraction = EmulatorControl.SentInteraction

    func runCommand(_ name: String, in channelID: ChannelID, as userID: UserID) async throws -> SentInteraction {
        try await discord.controlAPI.runCommand(name, in: channelID, as: userID)
    }

    func click(
        _ customID: String, on messageID: MessageID, in channelID: ChannelID, as userID: UserID
    ) async throws -> SentInteraction {
        try await discord.controlAPI.click(customID, on: messageID, in: channelID, as: userID)
    }

    /// What the bot answered to an interaction, once it answered something final (not just "thinking…").
    func answer(
        to interaction: SentInteraction, containing text: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> JSONValue {
        let box = Mutex<JSONValue?>(nil)
        try await eventually("the bot answers interaction \(interaction.id)", timeout: timeout) {
            let record = try await discord.controlAPI.interaction(interaction)
            guard record["acknowledged"]?.boolValue == true else { return false }
            let content = record["original_message"]?["content"]?.stringValue ?? ""
            if let text, !content.contains(text) { return false }
            box.withLock { $0 = record }
            return true
        }
        return try #require(box.withLock { $0 })
    }

    func post(_ content: String, in channelID: ChannelID, as userID: UserID) async throws {
        try await discord.controlAPI.post(content, in: channelID, as: userID)
    }

    // MARK: - Reading Discord's state

    func messages(in channelID: ChannelID) async throws -> [Message] {
        try await discord.controlAPI.messages(in: channelID)
    }

    func channels(of guildID: GuildID) async throws -> [DiscordModels.Channel] {
        try await discord.controlAPI.guild(guildID).channels ?? []
    }

    func ticketChannels(of guildID: GuildID) async throws -> [DiscordModels.Channel] {
        try await channels(of: guildID).filter { $0.topic?.contains("aetheria:ticket:") == true }
    }

    struct Access: Sendable {
        var view: Bool
        var send: Bool
        var manageChannels: Bool
    }

    func access(of userID: UserID, to channelID: ChannelID) async throws -> Access {
        let report = try #require(
            try await discord.control(.GET, "/permissions?user_id=\(userID)&channel_id=\(channelID)").json)
        return Access(
            view: report["view_channel"]?.boolValue == true, send: report["send_messages"]?.boolValue == true,
            manageChannels: report["manage_channels"]?.boolValue == true)
    }
}
