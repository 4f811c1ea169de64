#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Value readers for the hand-written decoders (GUILD_CREATE): strings with escapes, snowflakes and
/// permission strings, and a loop over an object's keys.
extension JSONByteScanner {
    /// Reads a JSON string, decoding escapes (`\"`, `\\`, `\n`, `\uXXXX` with surrogate pairs).
    mutating func readString() -> String? {
        guard let range = readStringRange() else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        if !raw.contains(UInt8(ascii: "\\")) {
            return String(decoding: raw, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = 0
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = raw[at + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                utf8.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "u"):
                guard var code = hex4(index) else { return nil }
                index += 4
                if (0xD800...0xDBFF).contains(code), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                    raw[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2), (0xDC00...0xDFFF).contains(low)
                {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                flush()
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: utf8.append(escape)  // \" \\ \/
            }
        }
        flush()
        return String(scalars)
    }

    /// A snowflake or permission bit set: a decimal string (or, leniently, a bare number).
    mutating func readDecimalUInt64() -> UInt64? {
        skipWhitespace()
        if peek == UInt8(ascii: "\"") {
            guard let range = readStringRange(), !range.isEmpty, range.count <= 20 else { return nil }
            var value: UInt64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = added
            }
            return value
        }
        guard let integer = readInteger(), integer >= 0 else { return nil }
        return UInt64(integer)
    }

    /// Calls `body` with each key of an object, positioned at its value; `body` must consume the value.
    /// Returns false on malformed input.
    mutating func forEachKey(_ body: (inout JSONByteScanner, UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = readKey(), body(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Calls `body` for each element of an array, positioned at it; `body` must consume the element.
    mutating func forEachElement(_ body: (inout JSONByteScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard body(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    /// `null` (consumed) or a value read by `read`.
    mutating func nullable<Value>(_ read: (inout JSONByteScanner) -> Value?) -> Value?? {
        if consumeNull() { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    @inline(__always)
    static func key(_ key: UnsafeRawBufferPointer, is literal: StaticString) -> Bool {
        guard key.count == literal.utf8CodeUnitCount, let keyBase = key.baseAddress else { return false }
        return memcmp(keyBase, literal.utf8Start, key.count) == 0
    }
}
