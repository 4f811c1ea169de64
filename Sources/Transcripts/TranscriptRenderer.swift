import DiscordModels
public import Foundation
public import TicketCore

/// Renders a transcript document to one self-contained HTML file: styles and the small search script are
/// inline and pinned by hash in the file's own Content-Security-Policy, nothing is loaded from the network,
/// and every user-controlled string is escaped for where it goes (text, attribute, URL).
public struct TranscriptRenderer: Sendable {
    /// Messages by the same author within this many seconds share one header (a reply starts a new group).
    public static let groupingWindow: TimeInterval = 7 * 60

    public init() {}

    public func render(_ document: TranscriptDocument) -> String {
        var colors = Set<UInt32>()
        for person in document.people.values where person.color != 0 { colors.insert(person.color) }
        let style = TranscriptStyle.css + colors.sorted().map { ".k\(Self.hex($0)){color:#\(Self.hex($0))}" }.joined()
        let policy = [
            "default-src 'none'", "img-src data:", "style-src \(ContentSecurityHash.source(of: style))",
            "script-src \(ContentSecurityHash.source(of: TranscriptStyle.script))", "base-uri 'none'",
            "form-action 'none'",
        ].joined(separator: "; ")
        let markdown = DiscordMarkdown(
            userNames: Dictionary(uniqueKeysWithValues: document.people.map { ($0.key.rawValue, $0.value.name) }),
            roleNames: Dictionary(uniqueKeysWithValues: document.roleNames.map { ($0.key.rawValue, $0.value) }),
            channelNames: Dictionary(uniqueKeysWithValues: document.channelNames.map { ($0.key.rawValue, $0.value) }))
        let title = "Ticket #\(document.ticketNumber) · #\(document.channelName) · \(document.guildName)"

        var html = ""
        html.reserveCapacity(4_096 + document.messages.count * 320)
        html += "<!doctype html><html lang=en><head><meta charset=utf-8>"
        html += "<meta name=viewport content=\"width=device-width,initial-scale=1\">"
        html += "<meta http-equiv=Content-Security-Policy content=\"\(policy)\">"
        html += "<meta name=referrer content=no-referrer>"
        html += "<title>\(HTMLEscaping.escape(title))</title><style>\(style)</style></head><body>"
        html += header(document, title: title)
        html += "<main id=log>"
        var messagesByID: [MessageID: TranscriptMessage] = [:]
        for message in document.messages { messagesByID[message.id] = message }
        var previous: TranscriptMessage?
        for message in document.messages {
            let startsGroup =
                previous == nil || previous?.authorID != message.authorID || message.replyTo != nil
                || message.sentAt.timeIntervalSince(previous?.sentAt ?? .distantPast) > Self.groupingWindow
            if startsGroup {
                if previous != nil { html += "</div></section>" }
                html += groupHeader(for: message, in: document)
            }
            html += self.message(message, document: document, markdown: markdown, messagesByID: messagesByID)
            previous = message
        }
        if previous != nil { html += "</div></section>" }
        if document.messages.isEmpty { html += "<p class=empty>No messages.</p>" }
        html += "</main><footer>Exported by Aetheria · \(document.messages.count) messages</footer>"
        html += "<script>\(TranscriptStyle.script)</script></body></html>"
        return html
    }

    // MARK: - Header

    private func header(_ document: TranscriptDocument, title: String) -> String {
        let duration = DurationText.describe(document.closedAt.timeIntervalSince(document.openedAt))
        let participants = document.participantCounts
        var html = "<header><h1>\(HTMLEscaping.escape(title))</h1>"
        html += "<p class=summary>\(HTMLEscaping.escape(Self.summary(document, duration: duration)))</p><dl>"
        func fact(_ name: String, _ value: String) { html += "<dt>\(name)</dt><dd>\(value)</dd>" }
        fact("Server", HTMLEscaping.escape(document.guildName))
        fact("Ticket", "#\(document.ticketNumber) · #\(HTMLEscaping.escape(document.channelName))")
        if let typeName = document.typeName { fact("Type", HTMLEscaping.escape(typeName)) }
        fact("Opened by", HTMLEscaping.escape(document.opener.name))
        fact("Closed by", HTMLEscaping.escape(document.closer?.name ?? "—"))
        fact("Opened", Self.time(document.openedAt))
        fact("Closed", Self.time(document.closedAt))
        fact("Duration", duration)
        if let reason = document.closeReason, !reason.isEmpty { fact("Reason", HTMLEscaping.escape(reason)) }
        if let claimer = document.claimer { fact("Claimed by", HTMLEscaping.escape(claimer.name)) }
        for note in document.notes.prefix(GuildTickets.maximumNotes) {
            html += TranscriptAudience.staffOnly(
                "<dt>Staff note</dt><dd><b>\(HTMLEscaping.escape(note.author))</b> · \(Self.time(note.at)): \(HTMLEscaping.escape(note.text))</dd>"
            )
        }
        for answer in document.answers.prefix(TicketType.maximumQuestions) {
            fact(HTMLEscaping.escape(answer.question), HTMLEscaping.escape(answer.answer))
        }
        fact(
            "Participants",
            participants.map { "\(HTMLEscaping.escape($0.person.name)) (\($0.messages))" }.joined(separator: ", "))
        html += "</dl><nav><input id=q type=search placeholder=\"Search messages\" aria-label=\"Search messages\">"
        html += "<select id=who aria-label=\"Filter by author\"><option value=\"\">Everyone</option>"
        for entry in participants {
            html += "<option value=\"\(entry.person.id)\">\(HTMLEscaping.escape(entry.person.name))</option>"
        }
        html += "</select></nav></header>"
        return html
    }

    /// One plain sentence a reader (or a search index) gets before any message.
    static func summary(_ document: TranscriptDocument, duration: String) -> String {
        let count = document.messages.count
        let people = document.participantCounts.count
        var text =
            "Ticket #\(document.ticketNumber) in \(document.guildName) was opened by \(document.opener.name) and closed"
        if let closer = document.closer { text += " by \(closer.name)" }
        text += " after \(duration), with \(count) message\(count == 1 ? "" : "s") from \(people) participant"
        text += people == 1 ? "." : "s."
        if let reason = document.closeReason, !reason.isEmpty { text += " Reason: \(reason)" }
        return text
    }

    // MARK: - Messages

    private func groupHeader(for message: TranscriptMessage, in document: TranscriptDocument) -> String {
        let person = document.people[message.authorID]
        let name = person?.name ?? "Unknown user"
        let color = person.map { $0.color != 0 ? " k\(Self.hex($0.color))" : "" } ?? ""
        var html = "<section class=g data-a=\"\(message.authorID)\">"
        html +=
            "<div class=\"av a\(message.authorID.rawValue % 8)\" aria-hidden=true>\(HTMLEscaping.escape(Self.initials(name)))</div>"
        html += "<div class=b><h2><span class=\"n\(color)\">\(HTMLEscaping.escape(name))</span>"
        if person?.isBot == true { html += "<span class=bot>BOT</span>" }
        html += " \(Self.time(message.sentAt))</h2>"
        return html
    }

    private func message(
        _ message: TranscriptMessage, document: TranscriptDocument, markdown: DiscordMarkdown,
        messagesByID: [MessageID: TranscriptMessage]
    ) -> String {
        var html = "<div class=\"m\(message.isDeleted ? " del" : "")\" id=m\(message.id)>"
        if let replyTo = message.replyTo {
            html += "<div class=re>↪ "
            if let original = messagesByID[replyTo] {
                let author = document.people[original.authorID]?.name ?? "Unknown user"
                let preview = original.content.prefix(120)
                html += "<a href=\"#m\(replyTo)\">\(HTMLEscaping.escape(author))</a> "
                html += HTMLEscaping.escape(preview.isEmpty ? "(attachment)" : String(preview))
            } else {
                html += "<i>original message not in this ticket</i>"
            }
            html += "</div>"
        }
        // A deleted message's content, files and embeds, and every earlier version of an edited one, are the
        // staff's record: the member's copy says only that they were there (TranscriptAudience).
        var body = ""
        if !message.content.isEmpty { body += "<div class=c>\(markdown.render(message.content))</div>" }
        if message.isDeleted, !body.isEmpty { html += TranscriptAudience.staffOnly(body) } else { html += body }
        if message.editedAt != nil || !message.previousContents.isEmpty {
            html += "<span class=note title=\"Edited\">(edited)</span>"
            for earlier in message.previousContents {
                html += TranscriptAudience.staffOnly(
                    "<details class=old><summary>earlier version</summary>\(HTMLEscaping.escape(earlier))</details>")
            }
        }
        if message.isDeleted { html += "<span class=note>(deleted)</span>" }
        var extras = ""
        for attachment in message.attachments { extras += Self.attachment(attachment) }
        for embed in message.embeds { extras += Self.embed(embed, markdown: markdown) }
        if message.isDeleted, !extras.isEmpty { html += TranscriptAudience.staffOnly(extras) } else { html += extras }
        let buttons = message.components.flatMap(\.flattened).filter { $0.type == .button }
        if !buttons.isEmpty {
            html += "<div class=cmp>"
            for button in buttons {
                html +=
                    "<span class=btn>\(HTMLEscaping.escape(button.emoji?.name ?? ""))\(button.emoji?.name == nil ? "" : " ")\(HTMLEscaping.escape(button.label ?? ""))</span>"
            }
            html += "</div>"
        }
        return html + "</div>"
    }

    static func attachment(_ attachment: TranscriptMessage.Attachment) -> String {
        let name = HTMLEscaping.escape(attachment.filename)
        var html = "<div class=file>📎 \(name) <span class=note>\(byteCount(attachment.size))</span>"
        guard let data = attachment.inlineData,
            let type = attachment.contentType.map(TranscriptMessage.Attachment.mediaType)
        else { return html + "</div>" }
        if TranscriptMessage.Attachment.keptImageTypes.contains(type) {
            html +=
                "<br><img src=\"data:\(type);base64,\(Data(data).base64EncodedString())\" alt=\"\(name)\" loading=lazy>"
        } else if TranscriptMessage.Attachment.keptTextTypes.contains(type) {
            // Text is shown as escaped text; no other kind of file is ever put in the page (a `data:` link could
            // be navigated to, and an SVG or HTML file could run script).
            let text = String(decoding: data.prefix(TranscriptMessage.Attachment.shownTextBytes), as: UTF8.self)
            html += "<details><summary>Show the file</summary><pre>\(HTMLEscaping.escape(text))</pre></details>"
        }
        return html + "</div>"
    }

    static func embed(_ embed: Embed, markdown: DiscordMarkdown) -> String {
        let color = embed.color.map { " k\(hex(UInt32(truncatingIfNeeded: $0)))" } ?? ""
        var html = "<div class=\"emb\(color.isEmpty ? "" : " bar\(color)")\">"
        if let author = embed.author {
            html += "<div class=ea>\(link(author.name, url: author.url))</div>"
        }
        if let title = embed.title { html += "<div class=et>\(link(title, url: embed.url))</div>" }
        if let description = embed.description { html += "<div class=ed>\(markdown.render(description))</div>" }
        for field in embed.fields ?? [] {
            html += "<div class=ef><b>\(markdown.inline(field.name[...]))</b><br>\(markdown.render(field.value))</div>"
        }
        if let footer = embed.footer { html += "<div class=note>\(HTMLEscaping.escape(footer.text))</div>" }
        return html + "</div>"
    }

    /// Text, linked only when the URL is http(s).
    static func link(_ text: String, url: String?) -> String {
        guard let url, let safe = HTMLEscaping.safeURL(url) else { return HTMLEscaping.escape(text) }
        return "<a href=\"\(safe)\" rel=\"noopener noreferrer nofollow\">\(HTMLEscaping.escape(text))</a>"
    }

    // MARK: - Small formats

    /// A `<time>` with the UTC instant (public for tests of the formatting).
    public static func timeElement(_ date: Date) -> String { time(date) }

    /// A `<time>` with the UTC instant; the inline script shows it in the reader's local time.
    static func time(_ date: Date) -> String {
        let instant = UTCTimestamp.iso8601(date)
        let shown = instant.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
        return "<time datetime=\"\(instant)\">\(shown)</time>"
    }

    static func byteCount(_ bytes: Int) -> String {
        if bytes >= 1_048_576 { return String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        if bytes >= 1_024 { return String(format: "%.0f KB", Double(bytes) / 1_024) }
        return "\(bytes) B"
    }

    static func initials(_ name: String) -> String {
        let words = name.split { !$0.isLetter && !$0.isNumber }
        let letters = words.prefix(2).compactMap(\.first)
        return letters.isEmpty ? "?" : String(letters).uppercased()
    }

    static func hex(_ color: UInt32) -> String {
        let text = String(color & 0xFF_FFFF, radix: 16)
        return String(repeating: "0", count: 6 - text.count) + text
    }
}
