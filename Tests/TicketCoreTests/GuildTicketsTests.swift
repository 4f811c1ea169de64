import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

@Suite("Ticket rules")
struct GuildTicketsTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)
    let alice = UserID(11)
    let bob = UserID(12)
    let staff = UserID(13)

    func interaction(_ id: UInt64) -> Ticket.OpeningInteraction {
        .init(id: InteractionID(id), token: "token-\(id)", receivedAt: start)
    }

    @Test(
        "the per-member limit, the cooldown and replayed interactions are enforced in the same step that records the intent"
    )
    func openingRules() {
        var tickets = GuildTickets(config: TicketConfig(maximumOpenTicketsPerUser: 1, openCooldownSeconds: 60))
        guard
            case .create(let first) = tickets.requestOpen(
                openerID: alice, openerName: "alice", interaction: interaction(1), now: start)
        else { Issue.record("first click refused"); return }
        #expect(first.number == 1 && first.state == .opening)
        #expect(
            tickets.requestOpen(openerID: alice, openerName: "alice", interaction: interaction(1), now: start)
                == .duplicateInteraction(first))
        #expect(
            tickets.requestOpen(openerID: alice, openerName: "alice", interaction: interaction(2), now: start)
                == .alreadyOpen(first))
        tickets.confirmChannel(number: 1, channelID: 500, name: "ticket-alice")
        _ = tickets.requestClose(inChannel: 500, closerID: alice, closerIsStaff: false, reason: nil, now: start)
        // The limit no longer applies (closing), but the cooldown does.
        #expect(
            tickets.requestOpen(
                openerID: alice, openerName: "alice", interaction: interaction(3), now: start.addingTimeInterval(10))
                == .coolingDown(until: start.addingTimeInterval(60)))
        guard
            case .create(let second) = tickets.requestOpen(
                openerID: alice, openerName: "alice", interaction: interaction(4), now: start.addingTimeInterval(61))
        else { Issue.record("after the cooldown the member may open again"); return }
        #expect(second.number == 2)
    }

    @Test("an abandoned opening's number is never handed out again (work under it may still be finishing)")
    func abandonedNumbers() {
        var tickets = GuildTickets(config: TicketConfig(maximumOpenTicketsPerUser: 1, openCooldownSeconds: 0))
        guard
            case .create(let refused) = tickets.requestOpen(
                openerID: alice, openerName: "alice", interaction: interaction(1), now: start)
        else { Issue.record("first click refused"); return }
        tickets.abandonOpening(number: refused.number)
        guard
            case .create(let next) = tickets.requestOpen(
                openerID: alice, openerName: "alice", interaction: interaction(2), now: start)
        else { Issue.record("the member may try again"); return }
        #expect(next.number == refused.number + 1)
    }

    @Test("a settings change is stored with its log entry pending; a failed write undoes both; revisions count up")
    func settingsChanges() {
        var tickets = GuildTickets()
        let first = tickets.changeSettings(to: TicketConfig(deleteDelaySeconds: 10), by: staff, changes: ["a"])
        #expect(
            first.revision == 1 && tickets.pendingSettingsChange == first
                && tickets.config.defaultType.deleteDelaySeconds == 10)
        tickets.settingsChangeAnnounced(revision: 1)
        #expect(tickets.pendingSettingsChange == nil && tickets.settingsRevision == 1)
        let failed = tickets.changeSettings(to: TicketConfig(deleteDelaySeconds: 20), by: staff, changes: ["b"])
        tickets.revertSettingsChange(to: TicketConfig(deleteDelaySeconds: 10), revision: failed.revision)
        #expect(tickets.config.defaultType.deleteDelaySeconds == 10 && tickets.pendingSettingsChange == nil)
        #expect(tickets.settingsRevision == 1, "the failed write used no revision")
        #expect(tickets.changeSettings(to: TicketConfig(), by: nil, changes: []).revision == 2)
    }

    @Test("who may close follows the guild's policy")
    func closePolicy() {
        var tickets = GuildTickets()
        _ = tickets.requestOpen(openerID: alice, openerName: "alice", interaction: nil, now: start)
        tickets.confirmChannel(number: 1, channelID: 500, name: "ticket-alice")
        #expect(
            tickets.requestClose(inChannel: 501, closerID: alice, closerIsStaff: false, reason: nil, now: start)
                == .notATicket)
        guard
            case .notAllowed = tickets.requestClose(
                inChannel: 500, closerID: bob, closerIsStaff: false, reason: nil, now: start)
        else { Issue.record("a stranger closed the ticket"); return }
        tickets.config.types[0].closePolicy = .staffOnly
        guard
            case .notAllowed = tickets.requestClose(
                inChannel: 500, closerID: alice, closerIsStaff: false, reason: nil, now: start)
        else { Issue.record("the opener closed despite staff-only"); return }
        guard
            case .close(let closing) = tickets.requestClose(
                inChannel: 500, closerID: staff, closerIsStaff: true, reason: "done", now: start)
        else { Issue.record("staff could not close"); return }
        #expect(closing.state == .closing && closing.closerID == staff)
        guard
            case .alreadyClosing = tickets.requestClose(
                inChannel: 500, closerID: staff, closerIsStaff: true, reason: nil, now: start)
        else { Issue.record("closed twice"); return }
    }

    @Test("analytics follow the lifecycle: opened, first staff response, resolution, per day")
    func analytics() {
        var tickets = GuildTickets()
        _ = tickets.requestOpen(openerID: alice, openerName: "alice", interaction: nil, now: start)
        tickets.confirmChannel(number: 1, channelID: 500, name: "ticket-alice")
        tickets.recordMessage(inChannel: 500, authorID: alice, authorIsBot: false, at: start.addingTimeInterval(5))
        tickets.recordMessage(inChannel: 500, authorID: UserID(99), authorIsBot: true, at: start.addingTimeInterval(6))
        tickets.recordMessage(inChannel: 500, authorID: staff, authorIsBot: false, at: start.addingTimeInterval(120))
        tickets.recordMessage(inChannel: 500, authorID: staff, authorIsBot: false, at: start.addingTimeInterval(200))
        _ = tickets.requestClose(
            inChannel: 500, closerID: staff, closerIsStaff: true, reason: nil, now: start.addingTimeInterval(600))
        tickets.markTranscriptSaved(number: 1)
        let closed = tickets.markClosed(number: 1, now: start.addingTimeInterval(600))
        #expect(closed?.deleteAt == start.addingTimeInterval(610))
        #expect(closed?.messageCount == 3, "bot messages do not count")
        #expect(tickets.analytics.opened == 1 && tickets.analytics.closed == 1)
        #expect(tickets.analytics.averageFirstResponseSeconds == 120)
        #expect(tickets.analytics.averageResolutionSeconds == 600)
        #expect(tickets.analytics.resolutionHistogram[1] == 1, "600 s falls in the 5–15 min bucket")
        #expect(tickets.analytics.days.last?.opened == 1 && tickets.analytics.days.last?.closed == 1)
        #expect(tickets.activeTicketCount == 0)
    }

    @Test("a stored snapshot round-trips; a newer format or garbage is refused naming the guild")
    func codec() throws {
        var tickets = GuildTickets(config: TicketConfig(staffRoleID: 77, nameTemplate: "help-{number}"))
        _ = tickets.requestOpen(openerID: alice, openerName: "alice", interaction: interaction(9), now: start)
        let bytes = GuildTicketsCodec.encode(tickets)
        #expect(try GuildTicketsCodec.decode(bytes, guildID: 1) == tickets)
        let newer = Array(#"{"format":99,"guild":{}}"#.utf8)
        #expect(throws: SnapshotFormatError(guildID: 42, reason: .newerFormat(99))) {
            try GuildTicketsCodec.decode(newer, guildID: 42)
        }
        do {
            _ = try GuildTicketsCodec.decode(Array("not json".utf8), guildID: 42)
            Issue.record("garbage decoded")
        } catch {
            #expect(error.description.contains("guild 42"))
        }
    }

    @Test("configuration is checked against the guild: missing role, wrong channel kinds, bad template, ranges")
    func validation() {
        var builder = GuildSnapshot.Builder()
        builder.setGuildName("Test")
        builder.addRole(id: 1, name: "@everyone", permissions: [], position: 0, color: 0)
        builder.addRole(id: 2, name: "Staff", permissions: [], position: 1, color: 0)
        builder.addChannel(id: 10, type: 4, name: "Tickets", position: 0, parentID: nil, topic: nil, overwrites: [])
        builder.addChannel(id: 11, type: 0, name: "mod-log", position: 1, parentID: nil, topic: nil, overwrites: [])
        let guild = builder.build(id: 1, ownerID: 5, memberCount: 3)
        #expect(throws: Never.self) {
            try TicketConfig(staffRoleID: 2, parentCategoryID: 10, logChannelID: 11).validate(in: guild)
        }
        do {
            try TicketConfig(
                staffRoleID: 3, parentCategoryID: 11, nameTemplate: "{nope}", logChannelID: 10,
                maximumOpenTicketsPerUser: 0
            ).validate(in: guild)
            Issue.record("a broken configuration was accepted")
        } catch {
            #expect(
                Set(error.problems.map(\.field)) == [
                    .staffRoles, .categories, .nameTemplate, .logChannel, .maximumOpenTickets,
                ])
        }
    }

    @Test("a topic marker is written and read back; other topics are not markers")
    func marker() {
        let marker = TicketMarker(ticketNumber: 12, openerID: 345)
        #expect(TicketMarker(topic: marker.topic(openerName: "alice")) == marker)
        #expect(TicketMarker(topic: "Welcome to the server!") == nil)
        #expect(TicketMarker(topic: "aetheria:ticket:abc:1") == nil)
    }
}
