/// Finding a fixed marker in a transcript's bytes (its policy's `<meta>`, the staff-only comments): the
/// renderer writes them, so an exact byte match is all that is needed.
enum ByteSearch {
    /// The index of the first `needle` in `haystack` at or after `start`, or `nil`.
    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int? = nil) -> Int? {
        guard !needle.isEmpty else { return nil }
        var index = max(start ?? haystack.startIndex, haystack.startIndex)
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
