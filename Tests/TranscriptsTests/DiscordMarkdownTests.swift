import DiscordModels
import Foundation
import Testing
import TicketCore
import Transcripts

@Suite("Discord markdown in transcripts")
struct DiscordMarkdownTests {
    func render(_ content: String) -> String {
        let html = TranscriptRenderer().render(
            TranscriptFixtures.document([TranscriptFixtures.message(1, TranscriptFixtures.alice, content, after: 0)]))
        let start = html.range(of: "<div class=c>")!.upperBound
        let end = html[start...].range(of: "</div><")!.lowerBound
        return String(html[start..<end])
    }

    @Test(
        "inline and block rules",
        arguments: [
            ("**bold** *it* __under__ ~~gone~~", "<strong>bold</strong> <em>it</em> <u>under</u> <s>gone</s>"),
            ("snake_case_name stays", "snake_case_name stays"),
            ("\\*not italic\\*", "*not italic*"),
            ("# Title", "<h3>Title</h3>"),
            ("-# small print", "<small>small print</small>"),
            ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
            ("1. first\n2. second", "<ol><li>first</li><li>second</li></ol>"),
            (">>> all\nquoted", "<blockquote>all<br>quoted</blockquote>"),
            ("line one\nline two", "line one<br>line two"),
            ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
            ("**unclosed", "**unclosed"),
            ("<@999>", "<span class=mn>@unknown-user</span>"),
        ])
    func rules(_ input: String, _ expected: String) {
        #expect(render(input) == expected)
    }

    @Test("deeply nested formatting stops nesting instead of recursing without end")
    func deepNesting() {
        let input = String(repeating: "||", count: 200) + "x" + String(repeating: "||", count: 200)
        #expect(!render(input).isEmpty)
    }
}

@Suite("UTC timestamps in transcripts")
struct UTCTimestampTests {
    @Test("the arithmetic formatter agrees with Foundation's across eras, leap days and before 1970")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0, 1_764_000_000, 951_782_400, 4_107_542_399, -86_401, 1_709_164_800, 253_402_300_799] {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(TranscriptRenderer.timeElement(date).contains("datetime=\"\(formatter.string(from: date))\""))
        }
    }
}
