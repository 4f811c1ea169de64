import AetheriaServer
import EmulatorControl
import Foundation

extension LoadTestCommand {
    /// Where the bot children keep their state during a load test.
    struct Store {
        /// `redis` or `sqlite`.
        var name: String
        var environment: [String: String]
    }

    /// Phase 4: what persistence costs ingest. The same firehose (`rate` events/s over every channel, the open
    /// tickets' included, for twice the phase length) runs twice on the same store: against the running bot, which writes ticket activity
    /// as usual (coalesced per guild), then against a fresh bot that holds activity writes back for a day.
    /// The difference in events per CPU-second is the cost.
    func measurePersistence(
        child: ChildProcess, launch: BotLauncher, control: EmulatorControlClient, rate: Int, store: Store,
        guildsWithTickets: Int
    ) async throws -> LoadTestReport.Persistence {
        let withWrites = try await firehoseCost(
            child: child, metrics: launch.metricsURL, control: control, rate: rate)
        child.stop()  // a graceful stop: it writes what is unsaved and leaves
        // Expire its sessions, as Discord would after a while, so the next bot identifies afresh and gets every
        // GUILD_CREATE (a resumed bot would learn each guild over REST instead: a different workload).
        try await control.injectGatewayFault(#"{"action":"invalidate","resumable":false}"#)
        let quiet = try await launch.start(extraEnvironment: ["AETHERIA_ACTIVITY_FLUSH_SECONDS": "86400"])
        defer { quiet.stop() }
        try await launch.waitUntilReady(quiet)
        let withoutWrites = try await firehoseCost(
            child: quiet, metrics: launch.metricsURL, control: control, rate: rate)
        progress(
            String(
                format: "persistence: %.0f events/CPU-s writing activity (%.1f writes/s), %.0f holding it back",
                withWrites.eventsPerCPUSecond, withWrites.writesPerSecond, withoutWrites.eventsPerCPUSecond))
        return LoadTestReport.Persistence(
            store: store.name, guildsWithTickets: guildsWithTickets,
            snapshotWritesPerSecond: withWrites.writesPerSecond,
            eventsPerCPUSecondWithWrites: withWrites.eventsPerCPUSecond,
            eventsPerCPUSecondWithoutWrites: withoutWrites.eventsPerCPUSecond)
    }

    private func firehoseCost(
        child: ChildProcess, metrics: String, control: EmulatorControlClient, rate: Int
    ) async throws -> (eventsPerCPUSecond: Double, writesPerSecond: Double) {
        let eventsBefore = try await Self.eventsReceived(metrics)
        let writesBefore = try await Self.metricSum(metrics, named: "aetheria_snapshot_writes_total")
        let cpuBefore = child.cpuSeconds
        let started = ContinuousClock.now
        // Twice the phase length: the cost is a difference of two CPU figures that /proc counts in 10 ms ticks.
        try await control.startFirehose(rate: rate, seconds: duration * 2)
        try await waitUntil(timeout: .seconds(Int64(duration) * 6 + 30)) {
            (try? await control.firehose())?.running == false
        }
        try await Task.sleep(for: .seconds(1))
        let seconds = Self.seconds(ContinuousClock.now - started)
        let cpu = child.cpuSeconds - cpuBefore
        let events = try await Self.eventsReceived(metrics) - eventsBefore
        let writes = try await Self.metricSum(metrics, named: "aetheria_snapshot_writes_total") - writesBefore
        return (cpu > 0 ? Double(events) / cpu : 0, Double(writes) / seconds)
    }
}

/// Starts `aetheria run` children for the load test, each with its own dashboard port, and waits for them.
struct BotLauncher: Sendable {
    let executable: String
    let configPath: String
    let environment: [String: String]
    let directory: String
    let guilds: Int
    let shards: Int
    let dashboardPort: Int

    var metricsURL: String { "http://127.0.0.1:\(dashboardPort)/metrics" }

    func start(extraEnvironment: [String: String] = [:]) async throws -> ChildProcess {
        try ChildProcess(
            executable: executable, arguments: ["run", "--config", configPath],
            environment: environment.merging(extraEnvironment) { _, extra in extra },
            log: directory + "/aetheria-\(UUID().uuidString.prefix(8)).log")
    }

    /// Until the bot has every shard connected and every guild, or it stops with a critical error.
    func waitUntilReady(_ child: ChildProcess) async throws {
        let health = "http://127.0.0.1:\(dashboardPort)/healthz"
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            try child.checkHealthy()
            let body = try? await LoadTestCommand.get(health)
            if body?["guilds"]?.intValue == guilds,
                body?["shards_connected"]?.intValue == shards
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChildProcess.Failed(description: "the bot did not become ready within 10 minutes")
    }
}
