public import Foundation
import Logging
public import Storage

/// The throwaway redis-server the test command starts (`AETHERIA_TEST_REDIS_URL`, set by scripts/test.sh),
/// shared by every test that does not need a server of its own (`OwnRedisServer` is for those that kill or
/// restart it). Without it these tests fail loudly rather than pass without testing anything.
public enum TestRedis {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "AETHERIA_TEST_REDIS_URL is not set: run the tests with ./scripts/test.sh" }
    }

    public static func url() throws -> URL {
        guard let text = ProcessInfo.processInfo.environment["AETHERIA_TEST_REDIS_URL"], let url = URL(string: text)
        else { throw Missing() }
        return url
    }

    /// A client of the shared server; the caller shuts it down.
    public static func client(retryWindow: Duration = .seconds(3)) throws -> RedisClient {
        RedisClient(
            configuration: try RedisConfiguration(url: try url()), retryWindow: retryWindow,
            logger: Logger(label: "test.redis", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// A key prefix unique to one test, so parallel tests never see each other's data.
    public static func prefix() -> String { "test:\(UUID().uuidString):" }
}
