/// A guild as GUILD_CREATE carries it: the guild object plus the gateway-only extras (`channels`,
/// `members`, `member_count`, …). When `unavailable` is true only `id` is meaningful.
public struct Guild: Codable, Sendable, Hashable {
    public var id: GuildID
    public var name: String?
    @Nullable public var icon: String?
    public var ownerId: UserID?
    public var roles: [Role]?
    public var features: [String]?
    public var preferredLocale: String?
    public var joinedAt: String?
    public var large: Bool?
    public var unavailable: Bool?
    public var memberCount: Int?
    public var members: [GuildMember]?
    public var channels: [Channel]?
    public var threads: [Channel]?

    public init(id: GuildID, unavailable: Bool) {
        self.id = id
        self.unavailable = unavailable
    }

    public init(
        id: GuildID, name: String, ownerId: UserID, roles: [Role], channels: [Channel], members: [GuildMember],
        memberCount: Int, joinedAt: String
    ) {
        self.id = id
        self.name = name
        self.icon = nil
        self.ownerId = ownerId
        self.roles = roles
        self.features = []
        self.preferredLocale = "en-US"
        self.joinedAt = joinedAt
        self.large = memberCount > 250
        self.unavailable = false
        self.memberCount = memberCount
        self.members = members
        self.channels = channels
        self.threads = []
    }
}

/// An entry of `GET /users/@me/guilds`: the current user's view of a guild.
public struct PartialGuild: Codable, Sendable, Hashable {
    public var id: GuildID
    public var name: String
    @Nullable public var icon: String?
    @Nullable public var banner: String?
    public var owner: Bool
    public var permissions: Permissions
    public var features: [String]

    public init(id: GuildID, name: String, owner: Bool, permissions: Permissions) {
        self.id = id
        self.name = name
        self.owner = owner
        self.permissions = permissions
        self.features = []
    }
}
