/// What the bot keeps of a guild from GUILD_CREATE, kept small on purpose (one per guild, tens of
/// thousands per process): roles and channels with their overwrites, as plain numbers and short strings.
/// Enough for permission checks, the dashboard's dropdowns and reconciling ticket channels.
public struct GuildSnapshot: Sendable, Hashable {
    public struct RoleEntry: Sendable, Hashable {
        public var id: RoleID
        public var permissions: Permissions
        public var position: Int32
        public var color: UInt32
        public var name: String

        public init(id: RoleID, permissions: Permissions, position: Int32, color: UInt32, name: String) {
            self.id = id
            self.permissions = permissions
            self.position = position
            self.color = color
            self.name = name
        }
    }

    public struct ChannelEntry: Sendable, Hashable {
        public var id: ChannelID
        public var parentID: ChannelID?
        public var type: UInt8
        public var position: Int32
        public var name: String
        /// Only the topic marker matters to the bot; other topics are not kept.
        public var topic: String?
        public var overwrites: [PermissionOverwrite]

        public init(
            id: ChannelID, parentID: ChannelID?, type: UInt8, position: Int32, name: String, topic: String?,
            overwrites: [PermissionOverwrite]
        ) {
            self.id = id
            self.parentID = parentID
            self.type = type
            self.position = position
            self.name = name
            self.topic = topic
            self.overwrites = overwrites
        }
    }

    public var id: GuildID
    public var name: String
    public var ownerID: UserID
    public var memberCount: Int32
    public var roles: [RoleEntry]
    public var channels: [ChannelEntry]

    public init(
        id: GuildID, name: String, ownerID: UserID, memberCount: Int32, roles: [RoleEntry], channels: [ChannelEntry]
    ) {
        self.id = id
        self.name = name
        self.ownerID = ownerID
        self.memberCount = memberCount
        self.roles = roles
        self.channels = channels
    }

    public func role(_ id: RoleID) -> RoleEntry? { roles.first { $0.id == id } }
    public func channel(_ id: ChannelID) -> ChannelEntry? { channels.first { $0.id == id } }

    /// A member's permissions in a channel, by Discord's algorithm.
    public func permissions(of userID: UserID, roles memberRoles: [RoleID], in channelID: ChannelID) -> Permissions {
        let base = PermissionCalculator.basePermissions(
            guildID: id, ownerID: ownerID, userID: userID, memberRoleIDs: memberRoles,
            rolePermissions: { role($0)?.permissions })
        guard let channel = channel(channelID) else { return base }
        return PermissionCalculator.channelPermissions(
            base: base, guildID: id, userID: userID, memberRoleIDs: memberRoles, overwrites: channel.overwrites)
    }
}
