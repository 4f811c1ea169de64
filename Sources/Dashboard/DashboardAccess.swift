public import DiscordModels

/// Who may do what in a guild's dashboard, decided per request from the user's Discord guild list (owner,
/// permissions) and the bot's own view of their roles, never from anything the browser sends.
public enum DashboardAccess: Sendable, Equatable, Comparable {
    case none
    /// Holds the support staff role: tickets, analytics and transcripts.
    case staff
    /// Owner, Administrator or Manage Server: also the configuration.
    case admin

    public static func decide(
        userGuild: PartialGuild?, memberRoles: [RoleID]?, staffRoleID: RoleID?
    ) -> DashboardAccess {
        if let userGuild,
            userGuild.owner || userGuild.permissions.contains(.administrator)
                || userGuild.permissions.contains(.manageGuild)
        {
            return .admin
        }
        if let staffRoleID, memberRoles?.contains(staffRoleID) == true { return .staff }
        return .none
    }
}
