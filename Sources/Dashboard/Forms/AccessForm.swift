package import DiscordModels
package import Foundation
package import TicketCore

/// The "Who may open tickets" form: the guild-wide openings limit, entries to take off the blocklist, and one
/// member (by ID, mention or name: `MemberReference`, found by the route) or role to add with a reason.
package struct AccessForm: Decodable, Sendable {
    package var openingsLimit: String?
    /// Entries to remove, each as `member:<id>` or `role:<id>`.
    package var unblock: [String]?
    package var blockMember: String?
    package var blockRole: String?
    package var blockReason: String?

    enum CodingKeys: String, CodingKey {
        case openingsLimit = "openings_limit"
        case unblock = "unblock"
        case blockMember = "block_member"
        case blockRole = "block_role"
        case blockReason = "block_reason"
    }

    static func removalValue(_ entry: TicketAccess.BlockEntry) -> String {
        entry.memberID.map { "member:\($0)" } ?? entry.roleID.map { "role:\($0)" } ?? ""
    }

    /// The member `blockMember` names, as the route found them with Discord.
    package enum FoundMember: Sendable, Hashable {
        case nobody
        /// With their name and roles when Discord knows them (an ID of someone not in the server is blocked too),
        /// and whether they are staff as Discord sees them (a staff role, or Administrator or Manage Channels).
        case member(UserID, name: String?, roles: [RoleID], isStaff: Bool)
        /// Shown beside the field: nobody or several members match, or Discord could not be asked.
        case problem(String)
    }

    package func applied(
        to current: TicketConfig, member found: FoundMember = .nobody, by userID: UserID?, byName: String? = nil,
        now: Date
    ) -> (config: TicketConfig, problems: [TicketConfigProblem]) {
        var config = current
        var reader = FormFieldReader(scope: .guild)
        config.access.openingsPerWindow = reader.number(
            openingsLimit, .openingsLimit, current: current.access.openingsPerWindow)
        let removed = Set((unblock ?? []).prefix(TicketAccess.maximumBlocked))
        config.access.blocked.removeAll { removed.contains(Self.removalValue($0)) }
        var member: UserID?
        var memberName: String?
        switch found {
        case .nobody:
            break
        case .problem(let text):
            reader.fail(.blocklist, text)
        case .member(let id, let name, let roles, let isStaff):
            let label = name ?? "User \(id)"
            if id == userID {
                reader.fail(.blocklist, "you cannot block yourself")
            } else if isStaff || !Set(roles).isDisjoint(with: current.types.flatMap(\.staffRoleIDs)) {
                reader.fail(.blocklist, "\(label) is on the support staff")
            } else {
                member = id
                memberName = name.map { String($0.prefix(TicketAccess.nameLength.upperBound)) }
            }
        }
        let role = reader.id(blockRole, .blocklist).map { RoleID($0) }
        let reason = FormFieldReader.text(blockReason) ?? ""
        if member != nil || role != nil {
            if member != nil, role != nil {
                reader.fail(.blocklist, "add a member or a role, not both at once")
            } else if config.access.entry(memberID: member, roleID: role) != nil {
                reader.fail(.blocklist, "\(memberName ?? "that member or role") is already blocked")
            } else {
                var entry = TicketAccess.BlockEntry(
                    memberID: member, roleID: role, reason: reason, addedBy: userID, addedAt: now)
                entry.memberName = memberName
                entry.addedByName = byName.map { String($0.prefix(TicketAccess.nameLength.upperBound)) }
                config.access.blocked.append(entry)
            }
        }
        return (config, reader.problems)
    }
}
