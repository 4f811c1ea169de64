import CZlib

/// One zlib inflate context for the whole life of a gateway connection (`compress=zlib-stream`).
///
/// Binary frames are appended with `append`; once the buffered bytes end with the `00 00 FF FF` sync-flush
/// marker, `append` inflates them and returns the whole message. A cap on the inflated size protects
/// against decompression bombs. Confine an instance to one connection: it is not thread-safe.
public final class ZlibInflater {
    /// The four bytes a `Z_SYNC_FLUSH` leaves at the end of every message.
    public static let syncFlushSuffix: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    public let maximumMessageSize: Int
    private let stream: UnsafeMutablePointer<z_stream>
    private var pending: [UInt8] = []
    private var scratch: [UInt8]

    public init(maximumMessageSize: Int = 64 * 1024 * 1024) throws(ZlibError) {
        self.maximumMessageSize = maximumMessageSize
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = [UInt8](repeating: 0, count: 32 * 1024)
        let status = inflateInit_(stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
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
    public func append(_ frame: some Collection<UInt8>) throws(ZlibInflateError) -> [UInt8]? {
        pending.append(contentsOf: frame)
        guard pending.count >= 4, pending.suffix(4).elementsEqual(Self.syncFlushSuffix) else {
            if pending.count > maximumMessageSize {
                pending.removeAll()
                throw .messageTooLarge(limit: maximumMessageSize)
            }
            return nil
        }
        defer { pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20) }
        var output: [UInt8] = []
        output.reserveCapacity(pending.count * 4)
        let status: Int32 = pending.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
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
