import DiscordModels
import Foundation

/// A member as the emulator stores it; the user object lives once in `EmulatorState.users`.
struct EmulatedMember: Sendable {
    var userID: UserID
    var nick: String?
    var roles: [RoleID]
    var joinedAt: String
}

/// One guild the emulated bot is in: its roles, members and channels.
struct EmulatedGuild: Sendable {
    var id: GuildID
    var name: String
    var ownerID: UserID
    var roles: [RoleID: Role]
    var members: [UserID: EmulatedMember]
    var channels: [ChannelID: Channel]
    var joinedAt: String

    var everyoneRoleID: RoleID { id.converted() }

    /// Roles in Discord's order: by position, then by ID.
    var sortedRoles: [Role] {
        roles.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    var sortedChannels: [Channel] {
        channels.values.sorted { ($0.position ?? 0, $0.id) < ($1.position ?? 0, $1.id) }
    }

    /// Guild-level permissions of a member (owner and ADMINISTRATOR included).
    func basePermissions(of userID: UserID) -> Permissions {
        let memberRoles = members[userID]?.roles ?? []
        return PermissionCalculator.basePermissions(
            guildID: id, ownerID: ownerID, userID: userID, memberRoleIDs: memberRoles,
            rolePermissions: { roles[$0]?.permissions })
    }

    /// A member's permissions in one channel, overwrites applied.
    func permissions(of userID: UserID, in channel: Channel) -> Permissions {
        let memberRoles = members[userID]?.roles ?? []
        return PermissionCalculator.channelPermissions(
            base: basePermissions(of: userID), guildID: id, userID: userID, memberRoleIDs: memberRoles,
            overwrites: channel.permissionOverwrites ?? [])
    }

    func member(_ userID: UserID, users: [UserID: User], includeUser: Bool = true) -> GuildMember? {
        guard let stored = members[userID] else { return nil }
        var member = GuildMember(
            user: includeUser ? users[userID] : nil, nick: stored.nick, roles: stored.roles,
            joinedAt: stored.joinedAt)
        member.avatar = nil
        member.premiumSince = nil
        member.communicationDisabledUntil = nil
        return member
    }
}
