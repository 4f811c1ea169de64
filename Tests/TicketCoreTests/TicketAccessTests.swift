import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// The blocklist and the guild-wide openings limit as pure rules.
@Suite("Blocklist and openings limit: rules")
struct TicketAccessTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let guild: GuildID = 900
    static let muted: RoleID = 55

    func open(
        _ tickets: inout GuildTickets, _ member: UInt64, roles: [RoleID] = [], at offset: TimeInterval = 0
    )
        -> GuildTickets.OpenDecision
    {
        tickets.requestOpen(
            type: tickets.config.defaultType, openerID: UserID(member), openerRoles: roles, openerName: "m",
            interaction: nil, now: Self.start.addingTimeInterval(offset))
    }

    @Test("a blocked member, or a member with a blocked role, opens nothing and is told the reason")
    func blocked() {
        var tickets = GuildTickets(config: TicketConfig(staffRoleID: 77))
        tickets.config.access.blocked = [
            .init(memberID: 10, reason: "spam", addedBy: 1, addedAt: Self.start),
            .init(roleID: Self.muted, reason: "", addedBy: nil, addedAt: Self.start),
        ]
        guard case .blocked(let entry) = open(&tickets, 10) else { Issue.record("member not blocked"); return }
        #expect(entry.reason == "spam")
        guard case .blocked = open(&tickets, 11, roles: [3, Self.muted]) else {
            Issue.record("role not blocked"); return
        }
        guard case .create = open(&tickets, 12, roles: [3]) else { Issue.record("others refused"); return }
        #expect(tickets.tickets.count == 1)
    }

    @Test("the whole server opens at most its limit per 10 minutes; the window slides; no limit keeps no times")
    func openingsLimit() throws {
        var tickets = GuildTickets()
        tickets.config.access.openingsPerWindow = 3
        for member in 1...3 {
            guard case .create = open(&tickets, UInt64(member), at: Double(member)) else {
                Issue.record("refused under the limit")
                return
            }
        }
        guard case .guildBusy(let until) = open(&tickets, 4, at: 10) else { Issue.record("not limited"); return }
        #expect(until == Self.start.addingTimeInterval(1 + 600))
        tickets = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        guard case .guildBusy = open(&tickets, 4, at: 600) else { Issue.record("a restart forgot the window"); return }
        guard case .create = open(&tickets, 4, at: 601.5) else { Issue.record("the window did not slide"); return }
        #expect((tickets.recentOpeningsStorage ?? []).count <= 3)
        tickets.config.access.openingsPerWindow = 0
        _ = open(&tickets, 5, at: 602)
        #expect(tickets.recentOpeningsStorage == nil)
    }

    @Test("staff commands change the blocklist: staff, staff roles, @everyone and oneself are refused")
    func blocklistCommands() {
        let config = TicketConfig(staffRoleID: 77)
        let now = Self.start
        func change(
            _ command: StaffCommand, targetIsStaff: Bool = false, in config: TicketConfig = config
        )
            -> TicketConfig.BlocklistChange?
        {
            config.changingBlocklist(command, by: 20, targetIsStaff: targetIsStaff, guildID: Self.guild, now: now)
        }
        guard case .changed(let blocked, let entry, true)? = change(.blockMember(10, reason: "spam")) else {
            Issue.record("not blocked")
            return
        }
        #expect(entry.addedBy == 20 && blocked.access.blocked == [entry])
        #expect(blocked.shapeProblems.isEmpty && blocked.access.problems(guildID: Self.guild).isEmpty)
        guard case .refused? = change(.blockMember(10, reason: nil), in: blocked) else { Issue.record("twice"); return }
        guard case .changed(let unblocked, _, false)? = change(.unblockMember(10), in: blocked) else {
            Issue.record("not unblocked")
            return
        }
        #expect(unblocked.access.blocked.isEmpty)
        for refused in [
            change(.blockMember(30, reason: nil), targetIsStaff: true), change(.blockMember(20, reason: nil)),
            change(.blockRole(77, reason: nil)), change(.blockRole(RoleID(Self.guild.rawValue), reason: nil)),
            change(.unblockRole(5)),
        ] {
            guard case .refused? = refused else {
                Issue.record("accepted: \(String(describing: refused))")
                continue
            }
        }
        #expect(change(.claim) == nil)
    }

    @Test("hostile lists are refused by validation and by the stored-value check")
    func hostileLists() throws {
        var access = TicketAccess()
        access.blocked = [
            .init(memberID: 1, roleID: 2, reason: "both", addedBy: nil, addedAt: Self.start),
            .init(memberID: 3, reason: String(repeating: "r", count: 201), addedBy: nil, addedAt: Self.start),
            .init(memberID: 3, reason: "", addedBy: nil, addedAt: Self.start),
            .init(roleID: RoleID(Self.guild.rawValue), reason: "", addedBy: nil, addedAt: Self.start),
        ]
        access.openingsPerWindow = -1
        let fields = access.problems(guildID: Self.guild).map(\.message)
        #expect(fields.count == 5, "\(fields)")
        var tickets = GuildTickets()
        tickets.config.access = access
        #expect(tickets.storedValueProblem != nil)
        let old = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(GuildTickets()), guildID: 1)
        #expect(old.config.access == TicketAccess(), "snapshots from before the blocklist load with none")
    }
}
