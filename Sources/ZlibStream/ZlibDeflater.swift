import CZlib

/// One zlib deflate context for the whole life of a gateway connection (`compress=zlib-stream`).
///
/// Each call to `compress` ends with a `Z_SYNC_FLUSH`, so every message's output ends in `00 00 FF FF` and a
/// client can inflate it as soon as it arrives. Confine an instance to one connection: it is not thread-safe.
///
/// The deflate data is raw and the zlib header is written here: a zlib-stream never ends, so the Adler-32
/// trailer zlib would otherwise keep computing over every byte is never sent.
public final class ZlibDeflater {
    /// RFC 1950 header: deflate, 32 KB window, default compression; `0x789C` is a multiple of 31 as required.
    static let header: [UInt8] = [0x78, 0x9C]

    private let stream: UnsafeMutablePointer<z_stream>
    private var scratch: [UInt8]
    private var headerWritten = false

    /// `level` is a zlib compression level, 0–9, or -1 for zlib's default (6).
    public init(level: Int32 = -1) throws(ZlibError) {
        // zlib keeps a pointer back to the z_stream, so it must live at a stable address.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = [UInt8](repeating: 0, count: 16 * 1024)
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibError(operation: "deflateInit", status: status)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses one whole message and flushes, appending the output to `output`.
    public func compress(_ input: some Collection<UInt8>, into output: inout [UInt8]) throws(ZlibError) {
        let result: Int32? = input.withContiguousStorageIfAvailable { buffer in
            compressContiguous(buffer, into: &output)
        }
        if let result {
            guard result == Z_OK || result == Z_BUF_ERROR else {
                throw ZlibError(operation: "deflate", status: result)
            }
            return
        }
        let copy = Array(input)
        let status = copy.withUnsafeBufferPointer { compressContiguous($0, into: &output) }
        guard status == Z_OK || status == Z_BUF_ERROR else { throw ZlibError(operation: "deflate", status: status) }
    }

    /// Compresses one whole message and flushes, returning the bytes to send as one binary frame.
    public func compress(_ input: some Collection<UInt8>) throws(ZlibError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2 + 64)
        try compress(input, into: &output)
        return output
    }

    private func compressContiguous(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Int32 {
        if !headerWritten {
            output.append(contentsOf: Self.header)
            headerWritten = true
        }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
        var status: Int32 = Z_OK
        repeat {
            let produced: Int = scratch.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                status = deflate(stream, Z_SYNC_FLUSH)
                return out.count - Int(stream.pointee.avail_out)
            }
            output.append(contentsOf: scratch[0..<produced])
            // A full output buffer means zlib may hold more: go round again.
        } while status == Z_OK && stream.pointee.avail_out == 0
        stream.pointee.next_in = nil
        return status
    }
}

/// A zlib call that failed, with zlib's status code.
public struct ZlibError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var status: Int32

    public init(operation: String, status: Int32) {
        self.operation = operation
        self.status = status
    }

    public var description: String { "\(operation) failed with zlib status \(status)" }
}
