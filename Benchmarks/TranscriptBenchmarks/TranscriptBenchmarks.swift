import Benchmark
import DiscordModels
import Foundation
import TicketCore
import Transcripts

/// Rendering a 10,000-message transcript: messages per second (throughput × 10,000) and bytes per message
/// (printed once; package-benchmark has no size metric).
let benchmarks: @Sendable () -> Void = {
    let document = TranscriptBenchmarkData.document(messages: 10_000)
    let bytes = TranscriptRenderer().render(document).utf8.count
    print("transcript of 10,000 messages: \(bytes) bytes, \(bytes / 10_000) bytes/message")

    Benchmark(
        "Render transcript, 10,000 messages",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident], maxIterations: 20)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(TranscriptRenderer().render(document))
        }
    }

    // One adversarial 2,000-character message per iteration, so the percentiles are per message: the inputs
    // that made the old parser rescan from every opening delimiter, and random markdown punctuation.
    let adversarial = TranscriptBenchmarkData.adversarialMessages
    let markdown = DiscordMarkdown()
    Benchmark(
        "Markdown, adversarial 2,000-character message",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 10_000)
    ) { benchmark in
        blackHole(markdown.render(adversarial[benchmark.currentIteration % adversarial.count]))
    }
}

enum TranscriptBenchmarkData {
    /// 2,000 characters each: unmatched delimiters of every kind, nesting, and seeded random punctuation.
    static let adversarialMessages: [String] = {
        let punctuation = Array("*_~|`[]()<>\\#-:h \n")
        var seed: UInt64 = 0x5EED
        func random() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        let patterns = ["*", "*a ", "[", "[a](", "_x", "`", "||", "**~~__", "<t:", ">>> ", "https://", "\\*"]
        var messages = patterns.map { pattern in String(String(repeating: pattern, count: 2_000).prefix(2_000)) }
        for _ in 0..<8 {
            messages.append(String((0..<2_000).map { _ in punctuation[random() % punctuation.count] }))
        }
        return messages
    }()

    /// A realistic mix: mostly plain lines, some markdown, mentions, links, replies and an embed now and then.
    static func document(messages count: Int) -> TranscriptDocument {
        let people = (0..<4).map {
            TranscriptDocument.Person(
                id: UserID(UInt64(100 + $0)), name: ["alice", "Sam", "Riley", "Aetheria"][$0],
                color: $0 == 1 ? 0x3498DB : 0, isBot: $0 == 3)
        }
        let lines = [
            "Hi, my order never arrived and the tracking page has not changed since Monday.",
            "Let me check that for you, **one moment** please.",
            "Here is the link: https://example.com/orders/12345 and the code `A-1234`.",
            "Thanks <@100>, I escalated this to <@&700>.",
            "> quoting the policy\nWe refund within _14 days_.",
            "ok",
        ]
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        let messages = (0..<count).map { index -> TranscriptMessage in
            var message = TranscriptMessage(
                id: MessageID(UInt64(10_000 + index)), authorID: people[index % 3].id,
                content: lines[index % lines.count],
                sentAt: start.addingTimeInterval(Double(index) * 90))
            if index % 17 == 0 { message.replyTo = MessageID(UInt64(10_000 + max(0, index - 1))) }
            if index % 50 == 0 {
                message.embeds = [Embed(title: "Order status", description: "Shipped", color: 0x57F287)]
            }
            return message
        }
        return TranscriptDocument(
            guildID: 1, guildName: "Cozy Library", ticketNumber: 1, channelName: "ticket-alice", opener: people[0],
            closer: people[1], openedAt: start, closedAt: start.addingTimeInterval(Double(count) * 90),
            closeReason: nil, messages: messages, people: Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) }),
            roleNames: [700: "Support Team"])
    }
}
