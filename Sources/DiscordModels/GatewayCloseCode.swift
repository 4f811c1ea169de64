/// A close code the gateway sends, with what it means for the session (discord-protocol.md §1.10).
public struct GatewayCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let unknownError = GatewayCloseCode(rawValue: 4000)
    public static let unknownOpcode = GatewayCloseCode(rawValue: 4001)
    public static let decodeError = GatewayCloseCode(rawValue: 4002)
    public static let notAuthenticated = GatewayCloseCode(rawValue: 4003)
    public static let authenticationFailed = GatewayCloseCode(rawValue: 4004)
    public static let alreadyAuthenticated = GatewayCloseCode(rawValue: 4005)
    public static let invalidSequence = GatewayCloseCode(rawValue: 4007)
    public static let rateLimited = GatewayCloseCode(rawValue: 4008)
    public static let sessionTimedOut = GatewayCloseCode(rawValue: 4009)
    public static let invalidShard = GatewayCloseCode(rawValue: 4010)
    public static let shardingRequired = GatewayCloseCode(rawValue: 4011)
    public static let invalidAPIVersion = GatewayCloseCode(rawValue: 4012)
    public static let invalidIntents = GatewayCloseCode(rawValue: 4013)
    public static let disallowedIntents = GatewayCloseCode(rawValue: 4014)

    /// Codes after which reconnecting cannot help: the operator must fix the token, shard layout or intents.
    public var isFatal: Bool {
        [4004, 4010, 4011, 4012, 4013, 4014].contains(rawValue)
    }

    /// Codes after which the old session is gone and the client must identify anew.
    public var requiresNewSession: Bool {
        [4003, 4007, 4009].contains(rawValue)
    }

    /// Codes a client sends to end its session for good (the bot appears offline); any other code keeps the
    /// session resumable for a few minutes.
    public static func invalidatesSession(_ code: UInt16) -> Bool {
        code == 1000 || code == 1001
    }

    public var reason: String {
        switch rawValue {
        case 4000: "Unknown error."
        case 4001: "Unknown opcode."
        case 4002: "Decode error."
        case 4003: "Not authenticated."
        case 4004: "Authentication failed."
        case 4005: "Already authenticated."
        case 4007: "Invalid seq."
        case 4008: "Rate limited."
        case 4009: "Session timed out."
        case 4010: "Invalid shard."
        case 4011: "Sharding required."
        case 4012: "Invalid API version."
        case 4013: "Invalid intent(s)."
        case 4014: "Disallowed intent(s)."
        default: "Closed."
        }
    }

    public var description: String { "\(rawValue) \(reason)" }
}
