import AetheriaServer
public import ArgumentParser
import AsyncHTTPClient
import DiscordEmulator
import DiscordModels
import EmulatorControl
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TicketCore

/// `aetheria loadtest`: the numbers operators ask for, reproducible with one command. It runs the emulator in
/// this process and Aetheria as a child `aetheria run` (so the child's CPU and memory are its own), then
/// measures start-up, firehose ingest and click-to-acknowledgement latency under background load, and checks
/// correctness alongside: lost events, duplicate tickets, 429s.
public struct LoadTestCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "loadtest", abstract: "Measure start-up, ingest and interaction latency against the emulator.")

    @Option(help: "Guilds to seed.") var guilds = 1_000
    @Option(help: "Shards the bot runs.") var shards = 2
    @Option(help: "Seconds of each measured phase.") var duration = 10
    @Option(help: "Firehose events per second for the ingest phase (the emulator's ceiling is the limit).")
    var rate = 100_000
    @Option(help: "Ticket clicks per second during the interaction phase.") var interactionsPerSecond = 20
    @Option(help: "zlib-stream compression on the gateway.") var compression = true
    @Option(help: "Write the results as JSON here.") var json: String?
    @Option(help: "A previous --json file: print ratios against it.") var compare: String?
    @Option(help: "Log level of the child bot.") var childLogLevel = "error"
    @Option(
        help:
            "Redis for the bot's state (redis://host:port/db). Without it a throwaway redis-server is started when installed, else SQLite is used."
    )
    var redisURL: String?
    @Option(help: "Guilds that get a ticket panel and clicks in the interaction phase.") var clickGuilds = 100
    @Option(
        help:
            "A running emulator (http://HOST:PORT) to use instead of starting one in this process; --guilds must match its guilds."
    )
    var emulator: String?
    @Option(help: "The bot token the running emulator accepts (with --emulator; default: the emulator's default).")
    var botToken: String?

    public func validate() throws {
        guard guilds >= 1, shards >= 1, duration >= 1, rate >= 1, interactionsPerSecond >= 1 else {
            throw ValidationError(
                "--guilds, --shards, --duration, --rate and --interactions-per-second must be at least 1")
        }
        // Discord closes a shard with 4011 beyond 2,500 guilds; the emulator does the same.
        let needed = (guilds + 2_499) / 2_500
        guard shards >= needed else {
            throw ValidationError(
                "\(guilds) guilds need at least \(needed) shards (Discord allows 2,500 guilds per shard): pass --shards \(needed)"
            )
        }
    }

    /// Where the emulator's REST and control APIs are, and the bot token it accepts.
    struct Target {
        var restBaseURL: URL
        var controlURL: URL
        var botToken: String
    }

    public init() {}

    public func run() async throws {
        ChildProcess.stopChildrenOnSignals()
        let report: LoadTestReport
        if let emulator {
            guard let origin = URL(string: emulator), ["http", "https"].contains(origin.scheme ?? ""),
                origin.host != nil
            else { throw ValidationError("--emulator must be an address such as http://127.0.0.1:8900") }
            report = try await measure(
                Target(
                    restBaseURL: origin.appendingPathComponent("api/v10"),
                    controlURL: origin.appendingPathComponent("_emulator"),
                    botToken: botToken ?? EmulatorConfiguration().botToken))
        } else {
            report = try await measureWithEmulatorInProcess()
        }
        let previous = try compare.map {
            try JSONDecoder().decode(LoadTestReport.self, from: Data(contentsOf: URL(fileURLWithPath: $0)))
        }
        print(report.table(comparedWith: previous))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }

    private func measureWithEmulatorInProcess() async throws -> LoadTestReport {
        var emulatorConfiguration = EmulatorConfiguration()
        emulatorConfiguration.port = 0
        emulatorConfiguration.gatewayPort = 0
        emulatorConfiguration.guilds = guilds
        emulatorConfiguration.membersPerGuild = 12
        emulatorConfiguration.textChannelsPerGuild = 4
        emulatorConfiguration.extraRolesPerGuild = 1
        emulatorConfiguration.recommendedShards = shards
        emulatorConfiguration.maxConcurrency = max(1, shards)
        emulatorConfiguration.identifyWindow = .milliseconds(0)
        emulatorConfiguration.heartbeatInterval = .seconds(30)
        let logger = Logger(label: "aetheria.loadtest", factory: { _ in SwiftLogNoOpLogHandler() })
        let localDiscord = LocalDiscord(configuration: emulatorConfiguration, logger: logger)
        let report = try await withThrowingTaskGroup(of: LoadTestReport?.self) { group in
            group.addTask {
                try await localDiscord.run()
                return nil
            }
            let endpoints = try await localDiscord.endpoints()
            let report = try await measure(
                Target(
                    restBaseURL: endpoints.restBaseURL, controlURL: endpoints.controlURL,
                    botToken: emulatorConfiguration.botToken))
            group.cancelAll()
            return report
        }
        return report
    }

    // MARK: - Phases

    private func measure(_ target: Target) async throws -> LoadTestReport {
        let control = EmulatorControlClient(baseURL: target.controlURL)
        let directory = NSTemporaryDirectory() + "aetheria-loadtest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/aetheria.json"))
        let dashboardPort = Int.random(in: 30_000...60_000)
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        var environment = [
            "DISCORD_TOKEN": target.botToken, "DISCORD_API_URL": target.restBaseURL.absoluteString,
            "AETHERIA_DATA_DIR": directory, "AETHERIA_SHARDS": String(shards), "DASHBOARD_PORT": String(dashboardPort),
            "AETHERIA_LOG_LEVEL": childLogLevel, "METRICS_TOKEN": "",
            "AETHERIA_GATEWAY_COMPRESSION": String(compression),
        ]
        try await checkEmulatorMatches(control: control)
        let localRedis = redisURL == nil ? try await LocalRedis.start(directory: directory + "/redis") : nil
        defer { localRedis?.stop() }
        let store: Store
        if let url = redisURL ?? localRedis?.url {
            store = Store(name: "redis", environment: ["REDIS_URL": url])
        } else {
            store = Store(name: "sqlite", environment: [:])
        }
        progress("load test: \(guilds) guilds over \(shards) shards, state in \(store.name)")

        // 0. The bot's own footprint with no guilds, against an empty emulator: the baseline of memory per guild.
        let baseline = try await baselineMemory(
            executable: executable, environment: environment, directory: directory)

        // 1. Start-up: READY plus every GUILD_CREATE.
        environment.merge(store.environment) { _, store in store }
        let launch = BotLauncher(
            executable: executable, configPath: directory + "/aetheria.json", environment: environment,
            directory: directory, guilds: guilds, shards: shards, dashboardPort: dashboardPort)
        let started = ContinuousClock.now
        let child = try await launch.start()
        defer { child.stop() }
        try await launch.waitUntilReady(child)
        let startupSeconds = Self.seconds(ContinuousClock.now - started)
        try await Task.sleep(for: .seconds(1))  // let the last snapshots and allocations settle
        let startupCPU = child.cpuSeconds
        let rssAfterStartup = child.residentBytes
        let heapAfterStartup = try await Self.metricSum(
            "http://127.0.0.1:\(dashboardPort)/metrics", named: "aetheria_heap_in_use_bytes")
        progress(
            String(
                format: "startup: %.2f s, %.2f CPU s, RSS %.1f MB", startupSeconds, startupCPU,
                Double(rssAfterStartup) / 1e6))

        // 2. Firehose at the given rate.
        let metrics = "http://127.0.0.1:\(dashboardPort)/metrics"
        let eventsBefore = try await Self.eventsReceived(metrics)
        let cpuBefore = child.cpuSeconds
        let firehoseStart = ContinuousClock.now
        try await control.startFirehose(rate: rate, seconds: duration)
        try await waitUntil(timeout: .seconds(Int64(duration) * 3 + 30)) {
            (try? await control.firehose())?.running == false
        }
        let firehoseSeconds = Self.seconds(ContinuousClock.now - firehoseStart)
        try await Task.sleep(for: .seconds(1))
        let eventsAfter = try await Self.eventsReceived(metrics)
        let ingestCPU = child.cpuSeconds - cpuBefore
        let ingested = eventsAfter - eventsBefore
        let eventsPerSecond = Double(ingested) / firehoseSeconds
        progress(String(format: "ingest: %d events in %.1f s, %.2f CPU s", ingested, firehoseSeconds, ingestCPU))

        // 3. Clicks under background load at half the measured rate.
        let clickGuilds = try await preparePanels(control: control, count: min(guilds, self.clickGuilds))
        progress(
            "interactions: panels in \(clickGuilds.count) guilds, \(clickGuilds.reduce(0) { $0 + $1.members.count }) members to click"
        )
        try await control.clearRecords()
        let background = OutsideNumber.clampedInteger(eventsPerSecond / 2, to: 1...1_000_000) ?? 1
        try await control.startFirehose(rate: background, seconds: duration + 5)
        var sent = 0
        // Round-robin over the guilds, so the clicks open tickets in as many guilds as possible.
        let mostMembers = clickGuilds.map(\.members.count).max() ?? 0
        var members = (0..<mostMembers).flatMap { index in
            clickGuilds.compactMap { guild in index < guild.members.count ? (guild, guild.members[index]) : nil }
        }.makeIterator()
        var guildsClicked = Set<GuildID>()
        let interval = Duration.milliseconds(Int64(1_000 / max(1, interactionsPerSecond)))
        let clickEnd = ContinuousClock.now + .seconds(Int64(duration))
        while ContinuousClock.now < clickEnd, let (guild, member) = members.next() {
            _ = try? await control.click("aetheria:ticket:open:1", on: guild.panel, in: guild.channel, as: member)
            sent += 1
            guildsClicked.insert(guild.id)
            try await Task.sleep(for: interval)
        }
        try await control.stopFirehose()
        try await Task.sleep(for: .seconds(5))
        let acks = try await control.records(.interactions)
        let latencies = acks.compactMap { $0["latency_milliseconds"]?.doubleValue }.sorted()

        // Correctness.
        let sessions = try await control.records(.sessions)
        let dispatched = sessions.filter { $0["connected"]?.boolValue == true }.compactMap { $0["sequence"]?.intValue }
            .reduce(0, +)
        let received = try await Self.eventsReceived(metrics)
        var duplicates = 0
        for guild in clickGuilds {
            let channels = try await control.guild(guild.id).channels ?? []
            let openers = channels.compactMap { $0.topic.flatMap(TicketMarker.init(topic:))?.openerID }
            duplicates += openers.count - Set(openers).count
        }
        let limited = try await control.rateLimitRecord()["rate_limited_responses"]?.intValue ?? 0

        // 4. What persistence costs ingest, at the measured rate, with tickets open in the clicked guilds.
        let persistence = try await measurePersistence(
            child: child, launch: launch, control: control,
            rate: OutsideNumber.clampedInteger(eventsPerSecond, to: 1...1_000_000) ?? 1, store: store,
            guildsWithTickets: guildsClicked.count)

        return LoadTestReport(
            parameters: .init(
                guilds: guilds, shards: shards, durationSeconds: duration, rate: rate,
                interactionsPerSecond: interactionsPerSecond, compression: compression, machine: Self.machine),
            startupSeconds: startupSeconds, startupCPUSecondsPerGuild: startupCPU / Double(max(1, guilds)),
            memoryBytesPerGuild: Double(rssAfterStartup - baseline.resident) / Double(max(1, guilds)),
            ingestEventsPerSecond: eventsPerSecond,
            ingestEventsPerCPUSecond: ingestCPU > 0 ? Double(ingested) / ingestCPU : 0,
            ackLatencyMs: .init(
                p50: LoadTestReport.percentile(latencies, 0.5), p99: LoadTestReport.percentile(latencies, 0.99),
                p999: LoadTestReport.percentile(latencies, 0.999)),
            interactionsSent: sent, interactionsAcknowledged: latencies.count,
            lostEvents: max(0, dispatched - received), duplicateTickets: duplicates, rateLimitedResponses: limited,
            heapBytesPerGuild: Double(heapAfterStartup - baseline.heap) / Double(max(1, guilds)),
            persistence: persistence)
    }

    /// RSS and heap in use of the bot connected to an emulator with no guilds (same binary, same settings
    /// otherwise).
    private func baselineMemory(
        executable: String, environment: [String: String], directory: String
    ) async throws -> (resident: Int, heap: Int) {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.gatewayPort = 0
        configuration.guilds = 0
        configuration.recommendedShards = shards
        configuration.maxConcurrency = max(1, shards)
        configuration.identifyWindow = .milliseconds(0)
        let empty = LocalDiscord(
            configuration: configuration, logger: Logger(label: "loadtest", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: (resident: Int, heap: Int)?.self) { group in
            group.addTask {
                try await empty.run()
                return nil
            }
            let endpoints = try await empty.endpoints()
            let baselineDirectory = directory + "/baseline"
            try FileManager.default.createDirectory(atPath: baselineDirectory, withIntermediateDirectories: true)
            var baselineEnvironment = environment
            baselineEnvironment["DISCORD_API_URL"] = endpoints.restBaseURL.absoluteString
            baselineEnvironment["AETHERIA_DATA_DIR"] = baselineDirectory
            let port = Int.random(in: 30_000...60_000)
            baselineEnvironment["DASHBOARD_PORT"] = String(port)
            let child = try ChildProcess(
                executable: executable, arguments: ["run", "--config", directory + "/aetheria.json"],
                environment: baselineEnvironment, log: baselineDirectory + "/aetheria.log")
            defer { child.stop() }
            try await waitUntil(timeout: .seconds(60)) {
                (try? await Self.get("http://127.0.0.1:\(port)/healthz"))?["shards_connected"]?.intValue == shards
            }
            try await Task.sleep(for: .seconds(1))
            let rss = child.residentBytes
            let heap = try await Self.metricSum("http://127.0.0.1:\(port)/metrics", named: "aetheria_heap_in_use_bytes")
            group.cancelAll()
            return (rss, heap)
        }
    }

    /// The emulator must hold `--guilds` guilds, spread so that no shard carries more than 2,500 (Discord, like the
    /// emulator, closes such a shard): refuse at once with the count that fits, rather than wait for a bot that
    /// cannot start.
    private func checkEmulatorMatches(control: EmulatorControlClient) async throws {
        let ids = try await control.guildIDs()
        guard ids.count == guilds else {
            throw ValidationError("the emulator has \(ids.count) guilds: pass --guilds \(ids.count)")
        }
        func busiestShard(_ count: Int) -> Int {
            var perShard = [Int](repeating: 0, count: count)
            for id in ids { perShard[shardID(for: id, shardCount: count)] += 1 }
            return perShard.max() ?? 0
        }
        guard busiestShard(shards) > 2_500 else { return }
        let fitting = (shards...).first { busiestShard($0) <= 2_500 } ?? shards
        throw ValidationError(
            "with \(shards) shards one would carry \(busiestShard(shards)) guilds (Discord allows 2,500): pass --shards \(fitting)"
        )
    }

    struct ClickGuild {
        var id: GuildID
        var channel: ChannelID
        var panel: MessageID
        var members: [UserID]
    }

    /// Posts the panel in the first `count` guilds (as their admin) and lists the members who will click.
    private func preparePanels(control: EmulatorControlClient, count: Int) async throws -> [ClickGuild] {
        let ids = Array(try await control.guildIDs().prefix(count))
        // A few at a time: each waits for the bot to post its panel, and the bot's REST budget is shared.
        return try await withThrowingTaskGroup(of: ClickGuild?.self) { group in
            var result: [ClickGuild] = []
            var next = ids.makeIterator()
            for _ in 0..<8 {
                guard let id = next.next() else { break }
                group.addTask { try await Self.preparePanel(control: control, guildID: id) }
            }
            while let prepared = try await group.next() {
                if let prepared { result.append(prepared) }
                if let id = next.next() {
                    group.addTask { try await Self.preparePanel(control: control, guildID: id) }
                }
            }
            return result.sorted { $0.id.rawValue < $1.id.rawValue }
        }
    }

    /// Runs `/ticket-setup` as the guild's admin and returns the panel and the members who will click.
    private static func preparePanel(control: EmulatorControlClient, guildID: GuildID) async throws -> ClickGuild? {
        let guild = try await control.guild(guildID)
        let adminRole = guild.roles?.first { $0.name == "Admin" }?.id
        let members = guild.members ?? []
        guard let support = guild.channels?.first(where: { $0.name == "support" })?.id,
            let adminRole, let admin = members.first(where: { $0.roles.contains(adminRole) })?.user?.id
        else { return nil }
        let ordinary = members.filter { $0.roles.isEmpty }.compactMap { $0.user?.id }
        _ = try await control.runCommand("ticket-setup", in: support, as: admin)
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(50))
            let panel = try await control.messages(in: support).first { message in
                message.components?.first?.components?.first?.customId == "aetheria:ticket:open:1"
            }?.id
            if let panel { return ClickGuild(id: guildID, channel: support, panel: panel, members: ordinary) }
        }
        return nil
    }

    // MARK: - Helpers

    /// A progress line, written at once (unbuffered) so it shows while the phases run, even through a pipe.
    func progress(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func waitUntil(timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the load test timed out waiting for the bot (see its log in the temporary directory)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static var machine: String {
        "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GB"
    }

    static func get(_ url: String) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return JSONValue.parse(Data(buffer: body)) ?? .null
    }

    /// Dispatches the bot counted, summed over shards and event types, from its Prometheus metrics.
    static func eventsReceived(_ url: String) async throws -> Int {
        try await metricSum(url, named: "aetheria_gateway_events_total")
    }

    /// The sum of every series of one metric (all label sets) in the bot's Prometheus text.
    static func metricSum(_ url: String, named name: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 64 * 1024 * 1024))
        return text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + (OutsideNumber.clampedInteger($1, to: 0...Int(Int32.max)) ?? 0) }
    }
}
