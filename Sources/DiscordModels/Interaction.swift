/// The kind of interaction: 1 ping, 2 application command, 3 message component, 4 autocomplete, 5 modal submit.
public struct InteractionType: RawRepresentable, Codable, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let ping = InteractionType(rawValue: 1)
    public static let applicationCommand = InteractionType(rawValue: 2)
    public static let messageComponent = InteractionType(rawValue: 3)
    public static let autocomplete = InteractionType(rawValue: 4)
    public static let modalSubmit = InteractionType(rawValue: 5)
}

/// How an interaction is answered (`POST /interactions/{id}/{token}/callback`).
public struct InteractionCallbackType: RawRepresentable, Codable, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let pong = InteractionCallbackType(rawValue: 1)
    public static let channelMessageWithSource = InteractionCallbackType(rawValue: 4)
    public static let deferredChannelMessageWithSource = InteractionCallbackType(rawValue: 5)
    public static let deferredUpdateMessage = InteractionCallbackType(rawValue: 6)
    public static let updateMessage = InteractionCallbackType(rawValue: 7)
    public static let autocompleteResult = InteractionCallbackType(rawValue: 8)
    public static let modal = InteractionCallbackType(rawValue: 9)
}

/// One option of a slash command invocation.
public struct InteractionOption: Codable, Sendable, Hashable {
    public var name: String
    public var type: Int
    public var value: JSONScalar?
    public var options: [InteractionOption]?
    public var focused: Bool?

    public init(name: String, type: Int, value: JSONScalar?) {
        self.name = name
        self.type = type
        self.value = value
    }
}

/// A string, number or boolean, as option values are.
public enum JSONScalar: Codable, Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

/// `data` of an interaction: command fields for types 2/4, component fields for type 3, modal fields for 5.
public struct InteractionData: Codable, Sendable, Hashable {
    public var id: CommandID?
    public var name: String?
    public var type: Int?
    public var options: [InteractionOption]?
    public var guildId: GuildID?
    public var targetId: MentionableID?
    public var customId: String?
    public var componentType: ComponentType?
    public var values: [String]?
    public var components: [Component]?
    /// The users, members and roles that options name, as Discord resolves them.
    public var resolved: ResolvedData?

    public init() {}
}

/// `resolved` of an interaction: what the IDs in its options refer to (members without their `user`).
public struct ResolvedData: Codable, Sendable, Hashable {
    public var users: [String: User]?
    public var members: [String: GuildMember]?
    public var roles: [String: Role]?

    public init(users: [String: User]? = nil, members: [String: GuildMember]? = nil, roles: [String: Role]? = nil) {
        self.users = users
        self.members = members
        self.roles = roles
    }
}

/// An interaction (`INTERACTION_CREATE`), as Discord sends it.
public struct Interaction: Codable, Sendable, Hashable {
    public struct PartialChannel: Codable, Sendable, Hashable {
        public var id: ChannelID
        public var type: ChannelType
        public var name: String?
        public var guildId: GuildID?

        public init(id: ChannelID, type: ChannelType, name: String?, guildId: GuildID?) {
            self.id = id
            self.type = type
            self.name = name
            self.guildId = guildId
        }
    }

    public struct PartialGuildReference: Codable, Sendable, Hashable {
        public var id: GuildID
        public var locale: String
        public var features: [String]

        public init(id: GuildID) {
            self.id = id
            self.locale = "en-US"
            self.features = []
        }
    }

    public var id: InteractionID
    public var applicationId: ApplicationID
    public var type: InteractionType
    public var data: InteractionData?
    public var guild: PartialGuildReference?
    public var guildId: GuildID?
    public var channel: PartialChannel?
    public var channelId: ChannelID?
    public var member: GuildMember?
    public var user: User?
    public var token: String
    public var version: Int
    public var message: Message?
    public var appPermissions: Permissions
    public var locale: String?
    public var guildLocale: String?
    public var entitlements: [JSONScalar]
    public var authorizingIntegrationOwners: [String: String]
    public var context: Int?
    public var attachmentSizeLimit: Int

    public init(
        id: InteractionID, applicationId: ApplicationID, type: InteractionType, data: InteractionData?,
        guildId: GuildID?, channel: PartialChannel?, member: GuildMember?, token: String, message: Message?,
        appPermissions: Permissions
    ) {
        self.id = id
        self.applicationId = applicationId
        self.type = type
        self.data = data
        self.guild = guildId.map(PartialGuildReference.init(id:))
        self.guildId = guildId
        self.channel = channel
        self.channelId = channel?.id
        self.member = member
        self.token = token
        self.version = 1
        self.message = message
        self.appPermissions = appPermissions
        self.locale = "en-US"
        self.guildLocale = "en-US"
        self.entitlements = []
        self.authorizingIntegrationOwners = guildId.map { ["0": $0.description] } ?? [:]
        self.context = guildId == nil ? 1 : 0
        self.attachmentSizeLimit = 10_485_760
    }

    /// The user who acted, whether in a guild (`member.user`) or a DM (`user`).
    public var invoker: User? { member?.user ?? user }
}

/// An application command as registered (`interactions/application-commands.mdx`).
public struct ApplicationCommand: Codable, Sendable, Hashable {
    public var id: CommandID?
    public var applicationId: ApplicationID?
    public var version: Snowflake<CommandEntity>?
    public var type: Int?
    public var name: String
    public var description: String
    /// `null` (not left out) when every member may use the command, as Discord writes it.
    @Nullable public var defaultMemberPermissions: Permissions?
    public var contexts: [Int]?
    public var integrationTypes: [Int]?
    public var nsfw: Bool?
    public var options: [Option]?

    /// A parameter of a slash command, or one of its subcommands (`OptionType`).
    public struct Option: Codable, Sendable, Hashable {
        public var type: Int
        public var name: String
        public var description: String
        public var required: Bool?
        public var autocomplete: Bool?
        /// A subcommand's own parameters.
        public var options: [Option]?
        /// Bounds of a string parameter.
        public var minLength: Int?
        public var maxLength: Int?

        public init(
            type: Int = OptionType.string, name: String, description: String, required: Bool = false,
            autocomplete: Bool = false, options: [Option]? = nil, minLength: Int? = nil, maxLength: Int? = nil
        ) {
            self.type = type
            self.name = name
            self.description = description
            // Discord leaves `required` and `autocomplete` out where they mean nothing; so do we, so that a
            // registered command reads back exactly as it was sent.
            self.required = required ? true : nil
            self.autocomplete = autocomplete ? true : nil
            self.options = options
            self.minLength = minLength
            self.maxLength = maxLength
        }
    }

    /// `application-command-option-type` values.
    public enum OptionType {
        public static let subcommand = 1
        public static let string = 3
        public static let integer = 4
        public static let user = 6
        public static let role = 7
        public static let mentionable = 9
    }

    public init(name: String, description: String, defaultMemberPermissions: Permissions?) {
        self.type = 1
        self.name = name
        self.description = description
        self.defaultMemberPermissions = defaultMemberPermissions
    }
}
