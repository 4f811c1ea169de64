import CZlib
import Testing
import ZlibStream

@Suite("zlib-stream transport compression")
struct ZlibStreamTests {
    @Test("every message ends with the sync-flush marker and inflates back, across one shared context")
    func roundTripOverOneStream() throws {
        let deflater = try ZlibDeflater()
        let inflater = try ZlibInflater()
        for index in 0..<50 {
            let message = Array(#"{"op":0,"s":\#(index),"t":"MESSAGE_CREATE","d":{"content":"hello \#(index)"}}"#.utf8)
            let compressed = try deflater.compress(message)
            #expect(Array(compressed.suffix(4)) == ZlibInflater.syncFlushSuffix)
            #expect(try inflater.append(compressed) == message)
        }
    }

    @Test("a message split over several frames inflates only when its last frame arrives")
    func messageSplitAcrossFrames() throws {
        let deflater = try ZlibDeflater()
        let inflater = try ZlibInflater()
        let message = Array(String(repeating: "guild-create ", count: 4000).utf8)
        let compressed = try deflater.compress(message)
        let middle = compressed.count / 2
        #expect(try inflater.append(compressed[..<middle]) == nil)
        #expect(try inflater.append(compressed[middle...]) == message)
    }

    @Test("corrupt input is reported as an error, not a crash")
    func corruptStream() throws {
        let inflater = try ZlibInflater()
        let garbage: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9A, 0x00, 0x00, 0xFF, 0xFF]
        #expect(throws: ZlibInflateError.self) { try inflater.append(garbage) }
    }

    @Test("a stream that does not open with a zlib header, or that names a preset dictionary, is refused")
    func badHeader() throws {
        let deflater = try ZlibDeflater()
        var compressed = try deflater.compress(Array("hello".utf8))
        compressed[1] ^= 0x01  // breaks the header's check value
        #expect(throws: ZlibInflateError.self) { try ZlibInflater().append(compressed) }
        // A valid stream whose header arrives one byte per frame still inflates.
        let inflater = try ZlibInflater()
        let message = try ZlibDeflater().compress(Array("split header".utf8))
        #expect(try inflater.append(message[..<1]) == nil)
        #expect(try inflater.append(message[1...]) == Array("split header".utf8))
    }

    @Test("corrupt data after a good header is reported too")
    func corruptBody() throws {
        let deflater = try ZlibDeflater()
        let inflater = try ZlibInflater()
        _ = try inflater.append(try deflater.compress(Array("first".utf8)))
        // A deflate block with the reserved block type 11: invalid in any raw stream.
        #expect(throws: ZlibInflateError.self) { try inflater.append([0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF]) }
    }

    @Test("the emulator's stream inflates with a standard zlib inflater, which checks the zlib header itself")
    func standardInflaterReadsTheStream() throws {
        let deflater = try ZlibDeflater()
        var stream = z_stream()
        #expect(inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { inflateEnd(&stream) }
        for index in 0..<20 {
            var compressed = try deflater.compress(
                Array("message \(index) ".utf8) + Array(repeating: 0x61, count: index * 100))
            var output = [UInt8](repeating: 0, count: 8_192)
            let status = compressed.withUnsafeMutableBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_in = input.baseAddress
                    stream.avail_in = UInt32(input.count)
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_SYNC_FLUSH)
                }
            }
            #expect(status == Z_OK)
            let produced = 8_192 - Int(stream.avail_out)
            #expect(
                Array(output[..<produced]) == Array("message \(index) ".utf8)
                    + Array(repeating: 0x61, count: index * 100))
        }
    }

    @Test("a decompression bomb stops at the size cap")
    func sizeCap() throws {
        let deflater = try ZlibDeflater()
        let inflater = try ZlibInflater(maximumMessageSize: 10_000)
        let compressed = try deflater.compress([UInt8](repeating: 0x41, count: 1_000_000))
        #expect(compressed.count < 5_000)
        #expect(throws: ZlibInflateError.messageTooLarge(limit: 10_000)) { try inflater.append(compressed) }
    }
}
