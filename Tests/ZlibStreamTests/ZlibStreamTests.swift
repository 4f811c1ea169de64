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

    @Test("a decompression bomb stops at the size cap")
    func sizeCap() throws {
        let deflater = try ZlibDeflater()
        let inflater = try ZlibInflater(maximumMessageSize: 10_000)
        let compressed = try deflater.compress([UInt8](repeating: 0x41, count: 1_000_000))
        #expect(compressed.count < 5_000)
        #expect(throws: ZlibInflateError.messageTooLarge(limit: 10_000)) { try inflater.append(compressed) }
    }
}
