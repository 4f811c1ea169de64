public import DiscordModels
public import Foundation

/// Who may not open tickets in a guild (its blocklist), and how many tickets the whole guild may open in ten
/// minutes, which keeps a raid of new accounts from burying the staff (and the bot's REST budget) in channels.
public struct TicketAccess: Sendable, Hashable, Codable {
    /// One member or role that may not open tickets, and why (shown to the member, kept in the log).
    public struct BlockEntry: Sendable, Hashable, Codable {
        public var memberID: UserID?
        public var roleID: RoleID?
        public var reason: String
        /// The staff member who added it (`nil`: the dashboard did not say).
        public var addedBy: UserID?
        public var addedAt: Date
        /// The blocked member's and the adder's display names when it was added (for the dashboard's list;
        /// Discord's mentions need neither).
        public var memberName: String?
        public var addedByName: String?

        public init(memberID: UserID? = nil, roleID: RoleID? = nil, reason: String, addedBy: UserID?, addedAt: Date) {
            self.memberID = memberID
            self.roleID = roleID
            self.reason = reason
            self.addedBy = addedBy
            self.addedAt = addedAt
        }

        /// `<@member>` or `<@&role>`, as Discord shows it.
        public var mention: String {
            if let memberID { return "<@\(memberID)>" }
            return roleID.map { "<@&\($0)>" } ?? "nobody"
        }
    }

    public var blocked: [BlockEntry] = []
    /// New tickets the whole guild may open per `openingWindow`; 0 is no limit.
    public var openingsPerWindow: Int = 0

    public static let openingWindow: TimeInterval = 600
    public static let maximumBlocked = 500
    public static let openingsRange = 0...1_000
    public static let reasonLength = 0...200
    public static let nameLength = 0...100

    public init() {}

    /// The entry that keeps a member with `roles` from opening tickets, if any.
    public func block(for memberID: UserID, roles: [RoleID]) -> BlockEntry? {
        blocked.first { entry in
            entry.memberID == memberID || entry.roleID.map(roles.contains) == true
        }
    }

    /// The entry for exactly this member or role.
    public func entry(memberID: UserID? = nil, roleID: RoleID? = nil) -> BlockEntry? {
        blocked.first { $0.memberID == memberID && $0.roleID == roleID }
    }

    /// What is wrong with the lists, for the dashboard and the stored-value check.
    func problems(guildID: GuildID?) -> [TicketConfigProblem] {
        var problems: [TicketConfigProblem] = []
        if blocked.count > Self.maximumBlocked {
            problems.append(.init(.blocklist, "at most \(Self.maximumBlocked) blocked members and roles"))
        }
        if blocked.contains(where: { ($0.memberID == nil) == ($0.roleID == nil) }) {
            problems.append(.init(.blocklist, "each entry names one member or one role"))
        }
        if let guildID, blocked.contains(where: { $0.roleID?.rawValue == guildID.rawValue }) {
            problems.append(.init(.blocklist, "blocking @everyone would close tickets to the whole server"))
        }
        if Set(blocked.map { [$0.memberID?.rawValue, $0.roleID?.rawValue] }).count != blocked.count {
            problems.append(.init(.blocklist, "a member or role is listed twice"))
        }
        if blocked.contains(where: { !Self.reasonLength.contains($0.reason.count) }) {
            problems.append(.init(.blocklist, "a reason is longer than \(Self.reasonLength.upperBound) characters"))
        }
        if blocked.contains(where: {
            !Self.nameLength.contains($0.memberName?.count ?? 0)
                || !Self.nameLength.contains($0.addedByName?.count ?? 0)
        }) {
            problems.append(.init(.blocklist, "a name is longer than \(Self.nameLength.upperBound) characters"))
        }
        if !Self.openingsRange.contains(openingsPerWindow) {
            problems.append(
                .init(
                    .openingsLimit,
                    "must be between \(Self.openingsRange.lowerBound) and \(Self.openingsRange.upperBound)"))
        }
        return problems
    }
}

extension TicketConfig {
    public enum BlocklistChange: Sendable, Hashable {
        case refused(String)
        /// The configuration with the change; `blocked` says whether the entry was added or removed.
        case changed(TicketConfig, TicketAccess.BlockEntry, blocked: Bool)
    }

    /// `/ticket block` and `/ticket unblock` as a new configuration (saved like a dashboard change, so it is
    /// validated, stored and logged the same way); `nil` for other commands. Staff and their roles cannot be
    /// blocked: that would lock the people answering tickets out of opening one for a member.
    public func changingBlocklist(
        _ command: StaffCommand, by actorID: UserID, targetIsStaff: Bool, guildID: GuildID,
        names: [UserID: String] = [:], now: Date
    ) -> BlocklistChange? {
        func named(_ entry: TicketAccess.BlockEntry) -> TicketAccess.BlockEntry {
            var entry = entry
            entry.memberName = entry.memberID.flatMap { names[$0] }.map { String($0.prefix(100)) }
            entry.addedByName = names[actorID].map { String($0.prefix(100)) }
            return entry
        }
        var config = self
        let staffRoles = Set(types.flatMap(\.staffRoleIDs))
        switch command {
        case .blockMember(let memberID, let reason):
            guard memberID != actorID else { return .refused("You cannot block yourself.") }
            guard !targetIsStaff else { return .refused("<@\(memberID)> is on the support staff.") }
            return config.block(
                named(TicketAccess.BlockEntry(memberID: memberID, reason: reason ?? "", addedBy: actorID, addedAt: now))
            )
        case .blockRole(let roleID, let reason):
            guard roleID.rawValue != guildID.rawValue else {
                return .refused("Blocking @everyone would close tickets to the whole server.")
            }
            guard !staffRoles.contains(roleID) else { return .refused("<@&\(roleID)> is a support staff role.") }
            return config.block(
                named(TicketAccess.BlockEntry(roleID: roleID, reason: reason ?? "", addedBy: actorID, addedAt: now)))
        case .unblockMember(let memberID):
            return config.unblock(memberID: memberID, roleID: nil)
        case .unblockRole(let roleID):
            return config.unblock(memberID: nil, roleID: roleID)
        default:
            return nil
        }
    }

    private mutating func block(_ entry: TicketAccess.BlockEntry) -> BlocklistChange {
        guard access.entry(memberID: entry.memberID, roleID: entry.roleID) == nil else {
            return .refused("\(entry.mention) is already blocked.")
        }
        guard access.blocked.count < TicketAccess.maximumBlocked else {
            return .refused(
                "The blocklist is full (\(TicketAccess.maximumBlocked) entries); remove some on the dashboard.")
        }
        access.blocked.append(entry)
        return .changed(self, entry, blocked: true)
    }

    private mutating func unblock(memberID: UserID?, roleID: RoleID?) -> BlocklistChange {
        guard let entry = access.entry(memberID: memberID, roleID: roleID) else {
            let mention = TicketAccess.BlockEntry(
                memberID: memberID, roleID: roleID, reason: "", addedBy: nil, addedAt: .distantPast
            ).mention
            return .refused("\(mention) is not blocked.")
        }
        access.blocked.removeAll { $0 == entry }
        return .changed(self, entry, blocked: false)
    }
}
