/// Message flags used by the bot (`resources/message.mdx`).
public struct MessageFlags: OptionSet, Codable, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let suppressEmbeds = MessageFlags(rawValue: 1 << 2)
    public static let ephemeral = MessageFlags(rawValue: 1 << 6)
    public static let loading = MessageFlags(rawValue: 1 << 7)
    public static let suppressNotifications = MessageFlags(rawValue: 1 << 12)
    public static let isVoiceMessage = MessageFlags(rawValue: 1 << 13)
    public static let isComponentsV2 = MessageFlags(rawValue: 1 << 15)
}

/// A file attached to a message.
public struct Attachment: Codable, Sendable, Hashable {
    public var id: AttachmentID
    public var filename: String
    public var size: Int
    public var url: String
    public var proxyUrl: String
    public var contentType: String?
    /// Images only; Discord leaves both out for other files.
    public var width: Int?
    public var height: Int?

    public init(id: AttachmentID, filename: String, size: Int, url: String, contentType: String? = nil) {
        self.id = id
        self.filename = filename
        self.size = size
        self.url = url
        self.proxyUrl = url
        self.contentType = contentType
    }
}

/// Points at the message a reply answers.
public struct MessageReference: Codable, Sendable, Hashable {
    public var type: Int?
    public var messageId: MessageID?
    public var channelId: ChannelID?
    public var guildId: GuildID?
    public var failIfNotExists: Bool?

    public init(messageId: MessageID?, channelId: ChannelID?, guildId: GuildID?) {
        self.type = 0
        self.messageId = messageId
        self.channelId = channelId
        self.guildId = guildId
    }
}

/// A message (`resources/message.mdx`). Keys Discord always sends are always encoded, `null` included.
public struct Message: Codable, Sendable, Hashable {
    public var id: MessageID
    public var channelId: ChannelID
    public var author: User
    public var content: String
    public var timestamp: String
    @Nullable public var editedTimestamp: String?
    public var tts: Bool
    public var mentionEveryone: Bool
    public var mentions: [User]
    public var mentionRoles: [RoleID]
    public var attachments: [Attachment]
    public var embeds: [Embed]
    public var pinned: Bool
    public var type: Int
    public var flags: MessageFlags?
    public var components: [Component]?
    public var applicationId: ApplicationID?
    public var webhookId: Snowflake<ApplicationEntity>?
    public var messageReference: MessageReference?
    public var nonce: String?
    /// Gateway-only: the guild of a MESSAGE_CREATE/UPDATE.
    public var guildId: GuildID?
    /// Gateway-only: the author's partial member (no `user` key).
    public var member: GuildMember?

    public init(
        id: MessageID, channelId: ChannelID, author: User, content: String, timestamp: String,
        embeds: [Embed] = [], components: [Component] = [], type: Int = 0, flags: MessageFlags = []
    ) {
        self.id = id
        self.channelId = channelId
        self.author = author
        self.content = content
        self.timestamp = timestamp
        self.editedTimestamp = nil
        self.tts = false
        self.mentionEveryone = false
        self.mentions = []
        self.mentionRoles = []
        self.attachments = []
        self.embeds = embeds
        self.pinned = false
        self.type = type
        self.flags = flags
        self.components = components
    }

    /// A deferred interaction response still "thinking…": a placeholder with nothing of its own until it is
    /// edited into the real answer.
    public var isLoadingPlaceholder: Bool { flags?.contains(.loading) == true }

    /// Discord's limits on what a message may carry.
    public enum Limits {
        public static let content = 2000
        public static let nonce = 25
        public static let actionRows = 5
        public static let buttonsPerRow = 5
        public static let customId = 100
        public static let buttonLabel = 80
        public static let linkURL = 512
    }
}
