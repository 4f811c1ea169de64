import Foundation

/// Full-text search of a guild's transcripts by words. Both stores index the same words, cut the same way
/// here (SQLite FTS5 on the embedded store, one set per word on Redis), so a search finds the same tickets on
/// either. A word is a run of letters and digits, lowercased, without accents: "Café" is found by "cafe".
public enum TranscriptSearch {
    /// The searchable text kept per transcript (its first this many UTF-8 bytes): the memory budget per ticket.
    public static let maximumTextBytes = 512 * 1024
    /// The distinct words indexed per transcript (the first ones): the index's budget per ticket.
    public static let maximumIndexedWords = 5_000
    /// The words one search may ask for; all of them must be in a transcript for it to match.
    public static let maximumQueryWords = 8
    /// Shorter words are not indexed ("a", "I"); longer ones are cut to this many characters.
    static let minimumWordLength = 2
    static let maximumWordLength = 40

    /// The distinct words of `text`, in order of first appearance, at most `limit` of them.
    public static func words(in text: String, limit: Int = maximumIndexedWords) -> [String] {
        var seen: Set<String> = []
        var words: [String] = []
        for word in wordSequence(in: text) where seen.insert(word).inserted {
            words.append(word)
            if words.count >= limit { break }
        }
        return words
    }

    /// The words of a search typed on the dashboard (hostile text: bounded like any other).
    public static func queryWords(_ text: String) -> [String] {
        words(in: String(text.prefix(500)), limit: maximumQueryWords)
    }

    /// `text` cut to the stored budget at a character boundary.
    public static func bounded(_ text: String) -> String {
        guard text.utf8.count > maximumTextBytes else { return text }
        var kept = String(decoding: text.utf8.prefix(maximumTextBytes), as: UTF8.self)
        // The byte cut may split the last character; drop the replacement it decodes to.
        if kept.last == "\u{FFFD}" { kept.removeLast() }
        return kept
    }

    /// The line of `text` that best shows why it matched (the first holding the most of `words`), shortened
    /// around its first match, for the dashboard's result list.
    public static func snippet(of text: String, words: [String], width: Int = 180) -> String? {
        let wanted = Set(words)
        guard !wanted.isEmpty else { return nil }
        var best: (line: Substring, found: Int)?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let found = wanted.intersection(wordSequence(in: line)).count
            if found > (best?.found ?? 0) { best = (line, found) }
            if found == wanted.count { break }
        }
        guard let line = best?.line else { return nil }
        guard line.count > width else { return String(line) }
        // Start a little before the first matching word.
        let segments = highlighted(line, words: words)
        var offset = 0
        for segment in segments {
            if segment.isMatch { break }
            offset += segment.text.count
        }
        let start = line.index(line.startIndex, offsetBy: max(0, min(offset - width / 4, line.count - width)))
        let end = line.index(start, offsetBy: width)
        return (start > line.startIndex ? "…" : "") + line[start..<end] + (end < line.endIndex ? "…" : "")
    }

    /// `text` split into runs that are, or are not, one of `words`, for highlighting a snippet.
    public static func highlighted(_ text: some StringProtocol, words: [String]) -> [(text: String, isMatch: Bool)] {
        let wanted = Set(words)
        var segments: [(text: String, isMatch: Bool)] = []
        var current = ""
        var word = ""
        func flushWord() {
            guard !word.isEmpty else { return }
            if let normal = normalized(word), wanted.contains(normal) {
                if !current.isEmpty { segments.append((current, false)) }
                segments.append((word, true))
                current = ""
            } else {
                current += word
            }
            word = ""
        }
        for character in text {
            if isWordCharacter(character) {
                word.append(character)
            } else {
                flushWord()
                current.append(character)
            }
        }
        flushWord()
        if !current.isEmpty { segments.append((current, false)) }
        return segments
    }

    // MARK: - Cutting text into words

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// Lowercased, accents removed, cut to the longest indexed length; nil when too short to index.
    private static func normalized(_ word: String) -> String? {
        // Most words are ASCII: lowercased directly, without Foundation's slower folding.
        let folded =
            word.utf8.allSatisfy { $0 < 0x80 }
            ? word.lowercased()
            : word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter(isWordCharacter)
        guard folded.count >= minimumWordLength else { return nil }
        return String(folded.prefix(maximumWordLength))
    }

    private static func wordSequence(in text: some StringProtocol) -> [String] {
        var words: [String] = []
        var word = ""
        for character in text {
            if isWordCharacter(character) {
                word.append(character)
            } else if !word.isEmpty {
                if let normal = normalized(word) { words.append(normal) }
                word = ""
            }
        }
        if let normal = normalized(word) { words.append(normal) }
        return words
    }
}
