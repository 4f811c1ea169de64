/// Who a transcript file is for. Staff (the dashboard, the transcripts channel) keep the whole record; the
/// member's copy (their DM) leaves out what only staff saw: staff notes, and the content of messages deleted
/// and the earlier versions of edited ones (the member's Discord no longer showed them; staff keep them for
/// moderation). docs/transcripts.md lists each audience's view.
///
/// The renderer wraps each staff-only part in `<!--staff-->` … `<!--/staff-->`. Every user-written string is
/// escaped (`<` becomes `&lt;`), so those markers can only come from the renderer: cutting between them is
/// exact, needs no second rendering (the member's copy is made from the stored file, also for transcripts
/// saved before a delivery was retried), and leaves the file's hash-pinned style and script untouched.
public enum TranscriptAudience {
    static let staffOnlyStart = "<!--staff-->"
    static let staffOnlyEnd = "<!--/staff-->"

    /// `part` marked as staff-only.
    static func staffOnly(_ part: String) -> String { staffOnlyStart + part + staffOnlyEnd }

    /// The member's copy of a stored transcript: every staff-only part removed. A start without an end (a file
    /// cut short) removes everything after it: leaving out too much is safe, showing a note is not.
    public static func memberCopy(of html: [UInt8]) -> [UInt8] {
        let start = Array(staffOnlyStart.utf8)
        let end = Array(staffOnlyEnd.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(html.count)
        var index = 0
        while index < html.count {
            guard let open = ByteSearch.firstIndex(of: start, in: html[...], from: index) else {
                result.append(contentsOf: html[index...])
                break
            }
            result.append(contentsOf: html[index..<open])
            guard let close = ByteSearch.firstIndex(of: end, in: html[...], from: open + start.count) else { break }
            index = close + end.count
        }
        return result
    }
}
