import AetheriaPorts
import DiscordModels
import DiscordREST
import Foundation
import Logging
import Storage
import TicketCore

/// The stores one Aetheria process uses: Redis when `storage.redisURL` is set, otherwise one SQLite file in
/// the data directory (the embedded default).
struct BotStores: Sendable {
    var guilds: any GuildStore
    var transcripts: any TranscriptStore
    var sessions: any SessionStore
    var rateLimits: any RateLimitStore
    var records: any ExpiringRecordStore
    /// Present when processes share shards (Redis); `nil` for the embedded store (one process owns all).
    var leases: (any ShardLeaseStore)?
    /// Whether the store answers right now (for `/healthz`).
    var isAvailable: @Sendable () -> Bool
    /// Returns once the store answers (at once for SQLite); throws only when cancelled.
    var waitUntilReachable: @Sendable (Logger) async throws -> Void
    var shutdown: @Sendable () async -> Void
    var description: String

    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    /// Opens the configured store without waiting for a server: Redis clients connect on first use, so a Redis
    /// that is down at start is waited for by `waitUntilReachable` (the first step of the shards), while the
    /// dashboard already answers `/healthz`.
    static func open(_ configuration: AetheriaConfiguration, logger: Logger) async throws -> BotStores {
        if let url = configuration.redisURL {
            let redisConfiguration: RedisConfiguration
            do {
                redisConfiguration = try RedisConfiguration(url: url)
            } catch {
                throw StartupError(description: "storage.redisURL: \(error)")
            }
            let client = RedisClient(configuration: redisConfiguration, logger: logger)
            return BotStores(
                guilds: RedisGuildStore(client: client), transcripts: RedisTranscriptStore(client: client),
                sessions: RedisSessionStore(client: client), rateLimits: RedisRateLimitStore(client: client),
                records: RedisExpiringRecordStore(client: client),
                leases: RedisShardLeaseStore(client: client), isAvailable: { client.isAvailable },
                waitUntilReachable: { logger in
                    // Never turned into a crash loop that would burn gateway identifies: one clear log line
                    // naming the URL (password redacted), then patience.
                    var attempt = 0
                    while true {
                        do {
                            _ = try await client.run(["PING"])
                            if attempt > 0 { logger.notice("Redis at \(redisConfiguration) is reachable; starting") }
                            return
                        } catch {
                            if attempt == 0 {
                                logger.error(
                                    "Redis at \(redisConfiguration) is unreachable (\(error)); waiting for it before connecting to Discord"
                                )
                            }
                            attempt += 1
                            try await Task.sleep(for: .seconds(min(30, 1 << min(attempt, 5))))
                        }
                    }
                },
                shutdown: { await client.shutdown() }, description: "Redis at \(redisConfiguration)")
        }
        let directory = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StartupError(
                description:
                    "storage.dataDirectory (AETHERIA_DATA_DIR): cannot create \(directory): \(error.localizedDescription)"
            )
        }
        let path = (directory as NSString).appendingPathComponent("aetheria.sqlite")
        do {
            let database = try SQLiteDatabase(path: path)
            return BotStores(
                guilds: try await SQLiteGuildStore(database: database),
                transcripts: try await SQLiteTranscriptStore(database: database),
                sessions: try await SQLiteSessionStore(database: database), rateLimits: InProcessRateLimitStore(),
                records: try await SQLiteExpiringRecordStore(database: database),
                leases: nil, isAvailable: { true }, waitUntilReachable: { _ in },
                shutdown: { await database.shutdown() }, description: "SQLite at \(path)")
        } catch {
            throw StartupError(description: "storage.dataDirectory (AETHERIA_DATA_DIR): cannot open \(path): \(error)")
        }
    }
}
