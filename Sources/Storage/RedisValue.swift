/// A Redis reply, copied out of hiredis into Swift values before it leaves the connection: no C pointer
/// escapes the `Storage` module.
public enum RedisValue: Sendable, Hashable {
    case null
    case integer(Int64)
    /// A bulk string: binary-safe bytes.
    case bytes([UInt8])
    /// A simple status such as `OK`.
    case status(String)
    case error(String)
    case array([RedisValue])

    public var string: String? {
        switch self {
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let status): status
        default: nil
        }
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// Something a Redis call can take as an argument, sent binary-safe.
public protocol RedisArgument: Sendable {
    var redisBytes: [UInt8] { get }
}

extension String: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Int: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    public var redisBytes: [UInt8] { self }
}
