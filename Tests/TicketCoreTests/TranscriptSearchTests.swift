import DiscordModels
import Foundation
import Testing

@testable import TicketCore

/// How transcripts are cut into words for search, and how a result's snippet is chosen: the rules both
/// stores share, with the hostile text a member or a search box can send.
@Suite("Transcript search words and snippets")
struct TranscriptSearchTests {
    @Test("words are lowercased letters and digits without accents, distinct, in order, bounded")
    func words() {
        #expect(
            TranscriptSearch.words(in: "Refund my ORDER #123, please! refund") == [
                "refund", "my", "order", "123", "please",
            ])
        #expect(TranscriptSearch.words(in: "Café crème — Ünïcödé") == ["cafe", "creme", "unicode"])
        #expect(TranscriptSearch.words(in: "a I x 🙂 ** \"\" {g:1}").isEmpty, "too short")
        #expect(TranscriptSearch.words(in: String(repeating: "z", count: 500)) == [String(repeating: "z", count: 40)])
        let many = (0..<10_000).map { "w\($0)" }.joined(separator: " ")
        #expect(TranscriptSearch.words(in: many).count == TranscriptSearch.maximumIndexedWords)
        #expect(TranscriptSearch.queryWords("one two three four five six seven eight nine ten").count == 8)
        #expect(TranscriptSearch.queryWords("\"refund\" NEAR(even) OR x*") == ["refund", "near", "even", "or"])
    }

    @Test("the stored text is cut at a character boundary, never inside an emoji")
    func boundedText() {
        let text = String(repeating: "🙂", count: TranscriptSearch.maximumTextBytes / 4 + 10)
        let kept = TranscriptSearch.bounded(text)
        #expect(kept.utf8.count <= TranscriptSearch.maximumTextBytes)
        #expect(kept.allSatisfy { $0 == "🙂" })
        #expect(TranscriptSearch.bounded("short") == "short")
    }

    @Test("the snippet is the line holding the most searched words, shortened around the first")
    func snippets() {
        let text = "alice: hello\nbob: the refund is on its way\nalice: thanks for the refund of my invoice"
        #expect(
            TranscriptSearch.snippet(of: text, words: ["refund", "invoice"])
                == "alice: thanks for the refund of my invoice")
        #expect(TranscriptSearch.snippet(of: text, words: ["refund"]) == "bob: the refund is on its way")
        #expect(TranscriptSearch.snippet(of: text, words: ["nothing"]) == nil)
        let long = String(repeating: "filler ", count: 100) + "the Refund word" + String(repeating: " more", count: 100)
        let snippet = try? #require(TranscriptSearch.snippet(of: long, words: ["refund"]))
        #expect(
            snippet?.hasPrefix("…") == true && snippet?.hasSuffix("…") == true && snippet?.contains("Refund") == true)
        #expect(
            TranscriptSearch.highlighted("A café, CAFE!", words: ["cafe"]).map(\.text) == [
                "A ", "café", ", ", "CAFE", "!",
            ])
    }

    @Test("the search text holds the answers, names, edits, deleted messages, embeds and file names")
    func searchText() {
        var document = TranscriptDocument(
            guildID: 1, guildName: "Guild", ticketNumber: 4, channelName: "billing-0004",
            opener: .init(id: 10, name: "erin"), closer: .init(id: 20, name: "sam"), openedAt: Date(),
            closedAt: Date(), closeReason: "paid back",
            messages: [
                TranscriptMessage(
                    id: 1, authorID: 10, content: "second try", sentAt: Date(), previousContents: ["first try"],
                    attachments: [.init(filename: "receipt.pdf", size: 10, contentType: nil)]),
                TranscriptMessage(
                    id: 2, authorID: 20, content: "gone\nnow", sentAt: Date(), isDeleted: true,
                    embeds: [Embed(title: "Invoice", description: "total")]),
            ], people: [10: .init(id: 10, name: "erin"), 20: .init(id: 20, name: "sam")])
        document.typeName = "Billing"
        document.answers = [TicketAnswer(question: "Order number?", answer: "A-77")]
        let lines = document.searchText.split(separator: "\n").map(String.init)
        for expected in [
            "Opened by erin", "Type: Billing", "Closed by sam", "Reason: paid back", "Order number?: A-77",
            "erin: first try", "erin: second try", "erin: receipt.pdf", "sam: gone now", "sam: Invoice", "sam: total",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
    }
}
