package import DiscordModels
package import Foundation
package import TicketCore

/// The "Who may open tickets" form: the guild-wide openings limit, entries to take off the blocklist, and one
/// member (by ID) or role to add with a reason.
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

    package func applied(
        to current: TicketConfig, by userID: UserID?, now: Date
    ) -> (config: TicketConfig, problems: [TicketConfigProblem]) {
        var config = current
        var reader = FormFieldReader(scope: .guild)
        config.access.openingsPerWindow = reader.number(
            openingsLimit, .openingsLimit, current: current.access.openingsPerWindow)
        let removed = Set((unblock ?? []).prefix(TicketAccess.maximumBlocked))
        config.access.blocked.removeAll { removed.contains(Self.removalValue($0)) }
        let member = reader.id(blockMember, .blocklist).map { UserID($0) }
        let role = reader.id(blockRole, .blocklist).map { RoleID($0) }
        let reason = FormFieldReader.text(blockReason) ?? ""
        if member != nil || role != nil {
            if member != nil, role != nil {
                reader.fail(.blocklist, "add a member or a role, not both at once")
            } else if config.access.entry(memberID: member, roleID: role) != nil {
                reader.fail(.blocklist, "already blocked")
            } else {
                config.access.blocked.append(
                    TicketAccess.BlockEntry(
                        memberID: member, roleID: role, reason: reason, addedBy: userID, addedAt: now))
            }
        }
        return (config, reader.problems)
    }
}
