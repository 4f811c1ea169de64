public import DiscordModels
public import Foundation

/// Everything a transcript shows, independent of how it is drawn: the ticket's facts and its messages,
/// including the ones edited or deleted while the ticket was open.
public struct TranscriptDocument: Sendable, Hashable {
    public struct Person: Sendable, Hashable {
        public var id: UserID
        public var name: String
        /// Colour of the person's highest coloured role (0 = none).
        public var color: UInt32
        public var isBot: Bool

        public init(id: UserID, name: String, color: UInt32 = 0, isBot: Bool = false) {
            self.id = id
            self.name = name
            self.color = color
            self.isBot = isBot
        }
    }

    public var guildID: GuildID
    public var guildName: String
    public var ticketNumber: Int
    public var channelName: String
    public var opener: Person
    public var closer: Person?
    public var openedAt: Date
    public var closedAt: Date
    public var closeReason: String?
    /// Oldest first.
    public var messages: [TranscriptMessage]
    /// Everyone who appears, by ID (authors, mentioned users).
    public var people: [UserID: Person]
    /// Names for `<@&role>` and `<#channel>` mentions.
    public var roleNames: [RoleID: String]
    public var channelNames: [ChannelID: String]
    /// The ticket's type and the member's answers to its questions (shown in the header).
    public var typeName: String?
    public var answers: [TicketAnswer] = []
    /// Who claimed it, and the staff's notes (staff-only: a copy for the member leaves them out).
    public var claimer: Person?
    public var notes: [Note] = []

    public struct Note: Sendable, Hashable {
        public var author: String
        public var text: String
        public var at: Date

        public init(author: String, text: String, at: Date) {
            self.author = author
            self.text = text
            self.at = at
        }
    }

    public init(
        guildID: GuildID, guildName: String, ticketNumber: Int, channelName: String, opener: Person, closer: Person?,
        openedAt: Date, closedAt: Date, closeReason: String?, messages: [TranscriptMessage],
        people: [UserID: Person], roleNames: [RoleID: String] = [:], channelNames: [ChannelID: String] = [:]
    ) {
        self.guildID = guildID
        self.guildName = guildName
        self.ticketNumber = ticketNumber
        self.channelName = channelName
        self.opener = opener
        self.closer = closer
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closeReason = closeReason
        self.messages = messages
        self.people = people
        self.roleNames = roleNames
        self.channelNames = channelNames
    }

    /// Messages per author, most active first (deleted messages count: they were said).
    public var participantCounts: [(person: Person, messages: Int)] {
        var counts: [UserID: Int] = [:]
        for message in messages { counts[message.authorID, default: 0] += 1 }
        return counts.compactMap { id, count in people[id].map { ($0, count) } }
            .sorted { ($0.messages, $1.person.name) > ($1.messages, $0.person.name) }
    }
}

/// One message as the transcript shows it.
public struct TranscriptMessage: Sendable, Hashable {
    public struct Attachment: Sendable, Hashable {
        public var filename: String
        public var size: Int
        public var contentType: String?
        /// The file saved at close time, when it fit the ticket's budget (Discord's links expire).
        public var inlineData: [UInt8]?
        /// Where Discord serves it (to fetch it at close), and its ID.
        public var id: AttachmentID?
        public var url: String?

        /// The files a transcript keeps (fetched at close): images shown inline, text shown escaped.
        public static let keptImageTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]
        public static let keptTextTypes: Set<String> = [
            "text/plain", "text/markdown", "text/csv", "text/x-log", "application/json",
        ]
        public static let shownTextBytes = 256 * 1024

        /// `image/png` out of `image/PNG; charset=…`.
        public static func mediaType(_ contentType: String) -> String {
            String(contentType.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }

        /// Whether the transcript keeps this file's bytes (others are listed by name and size).
        public var isKept: Bool {
            guard let type = contentType.map(Self.mediaType) else { return false }
            return Self.keptImageTypes.contains(type) || Self.keptTextTypes.contains(type)
        }

        public init(
            filename: String, size: Int, contentType: String?, inlineData: [UInt8]? = nil, id: AttachmentID? = nil,
            url: String? = nil
        ) {
            self.filename = filename
            self.size = size
            self.contentType = contentType
            self.inlineData = inlineData
            self.id = id
            self.url = url
        }
    }

    public var id: MessageID
    public var authorID: UserID
    public var content: String
    public var sentAt: Date
    public var editedAt: Date?
    /// Earlier versions of `content`, oldest first, as seen on the gateway.
    public var previousContents: [String]
    public var isDeleted: Bool
    public var replyTo: MessageID?
    public var attachments: [Attachment]
    public var embeds: [Embed]
    public var components: [Component]

    public init(
        id: MessageID, authorID: UserID, content: String, sentAt: Date, editedAt: Date? = nil,
        previousContents: [String] = [], isDeleted: Bool = false, replyTo: MessageID? = nil,
        attachments: [Attachment] = [], embeds: [Embed] = [], components: [Component] = []
    ) {
        self.id = id
        self.authorID = authorID
        self.content = content
        self.sentAt = sentAt
        self.editedAt = editedAt
        self.previousContents = previousContents
        self.isDeleted = isDeleted
        self.replyTo = replyTo
        self.attachments = attachments
        self.embeds = embeds
        self.components = components
    }

    /// The transcript's view of a Discord message.
    public init(_ message: Message) {
        self.init(
            id: message.id, authorID: message.author.id, content: message.content,
            sentAt: DiscordTimestamp.date(from: message.timestamp) ?? message.id.date,
            editedAt: message.editedTimestamp.flatMap(DiscordTimestamp.date(from:)),
            replyTo: message.messageReference?.messageId,
            attachments: message.attachments.map {
                Attachment(filename: $0.filename, size: $0.size, contentType: $0.contentType, id: $0.id, url: $0.url)
            },
            embeds: message.embeds, components: message.components ?? [])
    }

    /// Merges the channel's history from REST (what still exists, as it is now) with what the gateway
    /// showed while the ticket was open (edits and deletions REST no longer knows about). Oldest first.
    public static func merge(history: [TranscriptMessage], captured: [TranscriptMessage]) -> [TranscriptMessage] {
        var byID: [MessageID: TranscriptMessage] = [:]
        for message in captured {
            var gone = message
            gone.isDeleted = true  // unless REST still has it, below
            byID[message.id] = gone
        }
        for message in history {
            var merged = message
            if let seen = byID[message.id] {
                merged.previousContents = seen.previousContents
                if merged.content != seen.content, !seen.content.isEmpty,
                    !merged.previousContents.contains(seen.content)
                {
                    merged.previousContents.append(seen.content)
                }
            }
            byID[message.id] = merged
        }
        return byID.values.sorted { $0.id < $1.id }
    }
}
