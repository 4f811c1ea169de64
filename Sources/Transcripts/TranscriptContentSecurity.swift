import Foundation

/// The Content-Security-Policy header the dashboard sends with a stored transcript: as strict as the file's
/// own `<meta>` policy (its one style and one script pinned by hash, `base-uri 'none'`, `form-action 'none'`)
/// plus `sandbox allow-scripts` (no same-origin access) and `frame-ancestors 'self'`.
///
/// Each transcript pins the script it was rendered with, so the header is derived from the file itself: a
/// transcript saved by an older version (another script) still works, and one whose policy cannot be read
/// gets no script at all rather than a looser policy.
public enum TranscriptContentSecurity {
    /// Where the renderer writes the file's policy (before any user text, which is escaped anyway).
    static let metaPrefix = Array("<meta http-equiv=Content-Security-Policy content=\"".utf8)
    /// The file's head is small; the policy is looked for only there.
    static let searchedBytes = 2_048

    /// Used when the file's own policy is missing or holds anything but the directives the renderer writes.
    public static let strictest =
        "sandbox allow-scripts; default-src 'none'; img-src data:; style-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

    public static func headerPolicy(for html: [UInt8]) -> String {
        guard let policy = filePolicy(html) else { return strictest }
        return "sandbox allow-scripts; \(policy); frame-ancestors 'self'"
    }

    /// The file's own policy, only when it is exactly of the renderer's shape: the known directives, each
    /// source a keyword, `data:` or a sha256 hash.
    static func filePolicy(_ html: [UInt8]) -> String? {
        let head = html.prefix(searchedBytes)
        guard let start = ByteSearch.firstIndex(of: metaPrefix, in: head) else { return nil }
        let valueStart = start + metaPrefix.count
        guard let end = head[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let policy = String(decoding: head[valueStart..<end], as: UTF8.self)
        let allowed: [String: Set<String>] = [
            "default-src": ["'none'"], "img-src": ["data:", "'none'"], "base-uri": ["'none'"],
            "form-action": ["'none'"], "style-src": [], "script-src": [],
        ]
        var seen = Set<String>()
        for directive in policy.split(separator: ";") {
            let words = directive.split(separator: " ").map(String.init)
            guard let name = words.first, let sources = allowed[name], seen.insert(name).inserted, words.count >= 2
            else { return nil }
            for source in words.dropFirst() where !sources.contains(source) && !isHash(source) { return nil }
        }
        guard seen.contains("default-src"), seen.contains("base-uri"), seen.contains("script-src") else { return nil }
        return policy.trimmingCharacters(in: .whitespaces)
    }

    /// `'sha256-<base64>'`.
    static func isHash(_ source: String) -> Bool {
        guard source.hasPrefix("'sha256-"), source.hasSuffix("'"), source.count == 53 else { return false }
        return source.dropFirst(8).dropLast().allSatisfy {
            $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0))
        }
    }
}
