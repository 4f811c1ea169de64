#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the ingest path needs from a gateway frame, read with one byte scan instead of a JSON decode:
/// `op`, `s`, `t`, and `d.guild_id` / `d.channel_id`, plus where `d` lies so a handler can decode it fully
/// only when it cares.
///
/// Keys may come in any order; nested values are skipped without being parsed. A frame that is not a
/// well-formed JSON object yields `nil`.
public struct GatewayEnvelope: Sendable, Equatable {
    public var opcode: Int
    public var sequence: Int?
    public var event: GatewayEventName?
    public var guildID: UInt64?
    public var channelID: UInt64?
    /// Byte offsets of the `d` value within the frame.
    public var payloadRange: Range<Int>?
    /// Set by the shard for dispatches Discord replays after a RESUME (between RESUME and RESUMED): events
    /// the process may already have seen before it restarted, so their state can be older than what the bot
    /// holds (a replayed GUILD_CREATE lists the channels of hours ago).
    public var isReplayed = false

    public init(
        opcode: Int, sequence: Int? = nil, event: GatewayEventName? = nil, guildID: UInt64? = nil,
        channelID: UInt64? = nil, payloadRange: Range<Int>? = nil
    ) {
        self.opcode = opcode
        self.sequence = sequence
        self.event = event
        self.guildID = guildID
        self.channelID = channelID
        self.payloadRange = payloadRange
    }

    public static func scan(_ frame: [UInt8]) -> GatewayEnvelope? {
        frame.withUnsafeBytes { scan($0) }
    }

    public static func scan(_ bytes: UnsafeRawBufferPointer) -> GatewayEnvelope? {
        var scanner = JSONByteScanner(bytes: bytes)
        var opcode: Int?
        var envelope = GatewayEnvelope(opcode: -1)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        repeat {
            guard let key = scanner.readKey() else { return nil }
            switch (key.count, key.first) {
            case (2, UInt8(ascii: "o")) where key[1] == UInt8(ascii: "p"):
                guard let value = scanner.readInteger() else { return nil }
                opcode = value
            case (1, UInt8(ascii: "s")):
                if scanner.consumeNull() {
                    envelope.sequence = nil
                } else {
                    guard let value = scanner.readInteger() else { return nil }
                    envelope.sequence = value
                }
            case (1, UInt8(ascii: "t")):
                if !scanner.consumeNull() {
                    guard let range = scanner.readStringRange() else { return nil }
                    envelope.event = GatewayEventName(bytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
            case (1, UInt8(ascii: "d")):
                scanner.skipWhitespace()
                let start = scanner.position
                if scanner.peek == UInt8(ascii: "{") {
                    guard scanner.scanPayloadIDs(guildID: &envelope.guildID, channelID: &envelope.channelID) else {
                        return nil
                    }
                } else {
                    guard scanner.skipValue() else { return nil }
                }
                envelope.payloadRange = start..<scanner.position
            default:
                guard scanner.skipValue() else { return nil }
            }
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")), let opcode else { return nil }
        envelope.opcode = opcode
        return envelope
    }
}

/// A forward-only reader over JSON bytes that can skip any value without building it.
struct JSONByteScanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func consumeNull() -> Bool {
        skipWhitespace()
        guard position + 4 <= bytes.count, bytes[position] == UInt8(ascii: "n"),
            bytes[position + 1] == UInt8(ascii: "u"),
            bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l")
        else { return false }
        position += 4
        return true
    }

    /// Reads `"key":` and returns the key's bytes (keys Discord uses carry no escapes).
    mutating func readKey() -> UnsafeRawBufferPointer? {
        guard let range = readStringRange(), consume(UInt8(ascii: ":")) else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Reads a string and returns the range of its raw contents (escapes left as they are). Finds the closing
    /// quote with `memchr`, then checks it is not escaped (an even number of backslashes before it).
    mutating func readStringRange() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")), let base = bytes.baseAddress else { return nil }
        let start = position
        var searchFrom = position
        while searchFrom < bytes.count {
            guard let found = memchr(base + searchFrom, Int32(UInt8(ascii: "\"")), bytes.count - searchFrom) else {
                return nil
            }
            let index = base.distance(to: UnsafeRawPointer(found))
            var backslashes = 0
            var cursor = index - 1
            while cursor >= start && bytes[cursor] == UInt8(ascii: "\\") {
                backslashes += 1
                cursor -= 1
            }
            if backslashes % 2 == 0 {
                position = index + 1
                return start..<index
            }
            searchFrom = index + 1
        }
        return nil
    }

    mutating func readInteger() -> Int? {
        skipWhitespace()
        var negative = false
        if peek == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var value = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = added
            digits += 1
            position += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// A snowflake as Discord sends it: a string of decimal digits.
    mutating func readSnowflakeString() -> UInt64?? {
        skipWhitespace()
        if consumeNull() { return .some(nil) }
        guard let range = readStringRange(), !range.isEmpty, range.count <= 20 else { return nil }
        var value: UInt64 = 0
        for index in range {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .some(nil) }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return .some(nil) }
            value = added
        }
        return .some(value)
    }

    /// Walks the top level of `d`, picking out `guild_id` and `channel_id` and skipping everything else.
    mutating func scanPayloadIDs(guildID: inout UInt64?, channelID: inout UInt64?) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = readKey() else { return false }
            if Self.equals(key, "guild_id") || Self.equals(key, "channel_id") {
                let isGuild = key.count == 8
                skipWhitespace()
                if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "n") {
                    guard let id = readSnowflakeString() else { return false }
                    if isGuild { guildID = id } else { channelID = id }
                } else {
                    guard skipValue() else { return false }
                }
            } else {
                guard skipValue() else { return false }
            }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    private static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        key(bytes, is: literal)
    }

    /// Skips one JSON value of any kind; objects and arrays are skipped by depth, aware of strings.
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard let first = peek else { return false }
        switch first {
        case UInt8(ascii: "\""):
            return readStringRange() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    guard readStringRange() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return true
                    }
                default:
                    break
                }
                position += 1
            }
            return false
        default:
            // Numbers, true, false, null: up to the next delimiter.
            let start = position
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
                    return position > start
                default:
                    position += 1
                }
            }
            return position > start
        }
    }
}
