/// `POST /guilds/{guild}/channels`.
public struct CreateChannelRequest: Encodable, Sendable {
    public var name: String
    public var type: ChannelType
    public var topic: String?
    public var parentId: ChannelID?
    public var permissionOverwrites: [PermissionOverwrite]?

    public init(
        name: String, type: ChannelType = .guildText, topic: String? = nil, parentID: ChannelID? = nil,
        permissionOverwrites: [PermissionOverwrite]? = nil
    ) {
        self.name = name
        self.type = type
        self.topic = topic
        self.parentId = parentID
        self.permissionOverwrites = permissionOverwrites
    }
}

/// Which mentions in a message actually notify.
public struct AllowedMentions: Encodable, Sendable {
    public var parse: [String]
    public var users: [UserID]?
    public var roles: [RoleID]?

    public init(parse: [String] = [], users: [UserID]? = nil, roles: [RoleID]? = nil) {
        self.parse = parse
        self.users = users
        self.roles = roles
    }
}

/// A message to create or edit, in a channel or as an interaction response.
public struct MessageRequest: Encodable, Sendable {
    public var content: String?
    public var embeds: [Embed]?
    public var components: [Component]?
    public var flags: MessageFlags?
    public var allowedMentions: AllowedMentions?
    /// At most 25 characters. With `enforceNonce`, Discord returns the message already created with this nonce
    /// by the bot in the last few minutes instead of creating another: a retried post is not doubled.
    public var nonce: String?
    public var enforceNonce: Bool?

    public init(
        content: String? = nil, embeds: [Embed]? = nil, components: [Component]? = nil, flags: MessageFlags? = nil,
        allowedMentions: AllowedMentions? = nil, nonce: String? = nil
    ) {
        self.nonce = nonce
        self.enforceNonce = nonce == nil ? nil : true
        self.content = content
        self.embeds = embeds
        self.components = components
        self.flags = flags
        self.allowedMentions = allowedMentions
    }
}

/// `POST /interactions/{id}/{token}/callback`.
public struct InteractionResponse: Encodable, Sendable {
    public var type: InteractionCallbackType
    public var data: MessageRequest?

    public init(type: InteractionCallbackType, data: MessageRequest? = nil) {
        self.type = type
        self.data = data
    }
}

/// Where to anchor a page of message history.
public enum MessageAnchor: Sendable {
    case before(MessageID)
    case after(MessageID)
    case around(MessageID)
}

/// `PATCH /channels/{channel}`: only the fields set are changed.
public struct ModifyChannelRequest: Encodable, Sendable {
    public var name: String?
    public var topic: String?
    public var parentId: ChannelID?
    public var permissionOverwrites: [PermissionOverwrite]?

    public init(
        name: String? = nil, topic: String? = nil, parentID: ChannelID? = nil,
        permissionOverwrites: [PermissionOverwrite]? = nil
    ) {
        self.name = name
        self.topic = topic
        self.parentId = parentID
        self.permissionOverwrites = permissionOverwrites
    }
}

/// The answer of the OAuth2 token endpoint.
public struct OAuthToken: Decodable, Sendable, Equatable {
    public var accessToken: String
    public var tokenType: String
    public var expiresIn: Int
    public var refreshToken: String?
    public var scope: String
}
