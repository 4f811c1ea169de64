import DiscordModels
import Foundation
import Testing
import TicketCore
import Transcripts

@Suite("Transcript HTML: content, safety, size")
struct TranscriptRendererTests {
    let renderer = TranscriptRenderer()

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Compares with the checked-in file; `AETHERIA_UPDATE_GOLDEN=1` rewrites it (review the diff).
    func expectGolden(_ html: String, _ name: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["AETHERIA_UPDATE_GOLDEN"] == "1" {
            try Data(html.utf8).write(to: url)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(html == golden, "\(name) changed; rerun with AETHERIA_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test("a typical ticket renders as its golden file")
    func typicalGolden() throws {
        try expectGolden(renderer.render(TranscriptFixtures.typical), "typical.html")
    }

    @Test("the hostile ticket renders as its golden file")
    func hostileGolden() throws {
        try expectGolden(renderer.render(TranscriptFixtures.hostile), "hostile.html")
    }

    @Test("the header states the ticket's facts and a plain summary comes first")
    func header() {
        let html = renderer.render(TranscriptFixtures.typical)
        #expect(
            html.contains(
                "<p class=summary>Ticket #12 in Cozy Library was opened by alice and closed by Sam (Support) after 1 h 30 min, with 7 messages from 3 participants. Reason: Resolved</p>"
            ))
        #expect(html.contains("<dt>Duration</dt><dd>1 h 30 min</dd>"))
        #expect(html.contains("alice (4), Sam (Support) (2), Aetheria (1)"))
        #expect(html.contains("<time datetime=\"2025-11-24T16:00:00Z\">"))
    }

    @Test("messages: grouping within 7 minutes, replies, edits, deletions, markdown, mentions, embeds, inert buttons")
    func messages() {
        let html = renderer.render(TranscriptFixtures.typical)
        #expect(
            html.components(separatedBy: "<section class=g").count - 1 == 5,
            "bot · alice ×2 · sam (reply) · alice later")
        #expect(html.contains("<strong>order</strong>") && html.contains("<em>supposed</em>"))
        #expect(html.contains("<s>today</s>") && html.contains("<span class=sp>sorry!</span>"))
        #expect(html.contains("<code>A-1234</code>") && html.contains("<pre><code>let fixed = true</code></pre>"))
        #expect(html.contains("<blockquote>My order never arrived</blockquote>"))
        #expect(
            html.contains(
                "<a href=\"https://example.com/shipping\" rel=\"noopener noreferrer nofollow\">our policy</a>"))
        #expect(html.contains("<span class=mn>@alice</span>") && html.contains("<span class=mn>@Support Team</span>"))
        #expect(html.contains("<span class=mn>#general</span>") && html.contains("<span class=em>:party:</span>"))
        #expect(html.contains("<div class=re>↪ <a href=\"#m1001\">alice</a> Hi! My **order** never arrived."))
        #expect(html.contains("(edited)") && html.contains("earlier version</summary>Found it: it ships today."))
        #expect(html.contains("<div class=\"m del\" id=m1005>"))
        #expect(html.contains("receipt.pdf <span class=note>47 KB</span>"))
        #expect(html.contains("<span class=btn>🔒 Close Ticket</span>"))
        #expect(html.contains("<span class=bot>BOT</span>"))
        #expect(html.contains("<span class=\"n k3498db\">Sam (Support)</span>"))
        #expect(!html.contains("<button"), "components are drawn, not clickable")
    }

    @Test("every known exporter attack renders inert: no script but ours, no handlers, no dangerous URLs")
    func hostileIsInert() throws {
        let html = renderer.render(TranscriptFixtures.hostile)
        let audit = try HTMLAudit.run(html)
        #expect(audit.scripts == 1, "only the transcript's own inline script")
        #expect(audit.eventHandlers.isEmpty, "\(audit.eventHandlers)")
        #expect(audit.styleAttributes == 0)
        let bad = audit.urls.filter { !HTMLAudit.isAllowed($0) }
        #expect(bad.isEmpty, "\(bad)")
        #expect(!html.lowercased().contains("javascript:alert('masked')\""))
        #expect(html.contains("[click me](javascript:alert(&#39;masked&#39;))"), "the link is shown as text")
        #expect(!html.contains("data:image/svg"), "SVG is never inlined (it can carry script)")
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test("the typical ticket passes the same audit")
    func typicalIsClean() throws {
        let audit = try HTMLAudit.run(renderer.render(TranscriptFixtures.typical))
        #expect(audit.scripts == 1 && audit.eventHandlers.isEmpty && audit.urls.allSatisfy(HTMLAudit.isAllowed))
    }

    @Test("the file pins its style and script by hash in its own Content-Security-Policy")
    func contentSecurityPolicy() throws {
        let html = renderer.render(TranscriptFixtures.typical)
        let policy = try #require(html.range(of: "content=\"default-src 'none';")).lowerBound
        #expect(html[policy...].prefix(400).contains("script-src 'sha256-"))
        #expect(html[policy...].prefix(400).contains("img-src data:"))
        #expect(ContentSecurityHash.source(of: "abc") == "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='")
    }

    @Test("1,000 plain messages stay under 700 KB")
    func size() {
        let people = [TranscriptFixtures.alice, TranscriptFixtures.sam]
        let messages = (0..<1_000).map { index in
            TranscriptFixtures.message(
                UInt64(10_000 + index), people[index % 2],
                "Message number \(index): thanks, that helps. Could you check the order status again please?",
                after: Double(index) * 120)
        }
        let html = renderer.render(TranscriptFixtures.document(messages, people: people))
        #expect(html.utf8.count < 700_000, "\(html.utf8.count) bytes")
    }
}
