import Benchmark
import DiscordModels
import Foundation
import Glibc
import Logging
import Storage
import TicketCore

/// Guild snapshot save/load on the embedded SQLite store and on Redis (a redis-server of the benchmark's own,
/// AOF everysec as in config/redis.conf). The payload is the size of a realistic guild's snapshot: config plus
/// 20 open tickets with their activity and reminder times, about 3 KB encoded.
let benchmarks: @Sendable () -> Void = {
    let payload = [UInt8](repeating: 0x61, count: 3_000)

    Benchmark(
        "SQLite: save guild snapshot (3 KB), per save",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)
    ) { benchmark in
        let database = try SQLiteDatabase(
            path: NSTemporaryDirectory() + "aetheria-bench-\(UUID().uuidString)/store.sqlite")
        try await measureSaves(benchmark, store: try await SQLiteGuildStore(database: database), payload: payload)
        await database.shutdown()
    }

    Benchmark(
        "SQLite: load guild snapshot (3 KB), per load",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)
    ) { benchmark in
        let database = try SQLiteDatabase(
            path: NSTemporaryDirectory() + "aetheria-bench-\(UUID().uuidString)/store.sqlite")
        try await measureLoads(benchmark, store: try await SQLiteGuildStore(database: database), payload: payload)
        await database.shutdown()
    }

    Benchmark(
        "Redis: save guild snapshot (3 KB, fenced Lua write), per save",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)
    ) { benchmark in
        let server = try BenchmarkRedis()
        let client = try await server.start()
        try await measureSaves(benchmark, store: RedisGuildStore(client: client), payload: payload)
        await client.shutdown()
        server.stop()
    }

    Benchmark(
        "Redis: load guild snapshot (3 KB), per load",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)
    ) { benchmark in
        let server = try BenchmarkRedis()
        let client = try await server.start()
        try await measureLoads(benchmark, store: RedisGuildStore(client: client), payload: payload)
        await client.shutdown()
        server.stop()
    }
}

/// Saves newer versions of 100 guilds' snapshots in turn, measuring only the saves. One unmeasured save first
/// opens the connection and loads the Lua script, so the figure is the steady state.
func measureSaves(_ benchmark: Benchmark, store: any GuildStore, payload: [UInt8]) async throws {
    try await store.save(StoredGuildSnapshot(guildID: GuildID(1_000), version: 1, fencingToken: 1, payload: payload))
    benchmark.startMeasurement()
    for index in benchmark.scaledIterations {
        try await store.save(
            StoredGuildSnapshot(
                guildID: GuildID(UInt64(index % 100 + 1)), version: UInt64(index + 1), fencingToken: 1, payload: payload
            ))
    }
    benchmark.stopMeasurement()
}

/// Stores 100 guilds' snapshots, then measures loading them in turn.
func measureLoads(_ benchmark: Benchmark, store: any GuildStore, payload: [UInt8]) async throws {
    for index in 1...100 {
        try await store.save(
            StoredGuildSnapshot(guildID: GuildID(UInt64(index)), version: 1, fencingToken: 1, payload: payload))
    }
    benchmark.startMeasurement()
    for index in benchmark.scaledIterations {
        blackHole(try await store.load(GuildID(UInt64(index % 100 + 1)))?.payload.count)
    }
    benchmark.stopMeasurement()
}

/// A redis-server started for one benchmark and stopped after it.
final class BenchmarkRedis: @unchecked Sendable {
    let port = Int.random(in: 30_000...60_000)
    let directory = NSTemporaryDirectory() + "aetheria-bench-redis-\(UUID().uuidString)"
    private let process = Process()

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--dir", directory, "--appendonly", "yes",
            "--appendfsync", "everysec", "--save", "",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func start() async throws -> RedisClient {
        let client = RedisClient(
            configuration: try RedisConfiguration(url: URL(string: "redis://127.0.0.1:\(port)/0")!),
            retryWindow: .seconds(5),
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        _ = try await client.run(["PING"])
        return client
    }

    func stop() {
        // The data is throwaway: no graceful shutdown needed (and SIGTERM left it running here).
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
