import ZlibStream

/// Transcripts are stored zlib-compressed (HTML compresses about tenfold).
enum TranscriptCompression {
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try ZlibDeflater(level: 9).compress(bytes)
    }

    /// Read back from a store, so hostile: inflating stops at `maximumSize` (256 MiB unless the caller knows a
    /// smaller bound), so a corrupt or hostile blob cannot exhaust memory.
    static func decompress(_ bytes: [UInt8], maximumSize: Int = 256 * 1024 * 1024) throws -> [UInt8] {
        try ZlibInflater(maximumMessageSize: maximumSize).append(bytes) ?? []
    }
}
