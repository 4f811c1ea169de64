/// Discord's permission algorithm (`topics/permissions.mdx`, discord-protocol.md §7), as pure functions.
///
/// Both the emulator (to decide what a request may do) and the bot (to predict what a ticket channel
/// allows) use this one implementation.
public enum PermissionCalculator {
    /// A member's guild-level permissions: everything for the owner; otherwise @everyone OR the member's
    /// roles, and everything once that includes ADMINISTRATOR.
    public static func basePermissions(
        guildID: GuildID, ownerID: UserID, userID: UserID, memberRoleIDs: some Sequence<RoleID>,
        rolePermissions: (RoleID) -> Permissions?
    ) -> Permissions {
        if userID == ownerID { return .all }
        var permissions = rolePermissions(guildID.converted()) ?? []
        for roleID in memberRoleIDs {
            permissions.formUnion(rolePermissions(roleID) ?? [])
        }
        return permissions.contains(.administrator) ? .all : permissions
    }

    /// A member's permissions in a channel: the base permissions, then the @everyone overwrite, then all of
    /// the member's role overwrites together (any allow beats any deny), then the member's own overwrite.
    /// Without VIEW_CHANNEL nothing else applies; without SEND_MESSAGES the send-dependent bits go too.
    public static func channelPermissions(
        base: Permissions, guildID: GuildID, userID: UserID, memberRoleIDs: some Sequence<RoleID>,
        overwrites: [PermissionOverwrite]
    ) -> Permissions {
        if base.contains(.administrator) { return .all }
        var permissions = base
        let everyoneID: MentionableID = guildID.converted()
        if let everyone = overwrites.first(where: { $0.id == everyoneID }) {
            permissions.subtract(everyone.deny)
            permissions.formUnion(everyone.allow)
        }
        let roleIDs = Set(memberRoleIDs.map { $0.converted(to: MentionableEntity.self) })
        var roleAllow: Permissions = []
        var roleDeny: Permissions = []
        for overwrite in overwrites where overwrite.type == .role && roleIDs.contains(overwrite.id) {
            roleAllow.formUnion(overwrite.allow)
            roleDeny.formUnion(overwrite.deny)
        }
        permissions.subtract(roleDeny)
        permissions.formUnion(roleAllow)
        let memberID: MentionableID = userID.converted()
        if let member = overwrites.first(where: { $0.type == .member && $0.id == memberID }) {
            permissions.subtract(member.deny)
            permissions.formUnion(member.allow)
        }
        if !permissions.contains(.viewChannel) { return [] }
        if !permissions.contains(.sendMessages) { permissions.subtract(.dependingOnSendMessages) }
        return permissions
    }
}
