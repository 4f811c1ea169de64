import DiscordModels
import Foundation
import TicketCore

/// Representative tickets with fixed times and IDs, so their rendering is byte-for-byte stable.
enum TranscriptFixtures {
    static let opened = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24 16:00 UTC
    static let alice = TranscriptDocument.Person(id: 101, name: "alice", color: 0)
    static let sam = TranscriptDocument.Person(id: 102, name: "Sam (Support)", color: 0x3498DB)
    static let bot = TranscriptDocument.Person(id: 1, name: "Aetheria", color: 0x9B59B6, isBot: true)

    static func message(
        _ id: UInt64, _ author: TranscriptDocument.Person, _ content: String, after seconds: TimeInterval,
        configure: (inout TranscriptMessage) -> Void = { _ in }
    ) -> TranscriptMessage {
        var message = TranscriptMessage(
            id: MessageID(id), authorID: author.id, content: content, sentAt: opened.addingTimeInterval(seconds))
        configure(&message)
        return message
    }

    static func document(
        _ messages: [TranscriptMessage], people: [TranscriptDocument.Person] = [alice, sam, bot],
        channelName: String = "ticket-alice", closeReason: String? = "Resolved"
    ) -> TranscriptDocument {
        TranscriptDocument(
            guildID: 900, guildName: "Cozy Library", ticketNumber: 12, channelName: channelName, opener: alice,
            closer: sam, openedAt: opened, closedAt: opened.addingTimeInterval(5_400), closeReason: closeReason,
            messages: messages, people: Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) }),
            roleNames: [700: "Support Team"], channelNames: [800: "general"])
    }

    /// A typical support conversation: welcome with a button, markdown, a reply, an edit, a deletion, an
    /// attachment, an embed, mentions and a timestamp.
    static var typical: TranscriptDocument {
        document([
            message(1_000, bot, "<@101> <@&700>", after: 0) {
                $0.embeds = [
                    Embed(
                        title: "Ticket #12", description: "Thanks for reaching out, <@101>!", color: 0x5865F2,
                        footer: .init(text: "Aetheria"))
                ]
                $0.components = [
                    .actionRow([
                        .button(style: .danger, label: "Close Ticket", customId: "close", emoji: .init(name: "🔒"))
                    ])
                ]
            },
            message(
                1_001, alice, "Hi! My **order** never arrived. It was _supposed_ to come <t:1763900000:R>.", after: 30),
            message(1_002, alice, "Order number: `A-1234`", after: 45) {
                $0.attachments = [.init(filename: "receipt.pdf", size: 48_213, contentType: "application/pdf")]
            },
            message(
                1_003, sam,
                "Let me check that for you.\n> My order never arrived\nSee [our policy](https://example.com/shipping) and #general: <#800>",
                after: 600
            ) { $0.replyTo = 1_001 },
            message(1_004, sam, "Found it: it ships ~~today~~ tomorrow. ||sorry!||", after: 660) {
                $0.editedAt = opened.addingTimeInterval(700)
                $0.previousContents = ["Found it: it ships today."]
            },
            message(1_005, alice, "wrong channel, ignore", after: 700) { $0.isDeleted = true },
            message(1_006, alice, "```swift\nlet fixed = true\n```\nThanks <:party:123456789012345678>", after: 5_000),
        ])
    }

    /// Every attack known against HTML exporters, in the places they were found.
    static var hostile: TranscriptDocument {
        let attacker = TranscriptDocument.Person(
            id: 666, name: "</script><script>alert('nick')</script>", color: 0xFF0000)
        return document(
            [
                message(2_000, attacker, "[click me](javascript:alert('masked'))", after: 0),
                message(
                    2_001, attacker,
                    "[x](JaVaScRiPt:alert(1)) [y](data:text/html,<script>alert(2)</script>) [z](vbscript:msgbox)",
                    after: 1),
                message(2_002, attacker, "<:x\" onerror=\"alert('emoji'):123> <a:y' onload='alert(3):456>", after: 2),
                message(2_003, attacker, "<img src=x onerror=alert('content')><svg/onload=alert(4)>", after: 3),
                message(2_004, attacker, "reply", after: 4) { $0.replyTo = 2_003 },
                message(
                    2_005, attacker,
                    "https://evil.example/\"onmouseover=\"alert(5) and https://ok.example/path?a=1&b=2", after: 5),
                message(2_006, attacker, "files", after: 6) {
                    $0.attachments = [
                        .init(
                            filename: "\"><img src=x onerror=alert('file')>.png", size: 10, contentType: "image/png",
                            inlineData: [0x89, 0x50, 0x4E, 0x47]),
                        .init(
                            filename: "x.svg", size: 10, contentType: "image/svg+xml",
                            inlineData: Array("<svg onload=alert(6)>".utf8)),
                    ]
                },
                message(2_007, attacker, "", after: 7) {
                    $0.embeds = [
                        Embed(
                            title: "<b>title</b>",
                            description: "<script>alert('embed')</script>[m](javascript:alert(7))",
                            url: "javascript:alert('embed url')", color: 0xFF0000,
                            footer: .init(text: "<i onmouseover=alert(8)>"),
                            author: .init(name: "<u>author</u>", url: "javascript:alert('author')"),
                            fields: [.init(name: "<x onclick=alert(9)>", value: "</div><script>alert(10)</script>")])
                    ]
                    $0.components = [
                        .actionRow([.button(style: .primary, label: "\"><script>alert(11)</script>", customId: "x")])
                    ]
                },
                message(
                    2_008, attacker, "`</code><script>alert(12)</script>` ```\n</pre><script>alert(13)</script>\n```",
                    after: 8),
            ],
            people: [alice, sam, attacker], channelName: "</title><script>alert('thread')</script>",
            closeReason: "<script>alert('reason')</script>")
    }
}
