import DiscordModels
import Foundation
import TicketCore
import Transcripts

extension FuzzTarget {
    static let domainTargets: [FuzzTarget] = [
        FuzzTarget(
            name: "transcript-file",
            summary: "a stored transcript file: its CSP read for the header, its member's copy cut out"
        ) { bytes in
            let header = TranscriptContentSecurity.headerPolicy(for: bytes)
            precondition(!header.contains("unsafe") && !header.contains("*"), "a looser header policy than the file's")
            precondition(
                header.contains("base-uri 'none'") && header.hasPrefix("sandbox "), "a header without its rules")
            let member = TranscriptAudience.memberCopy(of: bytes)
            precondition(member.count <= bytes.count, "the member's copy grew")
            precondition(
                !String(decoding: member, as: UTF8.self).contains("<!--staff-->"), "a staff-only part left in the copy")
        },
        FuzzTarget(
            name: "message-limits", summary: "texts a member typed, fitted into a message within Discord's limits"
        ) { bytes in
            let texts = parts(bytes, count: 4).map { text($0) }
            var embed = Embed(title: texts[0], description: texts[1], footer: .init(text: texts[2]))
            embed.fields = (0..<30).map { index in .init(name: texts[index % 4], value: texts[(index + 1) % 4]) }
            let message = MessageRequest(content: texts[3], embeds: Array(repeating: embed, count: 11))
                .fittingDiscordLimits()
            let embeds = message.embeds ?? []
            precondition((message.content ?? "").unicodeScalars.count <= Message.Limits.content, "content too long")
            precondition(embeds.count <= Embed.Limits.embedsPerMessage, "too many embeds")
            precondition(
                embeds.reduce(0) { $0 + MessageRequest.total(of: $1) } <= Embed.Limits.totalCharacters,
                "embeds beyond 6,000 code points")
        },
        FuzzTarget(name: "markdown", summary: "Discord markdown to HTML (a member's message in a transcript)") {
            bytes in
            let html = DiscordMarkdown().render(text(bytes))
            precondition(!html.contains("<script"), "markdown let a script tag through")
        },
        FuzzTarget(name: "transcript", summary: "a REST message history (JSON array) rendered to a transcript") {
            bytes in
            guard let history = try? DiscordJSON.decode([Message].self, from: Data(bytes)), !history.isEmpty else {
                return
            }
            let messages = history.prefix(200).map(TranscriptMessage.init)
            var people: [UserID: TranscriptDocument.Person] = [:]
            for message in history.prefix(200) {
                people[message.author.id] = .init(id: message.author.id, name: message.author.displayName)
            }
            let opener = TranscriptDocument.Person(id: history[0].author.id, name: history[0].author.displayName)
            let document = TranscriptDocument(
                guildID: 1, guildName: "fuzz", ticketNumber: 1, channelName: "ticket", opener: opener, closer: nil,
                openedAt: messages.map(\.sentAt).min() ?? Date(), closedAt: messages.map(\.sentAt).max() ?? Date(),
                closeReason: nil, messages: TranscriptMessage.merge(history: Array(messages), captured: []),
                people: people)
            let html = TranscriptRenderer().render(document)
            precondition(!html.contains("<script>alert"), "a message reached the page unescaped")
        },
        FuzzTarget(
            name: "transcript-search",
            summary: "a search typed on the dashboard, then a transcript's text cut into words and snippets"
        ) { bytes in
            let parts = parts(bytes, count: 2)
            let words = TranscriptSearch.queryWords(text(parts[0]))
            precondition(words.count <= TranscriptSearch.maximumQueryWords, "a search asked for too many words")
            precondition(
                words.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber } },
                "a search word holds query syntax or a key's hash tag")
            let stored = TranscriptSearch.bounded(text(parts[1]))
            precondition(stored.utf8.count <= TranscriptSearch.maximumTextBytes, "stored text over its budget")
            _ = TranscriptSearch.words(in: stored)
            if let snippet = TranscriptSearch.snippet(of: stored, words: words) {
                _ = TranscriptSearch.highlighted(snippet, words: words)
            }
        },
        FuzzTarget(
            name: "staff-command",
            summary: "a /ticket interaction's data (JSON), then the staff rules applied to a ticket"
        ) { bytes in
            guard let data = try? DiscordJSON.decode(InteractionData.self, from: Data(bytes)),
                let command = StaffCommand(data)
            else { return }
            var tickets = GuildTickets()
            let now = Date(timeIntervalSince1970: 1_750_000_000)
            guard
                case .create(let opening) = tickets.requestOpen(
                    type: tickets.config.defaultType, openerID: 5, openerName: "fuzz", interaction: nil, now: now)
            else { return }
            _ = tickets.confirmChannel(number: opening.number, channelID: 9, name: "ticket")
            var recorded: [StaffAction] = []
            for offset in 0..<3 {
                let decision = tickets.recordStaffAction(
                    command, guildID: 1, inChannel: 9, by: 6, actorIsStaff: true, targetIsStaff: true,
                    actionID: InteractionID(UInt64(offset + 1)), now: now.addingTimeInterval(Double(offset)))
                if case .recorded(let action, _) = decision { recorded.append(action) }
            }
            // Discord refusing them: each is taken back, in any order, twice.
            for action in recorded.reversed() + recorded { tickets.takeBack(action, number: opening.number) }
            if case .closeRequest(let reason) = command {
                _ = tickets.recordCloseRequest(inChannel: 9, by: 6, actorIsStaff: true, reason: reason, id: 7, now: now)
                _ = tickets.answerCloseRequest(inChannel: 9, by: 5, accept: reason == nil, now: now)
            }
            precondition(tickets.storedValueProblem == nil, "a staff command left the record out of bounds")
            _ = GuildTicketsCodec.encode(tickets)
        },
        FuzzTarget(name: "snapshot-codec", summary: "a stored guild snapshot, then the rules run on it") { bytes in
            guard var tickets = try? GuildTicketsCodec.decode(bytes, guildID: 1) else { return }
            // A snapshot that loads must be safe to work with: open, reconcile, close, analytics.
            let now = Date(timeIntervalSince1970: 1_750_000_000)
            for type in tickets.config.types {
                _ = tickets.requestOpen(type: type, openerID: 9, openerName: "fuzz", interaction: nil, now: now)
            }
            _ = tickets.reconcile(
                channels: tickets.tickets.compactMap { ticket in
                    ticket.channelID.map { (id: $0, name: ticket.channelName, marker: nil) }
                }, now: now)
            // Stored pending staff actions (a reopen's close among them) taken back as if Discord refused them.
            for ticket in tickets.tickets {
                for action in ticket.pendingStaffActions ?? [] { tickets.takeBack(action, number: ticket.number) }
            }
            for ticket in tickets.tickets {
                _ = tickets.requestClose(
                    inChannel: ticket.channelID ?? 0, closerID: 9, closerIsStaff: true, reason: nil, now: now)
                _ = tickets.markClosed(number: ticket.number, now: now)
            }
            _ = tickets.analytics.medianResolutionSeconds
            _ = tickets.dueReminders(now: now)
            _ = tickets.nextAutomaticClose
            _ = tickets.closeDueTickets(now: now)
            _ = GuildTicketsCodec.encode(tickets)
        },
        FuzzTarget(name: "ticket-marker", summary: "channel-topic markers, custom IDs, timestamps and outside numbers")
        {
            bytes in
            let value = text(bytes)
            if let component = TicketComponentID(value) {
                precondition(TicketComponentID(component.customID) == component, "a custom ID that does not round-trip")
            }
            if let marker = TicketMarker(topic: value) {
                precondition((1...Ticket.maximumNumber).contains(marker.ticketNumber), "marker number out of range")
            }
            if let date = DiscordTimestamp.date(from: value) { _ = DiscordTimestamp.string(from: date) }
            _ = OutsideNumber.clampedInteger(value, to: Int.min...Int.max)
            if let decimal = OutsideNumber.clampedDecimal(value, to: -1e300...1e300) {
                _ = OutsideNumber.clampedInteger(decimal, to: Int64.min...Int64.max)
                _ = OutsideNumber.duration(seconds: decimal, maximum: .seconds(86_400))
                _ = OutsideNumber.milliseconds(since1970: Date(timeIntervalSince1970: decimal))
                _ = UTCDateTime(Date(timeIntervalSince1970: decimal))
            }
            _ = TicketChannelName.render(template: value, username: value, number: bytes.count)
        },
    ]
}
