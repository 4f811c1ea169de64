public import DiscordEmulator
import Foundation

/// What happened (records), what should go wrong (faults), and the firehose of synthetic traffic.
extension EmulatorControlClient {
    /// The emulator's records, each a list of JSON objects (docs/emulator.md).
    public enum Record: String, Sendable {
        case rest
        case identifies
        case resumes
        case sessions
        case interactions
        case gatewayCloses = "gateway-closes"
    }

    public func records(_ record: Record) async throws -> [JSONValue] {
        try await call(.GET, "/records/\(record.rawValue)").json?.arrayValue ?? []
    }

    /// The REST rate-limit record: `rate_limited_responses`, `invalid_requests` and the buckets.
    public func rateLimitRecord() async throws -> JSONValue {
        try await call(.GET, "/records/rate-limits").json ?? .null
    }

    public func clearRecords() async throws {
        try await call(.DELETE, "/records")
    }

    /// A gateway fault, as JSON (`action` and its options, docs/emulator.md).
    public func injectGatewayFault(_ json: String) async throws {
        try await call(.POST, "/faults/gateway", json: json)
    }

    /// A REST fault, as JSON (route, status, count, docs/emulator.md).
    public func injectRESTFault(_ json: String) async throws {
        try await call(.POST, "/faults/rest", json: json)
    }

    public func clearFaults() async throws {
        try await call(.DELETE, "/faults")
    }

    /// The firehose's state: `running`, `generated`, `rate`.
    public struct FirehoseStatus: Decodable, Sendable {
        public var running: Bool
        public var generated: Int?
    }

    /// Starts synthetic MESSAGE_CREATE traffic over every channel, at `rate` events a second, for `seconds`
    /// (or until stopped) and at most `limit` events.
    public func startFirehose(rate: Int, seconds: Int? = nil, limit: Int? = nil) async throws {
        struct Body: Encodable, Sendable {
            var rate: Int
            var durationSeconds: Int?
            var limit: Int?
        }
        try await call(.POST, "/firehose", body: Body(rate: rate, durationSeconds: seconds, limit: limit))
    }

    public func firehose() async throws -> FirehoseStatus {
        try JSONDecoder().decode(FirehoseStatus.self, from: try await call(.GET, "/firehose").body)
    }

    public func stopFirehose() async throws {
        try await call(.DELETE, "/firehose")
    }
}
