public import DiscordModels

/// Who may do what in a guild's dashboard, decided on every request from what Discord says now: the member's
/// current roles (asked with the bot's token, cached a minute) and the guild's roles and owner as the bot
/// sees them, never from anything the browser sends and never from the login alone (the guild list of the
/// login is seven days old at worst: an admin demoted since must not keep saving settings).
public enum DashboardAccess: Sendable, Equatable, Comparable {
    case none
    /// Holds a staff role of some ticket type: tickets, analytics and transcripts.
    case staff
    /// Owner, Administrator or Manage Server: also the configuration.
    case admin

    /// - Parameters:
    ///   - memberRoles: the member's roles now; `nil` when they are not (or no longer) a member.
    ///   - guild: the guild's roles and owner as the bot knows them; `nil` when not known yet (then only the
    ///     staff roles can be checked).
    public static func decide(
        userID: UserID, memberRoles: [RoleID]?, guild: GuildSnapshot?, staffRoleIDs: [RoleID]
    ) -> DashboardAccess {
        guard let memberRoles else { return .none }
        if let guild {
            if guild.ownerID == userID { return .admin }
            var permissions = guild.role(RoleID(guild.id.rawValue))?.permissions ?? []
            for roleID in memberRoles {
                if let role = guild.role(roleID) { permissions.formUnion(role.permissions) }
            }
            if permissions.contains(.administrator) || permissions.contains(.manageGuild) { return .admin }
        }
        if staffRoleIDs.contains(where: memberRoles.contains) { return .staff }
        return .none
    }
}
