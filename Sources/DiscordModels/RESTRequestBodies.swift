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
    /// The uploaded files (`files[n]` parts), when the message is sent as a multipart form.
    public var attachments: [AttachmentReference]?

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
    /// Type 9's modal, instead of `data`.
    public var modal: Modal?
    /// Type 8's autocomplete choices, instead of `data`.
    public var choices: [CommandChoice]?

    /// A form Discord shows the member (at most five rows of one text input each).
    public struct Modal: Encodable, Sendable, Hashable {
        public var customId: String
        public var title: String
        public var components: [Component]

        public init(customId: String, title: String, components: [Component]) {
            self.customId = customId
            self.title = title
            self.components = components
        }
    }

    public init(type: InteractionCallbackType, data: MessageRequest? = nil) {
        self.type = type
        self.data = data
    }

    public static func modal(_ modal: Modal) -> InteractionResponse {
        var response = InteractionResponse(type: .modal)
        response.modal = modal
        return response
    }

    public static func autocomplete(_ choices: [CommandChoice]) -> InteractionResponse {
        var response = InteractionResponse(type: .autocompleteResult)
        response.choices = choices
        return response
    }

    private enum CodingKeys: String, CodingKey { case type, data }
    private struct ChoicesData: Encodable { var choices: [CommandChoice] }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        if let modal {
            try container.encode(modal, forKey: .data)
        } else if let choices {
            try container.encode(ChoicesData(choices: choices), forKey: .data)
        } else {
            try container.encodeIfPresent(data, forKey: .data)
        }
    }
}

/// An autocomplete suggestion (or a fixed choice) of a command option.
public struct CommandChoice: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
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
