extension TranscriptDocument {
    /// What the dashboard's search looks through, one line per item, in the order the transcript shows them:
    /// the ticket's name, type, people and close reason, the member's answers, then every message as
    /// "author: text" (earlier versions of edited messages, deleted messages, embeds and file names included,
    /// because the transcript shows them). Cut to `TranscriptSearch.maximumTextBytes`.
    public var searchText: String {
        var lines = ["#\(ticketNumber) \(channelName)", "Opened by \(opener.name)"]
        if let typeName { lines.append("Type: \(typeName)") }
        if let closer { lines.append("Closed by \(closer.name)") }
        if let closeReason, !closeReason.isEmpty { lines.append("Reason: \(closeReason)") }
        for answer in answers { lines.append("\(answer.question): \(answer.answer)") }
        if let claimer { lines.append("Claimed by \(claimer.name)") }
        for note in notes {
            lines.append(
                "Staff note by \(note.author): " + note.text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        var size = lines.reduce(0) { $0 + $1.utf8.count }
        for message in messages where size < TranscriptSearch.maximumTextBytes {
            let author = people[message.authorID]?.name ?? "User \(message.authorID)"
            var parts = message.previousContents + [message.content]
            for embed in message.embeds {
                parts += [embed.title, embed.description].compactMap { $0 }
                parts += (embed.fields ?? []).map { "\($0.name): \($0.value)" }
            }
            parts += message.attachments.map(\.filename)
            for part in parts where !part.isEmpty {
                // A message's own line breaks stay inside its line, so a snippet names its author.
                let line = "\(author): " + part.split(whereSeparator: \.isNewline).joined(separator: " ")
                lines.append(line)
                size += line.utf8.count + 1
            }
        }
        return TranscriptSearch.bounded(lines.joined(separator: "\n"))
    }
}
