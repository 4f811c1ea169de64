/// A member of a guild. `user` is absent in MESSAGE_CREATE's partial member; `permissions` is present only
/// in interactions, where it holds the member's computed permissions in the channel.
public struct GuildMember: Codable, Sendable, Hashable {
    public var user: User?
    @Nullable public var nick: String?
    @Nullable public var avatar: String?
    @Nullable public var banner: String?
    public var roles: [RoleID]
    public var joinedAt: String
    @Nullable public var premiumSince: String?
    public var deaf: Bool?
    public var mute: Bool?
    public var flags: Int?
    public var pending: Bool?
    public var permissions: Permissions?
    @Nullable public var communicationDisabledUntil: String?

    public init(user: User?, nick: String? = nil, roles: [RoleID], joinedAt: String) {
        self.user = user
        self.nick = nick
        self.roles = roles
        self.joinedAt = joinedAt
        self.deaf = false
        self.mute = false
        self.flags = 0
        self.pending = false
    }
}
