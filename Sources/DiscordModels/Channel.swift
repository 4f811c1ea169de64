/// A channel type. Unknown future types decode as themselves.
public struct ChannelType: RawRepresentable, Codable, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let guildText = ChannelType(rawValue: 0)
    public static let directMessage = ChannelType(rawValue: 1)
    public static let guildVoice = ChannelType(rawValue: 2)
    public static let groupDirectMessage = ChannelType(rawValue: 3)
    public static let guildCategory = ChannelType(rawValue: 4)
    public static let guildAnnouncement = ChannelType(rawValue: 5)
    public static let guildForum = ChannelType(rawValue: 15)

    /// Text and announcement channels, whose names Discord lowercases and dash-joins.
    public var hasNormalizedName: Bool { self == .guildText || self == .guildAnnouncement }
}

/// A permission overwrite on a channel: `type` 0 targets a role, 1 a member.
public struct PermissionOverwrite: Codable, Sendable, Hashable {
    public enum TargetType: Int, Codable, Sendable {
        case role = 0
        case member = 1
    }

    public var id: MentionableID
    public var type: TargetType
    public var allow: Permissions
    public var deny: Permissions

    public init(id: MentionableID, type: TargetType, allow: Permissions = [], deny: Permissions = []) {
        self.id = id
        self.type = type
        self.allow = allow
        self.deny = deny
    }

    public static func role(_ id: RoleID, allow: Permissions = [], deny: Permissions = []) -> Self {
        Self(id: id.converted(), type: .role, allow: allow, deny: deny)
    }

    public static func member(_ id: UserID, allow: Permissions = [], deny: Permissions = []) -> Self {
        Self(id: id.converted(), type: .member, allow: allow, deny: deny)
    }
}

/// A guild channel (`resources/channel.mdx`), the subset of fields text channels and categories carry.
public struct Channel: Codable, Sendable, Hashable {
    public var id: ChannelID
    public var type: ChannelType
    public var guildId: GuildID?
    public var position: Int?
    public var permissionOverwrites: [PermissionOverwrite]?
    public var name: String?
    @Nullable public var topic: String?
    public var nsfw: Bool?
    @Nullable public var lastMessageId: MessageID?
    public var rateLimitPerUser: Int?
    @Nullable public var parentId: ChannelID?
    @Nullable public var lastPinTimestamp: String?
    public var flags: Int?

    public init(
        id: ChannelID, type: ChannelType, guildId: GuildID?, position: Int, name: String,
        permissionOverwrites: [PermissionOverwrite] = [], topic: String? = nil, parentId: ChannelID? = nil
    ) {
        self.id = id
        self.type = type
        self.guildId = guildId
        self.position = position
        self.permissionOverwrites = permissionOverwrites
        self.name = name
        self.topic = topic
        self.nsfw = false
        self.lastMessageId = nil
        self.rateLimitPerUser = 0
        self.parentId = parentId
        self.lastPinTimestamp = nil
        self.flags = 0
    }
}
