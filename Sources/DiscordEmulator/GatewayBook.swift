import DiscordModels
import Foundation

/// A gateway session: survives its connection for `resumeWindow`, so a client can resume and get every
/// dispatch it missed, with the original sequence numbers.
struct GatewaySessionRecord: Sendable {
    let id: String
    let shard: [Int]?
    let intents: GatewayIntents
    let largeThreshold: Int
    var sequence = 0
    /// Dispatch frames by sequence, oldest first, for replay on RESUME.
    var replay: [(sequence: Int, frame: [UInt8])] = []
    var connection: GatewayConnection?
    var disconnectedAt: Double?

    var shardID: Int { shard?[0] ?? 0 }
    var shardCount: Int { shard?[1] ?? 1 }

    func covers(_ guildID: GuildID) -> Bool {
        DiscordModels.shardID(for: guildID, shardCount: shardCount) == shardID
    }

    /// The oldest sequence a RESUME may name and still get a complete replay.
    var oldestResumableSequence: Int { (replay.first?.sequence ?? sequence + 1) - 1 }
}

/// The gateway's bookkeeping: live sessions, identify buckets and the daily session-start budget.
struct GatewayBook: Sendable {
    var sessions: [String: GatewaySessionRecord] = [:]
    /// When each `shard_id % max_concurrency` bucket last admitted an identify.
    var identifyBuckets: [Int: Double] = [:]
    var sessionStarts = 0
    var sessionStartsResetAt: Double = Date().timeIntervalSince1970 + 86_400
    /// Every connection that is open, identified or not (for faults such as closing "shard 2's socket").
    var connections: [ObjectIdentifier: GatewayConnection] = [:]
}

/// A gateway event about to be dispatched: the name, the JSON of `d`, and who may receive it.
struct GatewayDispatch: Sendable {
    var event: String
    var payload: [UInt8]
    /// The variant without message content, for sessions lacking MESSAGE_CONTENT; `nil` when identical.
    var payloadWithoutContent: [UInt8]?
    /// The intent a session needs to receive it; `nil` means every session gets it.
    var intent: GatewayIntents?

    init(event: String, payload: [UInt8], payloadWithoutContent: [UInt8]? = nil, intent: GatewayIntents?) {
        self.event = event
        self.payload = payload
        self.payloadWithoutContent = payloadWithoutContent
        self.intent = intent
    }

    init<Payload: Encodable>(event: String, encoding value: Payload, intent: GatewayIntents?) {
        let data = (try? DiscordJSON.makeEncoder().encode(value)) ?? Data("{}".utf8)
        self.init(event: event, payload: Array(data), intent: intent)
    }

    /// The whole frame: `{"op":0,"s":N,"t":"EVENT","d":...}`.
    static func frame(event: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + event.utf8.count + 40)
        frame.append(contentsOf: #"{"op":0,"s":"#.utf8)
        frame.append(contentsOf: String(sequence).utf8)
        frame.append(contentsOf: #","t":""#.utf8)
        frame.append(contentsOf: event.utf8)
        frame.append(contentsOf: #"","d":"#.utf8)
        frame.append(contentsOf: payload)
        frame.append(UInt8(ascii: "}"))
        return frame
    }

    /// A non-dispatch frame, such as HELLO or HEARTBEAT_ACK: `s` and `t` are null.
    static func controlFrame(opcode: GatewayOpcode, payload: String = "null") -> [UInt8] {
        Array(#"{"op":\#(opcode.rawValue),"s":null,"t":null,"d":\#(payload)}"#.utf8)
    }
}
