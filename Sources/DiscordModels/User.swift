/// A Discord user (`resources/user.mdx`).
public struct User: Codable, Sendable, Hashable {
    public var id: UserID
    public var username: String
    public var discriminator: String
    @Nullable public var globalName: String?
    @Nullable public var avatar: String?
    public var bot: Bool?
    public var system: Bool?
    public var publicFlags: Int?
    public var flags: Int?
    /// The server tag a user shows, or `null` (Discord always sends the key).
    @Nullable public var primaryGuild: PrimaryGuild?
    /// Only on the current user (`GET /users/@me`, READY): whether two-factor authentication is on.
    public var mfaEnabled: Bool?
    /// Only on the current user: the chosen language.
    public var locale: String?
    /// Only on the current user: whether the email address is verified.
    public var verified: Bool?

    /// A user's primary guild (server tag).
    public struct PrimaryGuild: Codable, Sendable, Hashable {
        @Nullable public var identityGuildId: GuildID?
        @Nullable public var identityEnabled: Bool?
        @Nullable public var tag: String?
        @Nullable public var badge: String?
    }

    public init(
        id: UserID, username: String, discriminator: String = "0", globalName: String? = nil,
        avatar: String? = nil, bot: Bool? = nil, publicFlags: Int? = 0
    ) {
        self.id = id
        self.username = username
        self.discriminator = discriminator
        self.globalName = globalName
        self.avatar = avatar
        self.bot = bot
        self.publicFlags = publicFlags
        self.flags = publicFlags
    }

    /// The same user as Discord shows it to themselves: with the current-user fields.
    public var asCurrentUser: User {
        var user = self
        user.mfaEnabled = user.mfaEnabled ?? false
        user.locale = user.locale ?? "en-US"
        user.verified = user.verified ?? true
        return user
    }

    /// The name Discord shows: the global display name when set, else the username.
    public var displayName: String { globalName ?? username }
}
