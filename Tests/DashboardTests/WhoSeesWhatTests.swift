import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketCore

@testable import Dashboard

/// docs/dashboard.md's "who sees what" table, row by row, through the real router: a Billing type, and an
/// Appeals type whose tickets only the claimer sees once claimed. Every page a staff member can reach is
/// fetched, and none may contain a ticket they could not have seen in Discord: its number, opener, text,
/// rating or figures.
@Suite("Dashboard: who sees what")
struct WhoSeesWhatTests {
    typealias Stub = StubDashboardBackend
    static let billingRole: RoleID = 13
    static let appealsRole: RoleID = 14
    static let billingStaff: UserID = 7
    static let appealsClaimer: UserID = 8
    static let appealsStaff: UserID = 9
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    /// What identifies each ticket in any response: opener's name and words of its conversation.
    static let marks: [Int: [String]] = [
        1: ["BillyOpener", "INVOICE7788"],
        2: ["AppyOpener", "BANAPPEAL4455", "APPEALCOMMENT"],
        3: ["ClaimyOpener", "SECRETAPPEAL9911"],
    ]

    static func backend() async throws -> Stub {
        let stub = Stub()
        var billing = TicketType(id: 1, name: "Billing", staffRoleIDs: [billingRole])
        billing.claimMode = .everyoneWrites
        var appeals = TicketType(id: 2, name: "Appeals", staffRoleIDs: [appealsRole])
        appeals.claimMode = .claimerOnly
        var tickets = GuildTickets(config: TicketConfig(types: [billing, appeals]))
        // Open tickets: #4 Billing, #5 Appeals claimed by the claimer (only they, and admins, see it).
        let openers: [(Int, TicketType, String)] = [(4, billing, "OpenBilly"), (5, appeals, "OpenClaimy")]
        for (index, (number, type, name)) in openers.enumerated() {
            let opened = tickets.requestOpen(
                type: type, openerID: UserID(UInt64(500 + number)), openerName: name, interaction: nil,
                now: start.addingTimeInterval(Double(index)))
            guard case .create(let ticket) = opened else { Issue.record("not opened: \(opened)"); continue }
            tickets.confirmChannel(number: ticket.number, channelID: ChannelID(UInt64(900 + number)), name: name)
        }
        let claim = tickets.recordStaffAction(
            .claim, guildID: Stub.guildID, inChannel: ChannelID(905), by: appealsClaimer, actorIsStaff: true,
            actionID: InteractionID(1), now: start)
        if case .refused(let why) = claim { Issue.record("claim refused: \(why)") }
        stub.state.withLock {
            $0.roles[billingStaff] = [billingRole]
            $0.roles[appealsClaimer] = [appealsRole]
            $0.roles[appealsStaff] = [appealsRole]
            $0.tickets = tickets
        }
        // Closed tickets' transcripts: #1 Billing, #2 Appeals (unclaimed, rated), #3 Appeals claimed by the claimer.
        let closed: [(Int, Int, UserID?)] = [(1, 1, nil), (2, 2, nil), (3, 2, appealsClaimer)]
        for (number, typeID, claimer) in closed {
            let words = marks[number] ?? []
            var record = TranscriptRecord(
                guildID: Stub.guildID, ticketNumber: number, channelID: ChannelID(UInt64(800 + number)),
                channelName: "ticket-\(number)", openerID: UserID(UInt64(600 + number)), closerID: nil,
                openedAt: start, closedAt: start.addingTimeInterval(Double(600 * number)), messageCount: 2)
            record.openerName = words[0]
            record.typeID = typeID
            record.claimerID = claimer
            try await stub.transcripts.save(
                record, html: Array("<html><body>\(words[1])</body></html>".utf8), searchText: "\(words[1]) refund")
        }
        _ = try await stub.transcripts.rate(
            guildID: Stub.guildID, ticketNumber: 2,
            TicketRating(stars: 1, comment: "APPEALCOMMENT", typeID: 2, staffID: nil, at: start))
        return stub
    }

    /// Every page a signed-in user of the guild can ask for, with its body.
    static func pages(
        _ browser: inout DashboardRouterTests.Browser
    ) async throws -> [String: (HTTPResponse.Status, String)] {
        var result: [String: (HTTPResponse.Status, String)] = [:]
        let paths =
            ["", "/charts", "/transcripts", "/transcripts?q=refund", "/transcripts?person=Opener&role=opened"]
            + (1...3).flatMap { ["/transcripts/\($0)", "/transcripts/\($0)/raw", "/transcripts/\($0)/download"] }
        for path in paths {
            let response = try await browser.send(.get, "/guilds/\(Stub.guildID)\(path)")
            result[path] = (response.status, String(buffer: response.body))
        }
        return result
    }

    /// The row of the table: what `user` may see of the closed tickets (by number) and open tickets.
    static func expectRow(
        _ user: UserID, sees visible: Set<Int>, openTickets: Set<String>, row: String
    ) async throws {
        let stub = try await backend()
        try await DashboardRouterTests.withRouter(stub) { browser, _ in
            var browser = browser
            try await browser.logIn(as: user)
            let pages = try await pages(&browser)
            for number in 1...3 {
                let shown = visible.contains(number)
                for suffix in ["", "/raw", "/download"] {
                    let status = pages["/transcripts/\(number)\(suffix)"]?.0
                    #expect(
                        status == (shown ? .ok : .notFound),
                        "\(row): transcript #\(number)\(suffix) → \(String(describing: status))")
                }
                for (path, (_, body)) in pages {
                    for mark in marks[number] ?? [] where body.contains(mark) != shown {
                        // A visible ticket's mark need not be on every page; a hidden one's must be on none.
                        if !shown { Issue.record("\(row): \(path) shows \(mark) of ticket #\(number)") }
                    }
                }
            }
            for (path, (_, body)) in pages {
                for name in ["OpenBilly", "OpenClaimy"] where body.contains(name) && !openTickets.contains(name) {
                    Issue.record("\(row): \(path) shows the open ticket of \(name)")
                }
            }
            let analytics = pages[""]?.1 ?? ""
            for name in openTickets {
                #expect(analytics.contains(name), "\(row): the open ticket of \(name) is missing")
            }
            if !visible.contains(2) && !visible.contains(3) {
                #expect(!analytics.contains("Appeals"), "\(row): the Appeals type is named on the analytics page")
            }
        }
    }

    @Test("admin: every ticket, open or closed, of every type")
    func admin() async throws {
        try await Self.expectRow(Stub.admin, sees: [1, 2, 3], openTickets: ["OpenBilly", "OpenClaimy"], row: "admin")
    }

    @Test("staff of Billing only: Billing's tickets, nothing of Appeals (numbers, openers, text, rating, figures)")
    func billingStaff() async throws {
        try await Self.expectRow(Self.billingStaff, sees: [1], openTickets: ["OpenBilly"], row: "Billing staff")
    }

    @Test("staff of Appeals (claimer only): unclaimed Appeals tickets, not those another staff member claimed")
    func appealsStaff() async throws {
        try await Self.expectRow(Self.appealsStaff, sees: [2], openTickets: [], row: "Appeals staff")
    }

    @Test("the claimer: the Appeals tickets they claimed, and the unclaimed ones")
    func claimer() async throws {
        try await Self.expectRow(Self.appealsClaimer, sees: [2, 3], openTickets: ["OpenClaimy"], row: "claimer")
    }

    @Test("a member without a staff role: no page of the guild")
    func member() async throws {
        let stub = try await Self.backend()
        try await DashboardRouterTests.withRouter(stub) { browser, _ in
            var browser = browser
            try await browser.logIn(as: Stub.member)
            for (path, (status, body)) in try await Self.pages(&browser) {
                #expect(status == .forbidden, "member: \(path) → \(status)")
                for mark in Self.marks.values.flatMap({ $0 }) { #expect(!body.contains(mark), "member: \(path)") }
            }
        }
    }

    @Test("the staff table: staff see their own row only; the live counters follow the same view")
    func staffStatisticsAndLiveCounters() async throws {
        let stub = try await Self.backend()
        let overview = try #require(await stub.overview(of: Stub.guildID))
        let billing = TicketViewer(userID: Self.billingStaff, roles: [Self.billingRole], isAdmin: false)
        let restricted = overview.tickets.restricted(to: billing)
        #expect(restricted.staffStatistics.allSatisfy { $0.id == Self.billingStaff })
        #expect(!overview.tickets.staffStatistics.isEmpty, "the claimer has statistics in the guild's view")
        #expect(restricted.tickets.map(\.openerName) == ["OpenBilly"])
        #expect(restricted.analytics.opened == 1 && overview.tickets.analytics.opened == 2)
    }

    @Test("pending work is listed with why and when it is tried next, only to those who may see its ticket")
    func pendingWorkIsShown() async throws {
        let stub = try await Self.backend()
        stub.state.withLock { state in
            // The Billing ticket's close stopped: Discord did not give its history.
            state.tickets?.workFailed(
                number: 1, problem: "Discord did not give the channel's messages (503)", schedule: RetrySchedule(),
                now: Self.start)
        }
        for (user, sees) in [(Stub.admin, true), (Self.billingStaff, true), (Self.appealsStaff, false)] {
            try await DashboardRouterTests.withRouter(stub) { browser, _ in
                var browser = browser
                try await browser.logIn(as: user)
                let page = String(buffer: try await browser.send(.get, "/guilds/\(Stub.guildID)").body)
                #expect(page.contains("did not give the channel&#39;s messages (503)") == sees, "user \(user)")
                #expect(page.contains("<h2>Pending</h2>") == sees, "user \(user)")
            }
        }
    }
}
