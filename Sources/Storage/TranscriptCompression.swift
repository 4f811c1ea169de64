import ZlibStream

/// Transcripts are stored zlib-compressed (HTML compresses about tenfold).
enum TranscriptCompression {
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try ZlibDeflater(level: 9).compress(bytes)
    }

    /// At most 256 MiB inflated: a corrupt or hostile blob cannot exhaust memory.
    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        try ZlibInflater(maximumMessageSize: 256 * 1024 * 1024).append(bytes) ?? []
    }
}
