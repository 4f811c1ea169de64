import CHiredis
import Glibc

/// One blocking hiredis connection. Not thread-safe: `RedisClient` lends it to one call at a time, on its
/// dedicated thread pool (never the Swift cooperative pool or an event loop).
package final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>

    /// Connects, authenticates and selects the database.
    init(configuration: RedisConfiguration) throws(RedisError) {
        guard
            let context = redisConnectWithTimeout(
                configuration.host, Int32(configuration.port), Self.timeval(configuration.connectTimeout))
        else {
            throw RedisError(kind: .connection, message: "could not allocate a Redis context")
        }
        // From here on `deinit` frees the context, also when this initializer throws.
        self.context = context
        if context.pointee.err != 0 {
            let message = Self.errorString(context)
            throw RedisError(kind: .connection, message: "cannot connect to \(configuration): \(message)")
        }
        _ = redisSetTimeout(context, Self.timeval(configuration.readTimeout))
        if let password = configuration.password {
            var arguments = ["AUTH"]
            if let username = configuration.username { arguments.append(username) }
            arguments.append(password)
            // The password is never part of an error: report only that authentication failed.
            if case .error = try run(arguments.map(\.redisBytes)) {
                throw RedisError(kind: .authentication, message: "Redis refused the credentials for \(configuration)")
            }
        }
        if configuration.database != 0,
            case .error(let message) = try run(["SELECT".redisBytes, configuration.database.redisBytes])
        {
            throw RedisError(kind: .command, message: "SELECT \(configuration.database): \(message)")
        }
    }

    deinit {
        redisFree(context)
    }

    /// Sends one command (binary-safe argv) and waits for its reply.
    func run(_ arguments: [[UInt8]]) throws(RedisError) -> RedisValue {
        let reply: UnsafeMutableRawPointer? = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        return try takeReply(reply)
    }

    /// Sends several commands at once and reads their replies in order (pipelining).
    func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisValue] {
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw connectionError() }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var reply: UnsafeMutableRawPointer?
            guard redisGetReply(context, &reply) == REDIS_OK else { throw connectionError() }
            replies.append(try takeReply(reply))
        }
        return replies
    }

    /// Copies a reply into Swift values and frees it.
    private func takeReply(_ raw: UnsafeMutableRawPointer?) throws(RedisError) -> RedisValue {
        guard let raw else { throw connectionError() }
        defer { freeReplyObject(raw) }
        return Self.value(of: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Parses raw RESP bytes as a server would send them (hiredis' reader, as every reply is read): the
    /// replies they hold, in order, or `nil` for a protocol error. For the fuzz target: Redis is outside
    /// input too.
    package static func parseReplies(_ bytes: [UInt8], limit: Int = 64) -> [RedisValue]? {
        guard let reader = redisReaderCreate() else { return nil }
        defer { redisReaderFree(reader) }
        let fed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, buffer.count) }
        }
        guard fed == REDIS_OK else { return nil }
        var replies: [RedisValue] = []
        while replies.count < limit {
            var raw: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &raw) == REDIS_OK else { return nil }
            guard let raw else { break }
            replies.append(value(of: raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    private static func value(of reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_STRING:
            guard let str = reply.str else { return .bytes([]) }
            return .bytes(Array(UnsafeRawBufferPointer(start: str, count: Int(clamping: reply.len))))
        case REDIS_REPLY_STATUS:
            return .status(reply.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_ERROR:
            return .error(reply.str.map { String(cString: $0) } ?? "ERR")
        case REDIS_REPLY_ARRAY:
            guard let elements = reply.element else { return .array([]) }
            return .array((0..<Int(clamping: reply.elements)).compactMap { index in elements[index].map(value(of:)) })
        default:
            return .null
        }
    }

    private func connectionError() -> RedisError {
        RedisError(kind: .connection, message: Self.errorString(context))
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    /// Calls `body` with C argv/argvlen arrays that stay valid for the call.
    private static func withArgv<Result>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
    ) -> Result {
        let lengths = arguments.map(\.count)
        // One contiguous buffer holds every argument; argv points into it.
        let joined = arguments.flatMap { $0 }
        return joined.withUnsafeBufferPointer { buffer in
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            for length in lengths {
                pointers.append((base + offset).assumingMemoryBound(to: CChar.self))
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    body(Int32(arguments.count), argv.baseAddress!, lengthBuffer.baseAddress!)
                }
            }
        }
    }
}

/// A Redis failure. Messages never contain the password.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connection
        case authentication
        /// Redis answered with an error reply.
        case command
        /// Retries did not reach Redis within the allowed time.
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public var description: String { "Redis \(kind): \(message)" }
}
