import DiscordModels
import Foundation

/// Discord's markdown, rendered to HTML with every piece of user text escaped: there is no path that copies
/// raw input into the output. Block rules (code blocks, quotes, headers, subtext, lists) then inline rules
/// (code, spoiler, bold, underline, italic, strikethrough, masked and bare links, mentions, custom emoji,
/// `<t:…>` timestamps, backslash escapes).
package struct DiscordMarkdown {
    /// Names for mentions, as the guild knew them at close time.
    var userNames: [UInt64: String] = [:]
    var roleNames: [UInt64: String] = [:]
    var channelNames: [UInt64: String] = [:]

    package init() {}

    init(userNames: [UInt64: String], roleNames: [UInt64: String], channelNames: [UInt64: String]) {
        self.userNames = userNames
        self.roleNames = roleNames
        self.channelNames = channelNames
    }

    /// Nested formatting deeper than this is shown as text (pathological input cannot recurse without end).
    static let maximumDepth = 8

    package func render(_ text: String) -> String { render(text, quoteDepth: 0) }

    private func render(_ text: String, quoteDepth: Int) -> String {
        var output = ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        var pendingBreak = false
        func appendLine(_ html: String) {
            if pendingBreak { output += "<br>" }
            output += html
            pendingBreak = true
        }
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("```") {
                let (code, next) = codeBlock(lines, from: index)
                output += "<pre><code>\(HTMLEscaping.escape(code))</code></pre>"
                pendingBreak = false
                index = next
                continue
            }
            if line.hasPrefix(">>> "), quoteDepth == 0 {
                // Discord does not nest block quotes: inside one, `>>> ` is text (and recursion stays bounded).
                let rest = ([line.dropFirst(4)] + lines[(index + 1)...]).joined(separator: "\n")
                output += "<blockquote>\(render(rest, quoteDepth: quoteDepth + 1))</blockquote>"
                return output
            }
            if line.hasPrefix("> ") || line == ">" {
                var quoted: [Substring] = []
                while index < lines.count, lines[index].hasPrefix("> ") || lines[index] == ">" {
                    quoted.append(lines[index].dropFirst(lines[index] == ">" ? 1 : 2))
                    index += 1
                }
                output += "<blockquote>\(quoted.map { inline($0) }.joined(separator: "<br>"))</blockquote>"
                pendingBreak = false
                continue
            }
            if let (level, title) = header(line) {
                output += "<h\(level + 2)>\(inline(title))</h\(level + 2)>"
                pendingBreak = false
                index += 1
                continue
            }
            if line.hasPrefix("-# ") {
                appendLine("<small>\(inline(line.dropFirst(3)))</small>")
                index += 1
                continue
            }
            if let (ordered, _) = listItem(line) {
                var items: [String] = []
                while index < lines.count, let (kind, item) = listItem(lines[index]), kind == ordered {
                    items.append("<li>\(inline(item))</li>")
                    index += 1
                }
                let tag = ordered ? "ol" : "ul"
                output += "<\(tag)>\(items.joined())</\(tag)>"
                pendingBreak = false
                continue
            }
            appendLine(inline(line))
            index += 1
        }
        return output
    }

    // MARK: - Blocks

    /// A fenced block from `start`; returns its text and the line after it. An unclosed fence runs to the end.
    private func codeBlock(_ lines: [Substring], from start: Int) -> (String, Int) {
        var first = lines[start].dropFirst(3)
        if let close = first.range(of: "```") {  // ```one line```
            return (String(first[..<close.lowerBound]), start + 1)
        }
        // A first line holding one word is the language name, not code.
        let isLanguage = !first.isEmpty && first.allSatisfy { $0.isLetter || $0.isNumber || "+#-_.".contains($0) }
        if isLanguage { first = "" }
        var body: [Substring] = first.isEmpty ? [] : [first]
        var index = start + 1
        while index < lines.count {
            if let close = lines[index].range(of: "```") {
                let last = lines[index][..<close.lowerBound]
                if !last.isEmpty { body.append(last) }
                return (body.joined(separator: "\n"), index + 1)
            }
            body.append(lines[index])
            index += 1
        }
        return (body.joined(separator: "\n"), index)
    }

    private func header(_ line: Substring) -> (Int, Substring)? {
        for level in 1...3 {
            let marker = String(repeating: "#", count: level) + " "
            if line.hasPrefix(marker) { return (level, line.dropFirst(marker.count)) }
        }
        return nil
    }

    /// `- item`, `* item` (unordered) or `1. item` (ordered).
    private func listItem(_ line: Substring) -> (Bool, Substring)? {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") { return (false, trimmed.dropFirst(2)) }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9, trimmed.dropFirst(digits.count).hasPrefix(". ") {
            return (true, trimmed.dropFirst(digits.count + 2))
        }
        return nil
    }

    // MARK: - Inline

    private static let pairedDelimiters: [(String, String, String)] = [
        ("||", "<span class=sp>", "</span>"), ("**", "<strong>", "</strong>"), ("__", "<u>", "</u>"),
        ("~~", "<s>", "</s>"), ("*", "<em>", "</em>"), ("_", "<em>", "</em>"),
    ]
    private static let escapable: Set<Character> = [
        "\\", "*", "_", "~", "`", "|", ">", "<", "[", "]", "(", ")", "#", "-", ":",
    ]

    func inline(_ text: Substring, depth: Int = 0) -> String {
        var output = ""
        let misses = ScanMisses()
        var index = text.startIndex
        scanning: while index < text.endIndex {
            let rest = text[index...]
            let character = rest.first!
            if depth < Self.maximumDepth {
                if character == "\\", let next = rest.dropFirst().first, Self.escapable.contains(next) {
                    output += HTMLEscaping.escape(String(next))
                    index = text.index(index, offsetBy: 2)
                    continue
                }
                if character == "`", let (html, end) = inlineCode(rest, misses: misses) {
                    output += html
                    index = end
                    continue
                }
                for (delimiter, open, close) in Self.pairedDelimiters where rest.hasPrefix(delimiter) {
                    if let (inner, end) = paired(rest, delimiter: delimiter, in: text, misses: misses) {
                        output += open + inline(inner, depth: depth + 1) + close
                        index = end
                        continue scanning
                    }
                }
                if character == "[", let (html, end) = maskedLink(rest, depth: depth, misses: misses) {
                    output += html
                    index = end
                    continue
                }
                if character == "h", let (html, end) = bareLink(rest) {
                    output += html
                    index = end
                    continue
                }
                if character == "<", let (html, end) = angleToken(rest) {
                    output += html
                    index = end
                    continue
                }
            }
            output += HTMLEscaping.escape(String(character))
            index = text.index(after: index)
        }
        return output
    }

    private func inlineCode(_ rest: Substring, misses: ScanMisses) -> (String, Substring.Index)? {
        let fence = rest.hasPrefix("``") ? "``" : "`"
        let body = rest.dropFirst(fence.count)
        guard !misses.nothing(fence, after: body.startIndex) else { return nil }
        guard let close = body.range(of: fence) else {
            misses.record(fence, after: body.startIndex)
            return nil
        }
        guard close.lowerBound > body.startIndex else { return nil }
        return ("<code>\(HTMLEscaping.escape(String(body[..<close.lowerBound])))</code>", close.upperBound)
    }

    /// `delimiter inner delimiter` with non-empty inner text; `_` only at word boundaries (snake_case stays).
    private func paired(
        _ rest: Substring, delimiter: String, in text: Substring, misses: ScanMisses
    ) -> (Substring, Substring.Index)? {
        let body = rest.dropFirst(delimiter.count)
        guard let first = body.first, first != " ", !(delimiter == "*" && first == "*") else { return nil }
        if delimiter == "_", rest.startIndex > text.startIndex,
            text[text.index(before: rest.startIndex)].isLetter || text[text.index(before: rest.startIndex)].isNumber
        {
            return nil
        }
        var search = body.index(after: body.startIndex)
        // Whether a closing delimiter is valid depends only on where it stands, so once a search from some
        // point found none, no search from a later point can: every opening delimiter after it is answered at
        // once, and the scan stays linear however many unmatched delimiters a message holds.
        guard !misses.nothing(delimiter, after: search) else { return nil }
        let searchStart = search
        while search <= body.endIndex, let close = body[search...].range(of: delimiter) {
            let inner = body[..<close.lowerBound]
            let after = close.upperBound
            let valid =
                inner.last != " "
                && (delimiter != "_" || after == text.endIndex || !(text[after].isLetter || text[after].isNumber))
                && (delimiter != "*" || after == text.endIndex || text[after] != "*")
            if valid { return (inner, after) }
            guard close.lowerBound < body.endIndex else { break }
            search = body.index(after: close.lowerBound)
        }
        misses.record(delimiter, after: searchStart)
        return nil
    }

    /// `[text](https://…)`: a link only for http(s); anything else stays visible as plain text.
    private func maskedLink(_ rest: Substring, depth: Int, misses: ScanMisses) -> (String, Substring.Index)? {
        guard !misses.nothing("]", after: rest.startIndex) else { return nil }
        guard let closeBracket = rest.firstIndex(of: "]") else {
            misses.record("]", after: rest.startIndex)
            return nil
        }
        guard rest[rest.index(after: closeBracket)...].hasPrefix("("), !misses.nothing(")", after: closeBracket) else {
            return nil
        }
        guard let closeParen = rest[closeBracket...].firstIndex(of: ")") else {
            misses.record(")", after: closeBracket)
            return nil
        }
        let label = rest[rest.index(after: rest.startIndex)..<closeBracket]
        var target = rest[rest.index(closeBracket, offsetBy: 2)..<closeParen]
        if target.hasPrefix("<"), target.hasSuffix(">") { target = target.dropFirst().dropLast() }
        guard !label.isEmpty, let url = HTMLEscaping.safeURL(String(target)) else { return nil }
        let end = rest.index(after: closeParen)
        return ("<a href=\"\(url)\" rel=\"noopener noreferrer nofollow\">\(inline(label, depth: depth + 1))</a>", end)
    }

    private func bareLink(_ rest: Substring) -> (String, Substring.Index)? {
        guard rest.hasPrefix("https://") || rest.hasPrefix("http://") else { return nil }
        var end = rest.firstIndex { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" } ?? rest.endIndex
        while end > rest.startIndex, ".,:;!?)]'".contains(rest[rest.index(before: end)]) {
            end = rest.index(before: end)
        }
        let raw = String(rest[..<end])
        guard raw.count > 8, let url = HTMLEscaping.safeURL(raw) else { return nil }
        return ("<a href=\"\(url)\" rel=\"noopener noreferrer nofollow\">\(HTMLEscaping.escape(raw))</a>", end)
    }

    /// `<@user>`, `<@!user>`, `<@&role>`, `<#channel>`, `<:name:id>`, `<a:name:id>`, `<t:unix[:style]>`.
    private func angleToken(_ rest: Substring) -> (String, Substring.Index)? {
        guard let close = rest.prefix(120).firstIndex(of: ">") else { return nil }
        let inner = rest[rest.index(after: rest.startIndex)..<close]
        let end = rest.index(after: close)
        func id(_ digits: Substring) -> UInt64? { digits.count <= 20 ? UInt64(digits) : nil }
        if inner.hasPrefix("@&"), let role = id(inner.dropFirst(2)) {
            return ("<span class=mn>@\(HTMLEscaping.escape(roleNames[role] ?? "deleted-role"))</span>", end)
        }
        if inner.hasPrefix("@!") || inner.hasPrefix("@"), let user = id(inner.drop { $0 == "@" || $0 == "!" }) {
            return ("<span class=mn>@\(HTMLEscaping.escape(userNames[user] ?? "unknown-user"))</span>", end)
        }
        if inner.hasPrefix("#"), let channel = id(inner.dropFirst()) {
            return ("<span class=mn>#\(HTMLEscaping.escape(channelNames[channel] ?? "deleted-channel"))</span>", end)
        }
        if inner.hasPrefix(":") || inner.hasPrefix("a:") {
            let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 3, id(parts[2]) != nil, !parts[1].isEmpty {
                return ("<span class=em>:\(HTMLEscaping.escape(String(parts[1]))):</span>", end)
            }
        }
        if inner.hasPrefix("t:") {
            let parts = inner.split(separator: ":")
            // Inside ±3,000 years (`abs` of Int64.min would trap, and Date cannot show more).
            if parts.count >= 2,
                let seconds = OutsideNumber.integer(parts[1], in: Int64(-99_999_999_999)...99_999_999_999)
            {
                return (TranscriptRenderer.time(Date(timeIntervalSince1970: Double(seconds))), end)
            }
        }
        return nil
    }
}

/// Where a forward search already came up empty within one run of inline text: a search for the same thing
/// from a later point cannot succeed, so it is not made again.
private final class ScanMisses {
    private var fruitlessFrom: [String: Substring.Index] = [:]

    func nothing(_ target: String, after index: Substring.Index) -> Bool {
        fruitlessFrom[target].map { $0 <= index } ?? false
    }

    func record(_ target: String, after index: Substring.Index) {
        fruitlessFrom[target] = min(fruitlessFrom[target] ?? index, index)
    }
}
