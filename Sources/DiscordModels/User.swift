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
    }

    /// The name Discord shows: the global display name when set, else the username.
    public var displayName: String { globalName ?? username }
}
