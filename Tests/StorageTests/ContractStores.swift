import EmulatorTestSupport
import Foundation
import Storage

/// The implementations every store contract runs against.
enum StoreImplementation: String, CaseIterable, Sendable {
    case inMemory
    case sqlite
    case redis
}

/// The one factory of the contract suites: a fresh store of each implementation for one test, and afterwards
/// the shutdown of what it opened (the Redis client's connection, the SQLite database's thread), so a suite
/// leaves no pools or threads behind, whether the test passed or threw.
enum ContractStores {
    static func with<Store, Result>(
        _ implementation: StoreImplementation,
        inMemory: () -> Store,
        sqlite: (SQLiteDatabase) async throws -> Store,
        redis: (RedisClient) -> Store,
        _ body: (Store) async throws -> Result
    ) async throws -> Result {
        switch implementation {
        case .inMemory:
            return try await body(inMemory())
        case .sqlite:
            let database = try SQLiteDatabase(
                path: FileManager.default.temporaryDirectory.appendingPathComponent(
                    "aetheria-\(UUID().uuidString)/store.sqlite"
                ).path)
            do {
                let result = try await body(try await sqlite(database))
                await database.shutdown()
                return result
            } catch {
                await database.shutdown()
                throw error
            }
        case .redis:
            let client = try TestRedis.client()
            do {
                let result = try await body(redis(client))
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}
