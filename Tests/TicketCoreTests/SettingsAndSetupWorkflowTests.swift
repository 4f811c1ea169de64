import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// Saving settings and `/ticket-setup`, driven step by step with scripted outcomes.
@Suite("Settings and setup workflows")
struct SettingsAndSetupWorkflowTests {
    static var guild: GuildSnapshot {
        var builder = GuildSnapshot.Builder()
        builder.setGuildName("Test")
        builder.addRole(id: 1, name: "@everyone", permissions: [], position: 0, color: 0)
        builder.addRole(id: 2, name: "Support", permissions: [], position: 1, color: 0)
        builder.addChannel(id: 10, type: 4, name: "Tickets", position: 0, parentID: nil, topic: nil, overwrites: [])
        builder.addChannel(id: 11, type: 0, name: "mod-log", position: 1, parentID: nil, topic: nil, overwrites: [])
        return builder.build(id: 1, ownerID: 5, memberCount: 3)
    }

    static func run(
        _ tickets: inout GuildTickets, _ config: TicketConfig,
        answer: (SettingsWorkflow.Effect) -> SettingsWorkflow.Outcome = { _ in .succeeded }
    ) throws -> (effects: [SettingsWorkflow.Effect], undone: Bool)? {
        guard var (workflow, effect) = try SettingsWorkflow.begin(config, by: 7, tickets: &tickets, guild: guild)
        else { return nil }
        var effects = [effect]
        while let next = workflow.next(after: answer(effect), tickets: &tickets) {
            effects.append(next)
            effect = next
        }
        return (effects, workflow.wasUndone)
    }

    @Test("a change is stored with its log entry in one write, then announced by name, then marked announced")
    func savedAndAnnounced() throws {
        var tickets = GuildTickets()
        let (effects, undone) = try #require(
            try Self.run(&tickets, TicketConfig(staffRoleID: 2, parentCategoryID: 10, logChannelID: 11)))
        #expect(!undone && effects.count == 3 && effects.first == .store && effects.last == .storeQuietly)
        guard case .announce(let change) = effects[1] else {
            Issue.record("no announcement")
            return
        }
        #expect(change.revision == 1 && change.byUserID == 7)
        #expect(change.changes.contains("Type **Support** · staff roles: none → @Support"))
        #expect(change.changes.contains("Type **Support** · categories: none → #Tickets"))
        #expect(change.changes.contains("Log · Problems: none → #mod-log"))
        #expect(tickets.config.defaultType.staffRoleIDs == [2] && tickets.pendingSettingsChange == nil)
    }

    @Test("the write fails: the settings are as before and nothing is announced")
    func writeFails() throws {
        var tickets = GuildTickets()
        let (effects, undone) = try #require(try Self.run(&tickets, TicketConfig(staffRoleID: 2)) { _ in .failed })
        #expect(undone && effects == [.store])
        #expect(
            tickets.config == TicketConfig() && tickets.settingsRevision == 0 && tickets.pendingSettingsChange == nil)
    }

    @Test("nothing changed: nothing is stored or logged; an invalid change is refused with every problem")
    func unchangedOrInvalid() throws {
        var tickets = GuildTickets()
        #expect(try Self.run(&tickets, TicketConfig()) == nil)
        do {
            _ = try Self.run(&tickets, TicketConfig(staffRoleID: 99, nameTemplate: "{nope}"))
            Issue.record("an invalid configuration was accepted")
        } catch let error as TicketConfigValidationError {
            #expect(Set(error.problems.map(\.field)) == [.staffRoles, .nameTemplate])
        }
        #expect(tickets.config == TicketConfig())
    }

    // MARK: - /ticket-setup

    static func runSetup(
        permissions: Permissions?, answer: (SetupWorkflow.Effect) -> SetupWorkflow.Outcome
    ) -> [SetupWorkflow.Effect] {
        var (workflow, effect) = SetupWorkflow.begin(userID: 7, channelID: 20, permissions: permissions)
        var effects = [effect]
        while let next = workflow.next(after: answer(effect)) {
            effects.append(next)
            effect = next
        }
        return effects
    }

    @Test("setup by an admin: stored, acknowledged, panel posted, private reply removed, audited")
    func setup() {
        #expect(
            Self.runSetup(permissions: [.administrator]) { _ in .succeeded } == [
                .storeCommand, .acknowledge, .postPanel(20), .deleteReply, .auditSetup(by: 7, in: 20),
            ])
    }

    @Test("setup by a member without Administrator is refused before anything is stored or posted")
    func setupRefused() {
        #expect(
            Self.runSetup(permissions: [.manageChannels]) { _ in .succeeded } == [.refuse(SetupWorkflow.adminsOnly)])
        #expect(Self.runSetup(permissions: nil) { _ in .succeeded } == [.refuse(SetupWorkflow.adminsOnly)])
    }

    @Test("the panel refused for want of permissions: the admin is told what to grant, the staff log says so")
    func panelRefused() {
        let refusal = DiscordRESTError(
            kind: .missingPermissions, status: 403, code: 50013, message: "Missing Permissions",
            route: "POST /channels/{channel.id}/messages")
        let effects = Self.runSetup(permissions: [.administrator]) { effect in
            if case .postPanel = effect { return .refused(refusal) }
            return .succeeded
        }
        #expect(effects.count == 5)
        guard case .tellAdmin(let text) = effects[3] else {
            Issue.record("the admin was not told")
            return
        }
        #expect(text.contains("**View Channel**, **Send Messages** and **Embed Links**"))
        #expect(
            effects.last
                == .reportProblem(title: "Ticket panel could not be posted", detail: "<#20>: Missing Permissions"))
    }

    @Test("the acknowledgement failed (an expired interaction): no panel is posted")
    func acknowledgementFailed() {
        #expect(
            Self.runSetup(permissions: [.administrator]) { $0 == .acknowledge ? .failed : .succeeded } == [
                .storeCommand, .acknowledge,
            ])
    }
}
