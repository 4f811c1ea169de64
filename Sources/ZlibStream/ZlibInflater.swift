import CZlib

/// One zlib inflate context for the whole life of a gateway connection (`compress=zlib-stream`).
///
/// Binary frames are appended with `append`; once the buffered bytes end with the `00 00 FF FF` sync-flush
/// marker, `append` inflates them and returns the whole message. A cap on the inflated size protects
/// against decompression bombs. Confine an instance to one connection: it is not thread-safe.
///
/// The stream is inflated raw, after checking its two-byte zlib header here: a zlib-stream never ends, so its
/// Adler-32 trailer never arrives, and computing the checksum over every message (about 5% of the bot's
/// ingest CPU) could never be checked anyway. Corrupt deflate data is still detected by inflate itself.
public final class ZlibInflater {
    /// The four bytes a `Z_SYNC_FLUSH` leaves at the end of every message.
    public static let syncFlushSuffix: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    public let maximumMessageSize: Int
    private let stream: UnsafeMutablePointer<z_stream>
    private var pending: [UInt8] = []
    private var scratch: [UInt8]
    private var headerChecked = false

    public init(maximumMessageSize: Int = 64 * 1024 * 1024) throws(ZlibError) {
        self.maximumMessageSize = maximumMessageSize
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = [UInt8](repeating: 0, count: 32 * 1024)
        // Negative window bits: raw deflate, 32 KB window (the header is checked by `checkHeader`).
        let status = inflateInit2_(stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibError(operation: "inflateInit", status: status)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Buffers one received frame. Returns the inflated message when the frame completes one, else `nil`.
    public func append(_ frame: [UInt8]) throws(ZlibInflateError) -> [UInt8]? {
        // The usual case, one message per frame, inflates straight from the frame without buffering it.
        if pending.isEmpty, Self.endsWithSyncFlush(frame) {
            return try inflateMessage(frame)
        }
        pending.append(contentsOf: frame)
        guard Self.endsWithSyncFlush(pending) else {
            if pending.count > maximumMessageSize {
                pending.removeAll()
                throw .messageTooLarge(limit: maximumMessageSize)
            }
            return nil
        }
        defer { pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20) }
        return try inflateMessage(pending)
    }

    /// Buffers one received frame given as any byte collection (a slice, for example).
    public func append(_ frame: some Collection<UInt8>) throws(ZlibInflateError) -> [UInt8]? {
        try append(Array(frame))
    }

    private static func endsWithSyncFlush(_ bytes: [UInt8]) -> Bool {
        let count = bytes.count
        return count >= 4 && bytes[count - 4] == 0x00 && bytes[count - 3] == 0x00 && bytes[count - 2] == 0xFF
            && bytes[count - 1] == 0xFF
    }

    /// Checks the zlib header that opens the stream (RFC 1950: deflate, a valid check value, no preset
    /// dictionary) and returns how many bytes it takes.
    private func checkHeader(_ input: [UInt8]) throws(ZlibInflateError) -> Int {
        guard !headerChecked else { return 0 }
        guard input.count >= 2, input[0] & 0x0F == 8, input[0] >> 4 <= 7,
            (UInt16(input[0]) << 8 | UInt16(input[1])) % 31 == 0, input[1] & 0x20 == 0
        else {
            throw .corrupt(ZlibError(operation: "inflate (zlib header)", status: Z_DATA_ERROR))
        }
        headerChecked = true
        return 2
    }

    private func inflateMessage(_ input: [UInt8]) throws(ZlibInflateError) -> [UInt8] {
        let headerLength = try checkHeader(input)
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 4)
        let status: Int32 = input.withUnsafeBufferPointer { input in
            let body = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + headerLength })
            stream.pointee.next_in = body
            stream.pointee.avail_in = UInt32(input.count - headerLength)
            var status: Int32 = Z_OK
            while stream.pointee.avail_in > 0 || status == Z_OK {
                let produced: Int = scratch.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    status = inflate(stream, Z_SYNC_FLUSH)
                    return out.count - Int(stream.pointee.avail_out)
                }
                output.append(contentsOf: scratch[0..<produced])
                if output.count > maximumMessageSize { return Z_MEM_ERROR }
                if status != Z_OK { break }
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { break }
            }
            stream.pointee.next_in = nil
            return status
        }
        if output.count > maximumMessageSize { throw .messageTooLarge(limit: maximumMessageSize) }
        guard status == Z_OK || status == Z_BUF_ERROR else {
            throw .corrupt(ZlibError(operation: "inflate", status: status))
        }
        return output
    }
}

/// Why a zlib-stream message could not be inflated. Either way the connection's stream is unusable and the
/// client must reconnect.
public enum ZlibInflateError: Error, Sendable, Hashable, CustomStringConvertible {
    case corrupt(ZlibError)
    case messageTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .corrupt(let error): "corrupt zlib stream: \(error)"
        case .messageTooLarge(let limit): "inflated message exceeds \(limit) bytes"
        }
    }
}
