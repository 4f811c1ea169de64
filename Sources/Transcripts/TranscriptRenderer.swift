import Foundation
public import TicketCore

/// Renders a transcript document to one self-contained HTML file: inline CSS, no external requests, every
/// user-controlled string escaped for its context.
public struct TranscriptRenderer: Sendable {
    public init() {}

    public func render(_ document: TranscriptDocument) -> String {
        var html = ""
        html.reserveCapacity(2_048 + document.messages.count * 300)
        let title = "Ticket #\(document.ticketNumber) · \(document.channelName) · \(document.guildName)"
        html += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        html += "<title>\(HTMLEscaping.escape(title))</title><style>\(Self.style)</style></head><body>"
        html += "<header><h1>\(HTMLEscaping.escape(title))</h1><dl>"
        func fact(_ name: String, _ value: String) { html += "<dt>\(name)</dt><dd>\(value)</dd>" }
        fact("Opened by", HTMLEscaping.escape(document.opener.name))
        fact("Closed by", HTMLEscaping.escape(document.closer?.name ?? "—"))
        fact("Opened", Self.time(document.openedAt))
        fact("Closed", Self.time(document.closedAt))
        fact("Duration", Self.duration(document.closedAt.timeIntervalSince(document.openedAt)))
        if let reason = document.closeReason { fact("Reason", HTMLEscaping.escape(reason)) }
        let participants = document.participantCounts.map {
            "\(HTMLEscaping.escape($0.person.name)) (\($0.messages))"
        }
        fact("Participants", participants.joined(separator: ", "))
        html += "</dl></header><main>"
        for message in document.messages {
            let author = document.people[message.authorID]
            let name = author?.name ?? "Unknown user \(message.authorID)"
            html += "<article id=\"m\(message.id)\"\(message.isDeleted ? " class=\"deleted\"" : "")>"
            html += "<h2>\(HTMLEscaping.escape(name))"
            if author?.isBot == true { html += " <span class=\"tag\">BOT</span>" }
            html += " \(Self.time(message.sentAt))"
            if message.editedAt != nil { html += " <span class=\"note\">(edited)</span>" }
            if message.isDeleted { html += " <span class=\"note\">(deleted)</span>" }
            html += "</h2>"
            if !message.content.isEmpty { html += "<p>\(HTMLEscaping.escape(message.content))</p>" }
            for attachment in message.attachments {
                html += "<p class=\"file\">\(HTMLEscaping.escape(attachment.filename)) (\(attachment.size) bytes)</p>"
            }
            for embed in message.embeds {
                html += "<blockquote>"
                if let title = embed.title { html += "<strong>\(HTMLEscaping.escape(title))</strong><br>" }
                if let description = embed.description { html += HTMLEscaping.escape(description) }
                html += "</blockquote>"
            }
            html += "</article>"
        }
        html += "</main></body></html>"
        return html
    }

    static func time(_ date: Date) -> String {
        let text = ISO8601DateFormatter().string(from: date)
        return "<time datetime=\"\(text)\">\(text.replacingOccurrences(of: "T", with: " "))</time>"
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds))
        let days = total / 86_400
        let hours = total % 86_400 / 3_600
        let minutes = total % 3_600 / 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        return minutes > 0 ? "\(minutes) min \(total % 60) s" : "\(total) s"
    }

    static let style = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#2e3338;--muted:#747f8d}\
        @media (prefers-color-scheme:dark){:root{--bg:#313338;--fg:#dbdee1;--muted:#949ba4}}\
        body{margin:0 auto;max-width:60rem;padding:1rem;background:var(--bg);color:var(--fg);\
        font:15px/1.4 system-ui,sans-serif}h1{font-size:1.3rem}dt{font-weight:600;float:left;clear:left;\
        width:8rem}dd{margin-left:8rem}article{padding:.3rem 0}h2{font-size:1rem;margin:0}\
        p{margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere}.deleted{opacity:.6}\
        .note,time{color:var(--muted);font-weight:400;font-size:.8rem}.tag{background:#5865f2;color:#fff;\
        font-size:.7rem;padding:0 .3rem;border-radius:3px}blockquote{border-left:4px solid var(--muted);\
        margin:.3rem 0;padding:.2rem .6rem}
        """
}
