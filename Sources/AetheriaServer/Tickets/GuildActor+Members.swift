import DiscordModels
import Foundation
import TicketCore

/// The bot's own view of a member a command names (`/ticket add`, `transfer`, `block`): asked of Discord's
/// REST API, never taken from the interaction's `resolved` data (whatever a modified client sent, and missing
/// at times). Staff-ness is judged from the member's roles and the permissions those roles give in this guild.
extension GuildActor {
    enum MemberView: Sendable, Equatable {
        case member(roles: [RoleID], permissions: Permissions)
        /// Discord says this user is not in the guild (10007 Unknown Member, 10013 Unknown User).
        case notAMember
        /// Discord could not say (unreachable, refused): decisions that need it are refused, not guessed.
        case unknown
    }

    func memberView(of userID: UserID) async -> MemberView {
        do {
            let member = try await discordAPI.getGuildMember(guildID, userID)
            if let user = member.user, user.id == userID { remember(user, as: member) }
            let permissions =
                discord.map { guild in
                    PermissionCalculator.basePermissions(
                        guildID: guildID, ownerID: guild.ownerID, userID: userID, memberRoleIDs: member.roles,
                        rolePermissions: { guild.role($0)?.permissions })
                } ?? []
            return .member(roles: member.roles, permissions: permissions)
        } catch {
            if error.code == 10007 || error.code == 10013 || error.status == 404 { return .notAMember }
            logger.warning("could not look up member \(userID): \(error)")
            return .unknown
        }
    }

    /// Whether the member `view` describes is staff for `type` (any type when `nil`); `nil` when unknown.
    func isStaff(_ view: MemberView, for type: TicketType?) -> Bool? {
        switch view {
        case .member(let roles, let permissions): tickets.isStaff(roles: roles, permissions: permissions, for: type)
        case .notAMember: false
        case .unknown: nil
        }
    }

    static let memberUnknown =
        "Discord could not confirm who that member is right now, so nothing was changed. Try again in a moment."
}
