import Testing

@testable import Transcripts

@Suite("Discord markdown against hostile input (each of these trapped or went quadratic before)")
struct HostileMarkdownTests {
    let markdown = DiscordMarkdown()

    @Test(
        "timestamps at and beyond the edges of Int64 are shown as text, never trap",
        arguments: [
            "<t:-9223372036854775808>", "<t:9223372036854775807>", "<t:-9223372036854775809>",
            "<t:99999999999999999999999>", "<t:-100000000000:R>", "<t:>",
        ])
    func extremeTimestamps(_ content: String) {
        let html = markdown.render(content)
        #expect(!html.contains("<time"))
        #expect(html.contains("&lt;t:"))
    }

    @Test("a timestamp inside the supported range still renders as a time")
    func ordinaryTimestamp() {
        #expect(markdown.render("<t:1700000000:R>").contains("<time datetime=\"2023-11-14T22:13:20Z\""))
        #expect(markdown.render("<t:-99999999999>").contains("<time"))
    }

    /// Inputs that made the old scanner rescan from every opening delimiter (quadratic), by name.
    static let pathological: [String: String] = [
        "2,000 asterisks": String(repeating: "*", count: 2_000),
        "unclosed emphasis after spaces": String(repeating: "*a ", count: 700),
        "2,000 brackets": String(repeating: "[", count: 2_000),
        "masked links never closed": String(repeating: "[a](", count: 500),
        "underscores inside words": String(repeating: "_x", count: 1_000),
        "2,000 backticks": String(repeating: "`", count: 2_000),
        "spoiler bars": String(repeating: "||", count: 1_000),
        "every delimiter at once": String(repeating: "**~~__", count: 330),
    ]

    @Test("pathological delimiters render to escaped text", arguments: pathological.keys.sorted())
    func pathologicalDelimiters(_ name: String) throws {
        let content = try #require(Self.pathological[name])
        let html = markdown.render(content)
        #expect(!html.isEmpty)
        #expect(!html.contains("<script"))
    }

    @Test("nested block quotes do not recurse: the inner marker is text")
    func blockQuotesDoNotNest() {
        let content = String(repeating: ">>> ", count: 5_000) + "deep"
        let html = markdown.render(content)
        #expect(html.hasPrefix("<blockquote>"))
        #expect(html.components(separatedBy: "<blockquote>").count == 2)
        #expect(html.contains("&gt;&gt;&gt; "))
    }

    @Test("the scan-miss memo does not change what valid markdown means")
    func memoKeepsMeaning() {
        #expect(markdown.render("*a *b* c*") == "<em>a *b</em> c*")
        #expect(markdown.render("x * y *z*") == "x * y <em>z</em>")
        #expect(
            markdown.render("[a [b](https://e.com)")
                == "<a href=\"https://e.com\" rel=\"noopener noreferrer nofollow\">a [b</a>")
        #expect(markdown.render("`a ` `b`") == "<code>a </code> <code>b</code>")
    }
}
