import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import TicketCore

/// `/ticket …` inside a ticket, against the emulator: what staff, members and the guild's log see.
@Suite("Staff commands inside a ticket against the emulator")
struct StaffCommandTests {
    typealias Option = EmulatorControlClient.OptionValue

    /// The bot's answer to a command (its text, or its notice's text) once it contains `text`; whether it is
    /// ephemeral (only the member who ran it saw it).
    static func reply(
        _ harness: BotHarness, to interaction: SentInteraction, containing text: String
    ) async throws -> (text: String, ephemeral: Bool) {
        let box = Mutex<(String, Bool)?>(nil)
        try await eventually("the bot answers with “\(text)”") {
            let record = try await harness.discord.controlAPI.interaction(interaction)
            let message = record["original_message"]
            let said =
                (message?["content"]?.stringValue ?? "")
                + (message?["embeds"]?.arrayValue?.first?["description"]?.stringValue ?? "")
            guard said.contains(text) else { return false }
            let flags = message?["flags"]?.intValue ?? 0
            box.withLock { $0 = (said, flags & 64 != 0) }
            return true
        }
        return try #require(box.withLock { $0 })
    }

    static func run(
        _ harness: BotHarness, _ subcommand: String, in channelID: ChannelID, as userID: UserID,
        _ options: [Option] = []
    ) async throws -> SentInteraction {
        try await harness.discord.controlAPI.runCommand(
            "ticket", subcommand, in: channelID, as: userID, options: options)
    }

    static func overwrite(
        of target: UInt64, in channelID: ChannelID, _ harness: BotHarness
    ) async throws -> PermissionOverwrite? {
        let channel = try await harness.channels(of: harness.discord.guilds()[0].id).first { $0.id == channelID }
        return channel?.permissionOverwrites?.first { $0.id.rawValue == target }
    }

    @Test(
        "staff add and remove members, claim (only the claimer sees it), rename within Discord's limit, note and close with a reason; members and other channels are refused"
    )
    func staffToolset() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].claimMode = .claimerOnly }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let guest = fixture.members[1]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            let staff = fixture.staff

            // Refusals: a member, and a staff member outside a ticket, are told privately.
            let byMember = try await Self.run(harness, "claim", in: channel.id, as: opener)
            let memberRefusal = try await Self.reply(harness, to: byMember, containing: "Only the support staff")
            #expect(memberRefusal.ephemeral)
            let outside = try await Self.run(harness, "claim", in: fixture.supportChannel, as: staff)
            #expect(try await Self.reply(harness, to: outside, containing: "inside a ticket channel").ephemeral)
            let removeOpener = try await Self.run(
                harness, "remove", in: channel.id, as: staff, [Option(name: "member", value: opener.description)])
            _ = try await Self.reply(harness, to: removeOpener, containing: "stays in it")

            // Add a member: they can see and write; everyone in the ticket sees the notice.
            let add = try await Self.run(
                harness, "add", in: channel.id, as: staff, [Option(name: "member", value: guest.description)])
            let added = try await Self.reply(harness, to: add, containing: "added <@\(guest)>")
            #expect(!added.ephemeral)
            let guestOverwrite = try await Self.overwrite(of: guest.rawValue, in: channel.id, harness)
            #expect(guestOverwrite?.allow.contains(.viewChannel) == true)
            #expect(guestOverwrite?.allow.contains(.sendMessages) == true)
            let again = try await Self.run(
                harness, "add", in: channel.id, as: staff, [Option(name: "member", value: guest.description)])
            _ = try await Self.reply(harness, to: again, containing: "already in this ticket")

            // Claim: in this type's mode only the claimer sees it; the topic names them.
            let claim = try await Self.run(harness, "claim", in: channel.id, as: staff)
            _ = try await Self.reply(harness, to: claim, containing: "claimed this ticket")
            try await eventually("the topic names the claimer") {
                try await harness.channels(of: fixture.guildID).first { $0.id == channel.id }?.topic?.contains(
                    "claimed by <@\(staff)>") == true
            }
            let staffRoleOverwrite = try await Self.overwrite(of: fixture.staffRole.rawValue, in: channel.id, harness)
            #expect(staffRoleOverwrite?.deny.contains(.viewChannel) == true, "the rest of the staff no longer see it")
            #expect(
                try await Self.overwrite(of: staff.rawValue, in: channel.id, harness)?.allow.contains(.sendMessages)
                    == true)

            // Rename: the claim's topic took one of Discord's two edits per 10 minutes, the rename the other.
            let rename = try await Self.run(
                harness, "rename", in: channel.id, as: staff, [Option(name: "name", value: "Refund Question")])
            _ = try await Self.reply(harness, to: rename, containing: "renamed this ticket")
            try await eventually("the channel is renamed as Discord normalises names") {
                try await harness.channels(of: fixture.guildID).first { $0.id == channel.id }?.name == "refund-question"
            }
            let tooSoon = try await Self.run(
                harness, "rename", in: channel.id, as: staff, [Option(name: "name", value: "again")])
            _ = try await Self.reply(harness, to: tooSoon, containing: "twice per 10 minutes")

            // A note: only the staff member sees the answer; the log has it; the channel does not.
            let note = try await Self.run(
                harness, "note", in: channel.id, as: staff, [Option(name: "text", value: "Refund approved by finance")])
            #expect(try await Self.reply(harness, to: note, containing: "Note saved").ephemeral)
            #expect(
                !(try await harness.messages(in: channel.id)).contains {
                    $0.content.contains("finance") || $0.embeds.contains { $0.description?.contains("finance") == true }
                })

            // Close with a reason: the notice, the log and the transcript carry it, with the claimer and note.
            let close = try await Self.run(
                harness, "close", in: channel.id, as: staff, [Option(name: "reason", value: "Refund sent")])
            _ = try await Self.reply(harness, to: close, containing: "was closed")
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("<dt>Reason</dt><dd>Refund sent</dd>"))
            #expect(html.contains("<dt>Claimed by</dt>") && html.contains("Refund approved by finance"))
            #expect(html.contains("claimed this ticket and will answer it"), "the notices are in the transcript")
            // The dashboard's list names the people; the claimer's name finds the ticket.
            let record = try #require(
                try await harness.bot.transcripts.record(guildID: fixture.guildID, ticketNumber: 1))
            let staffUser = try #require(fixture.guild.members.first { $0.user?.id == staff }?.user)
            let openerUser = try #require(fixture.guild.members.first { $0.user?.id == opener }?.user)
            #expect(
                record.openerName == openerUser.displayName && record.closerName == staffUser.displayName,
                "\(record.openerName ?? "-") \(record.closerName ?? "-") \(openerUser.displayName) \(staffUser.displayName)"
            )
            #expect(record.claimerID == staff && record.claimerName == staffUser.displayName)
            var byClaimer = TranscriptQuery()
            byClaimer.words = TranscriptSearch.queryWords("claimed by " + staffUser.displayName)
            #expect(
                try await harness.bot.transcripts.list(guildID: fixture.guildID, query: byClaimer).map(\.ticketNumber)
                    == [1])

            try await eventually("every action is in the moderation log, once") {
                let titles = try await harness.auditTitles(fixture)
                return ["add member", "claim", "rename", "note"].allSatisfy { kind in
                    titles.count { $0 == "Ticket #1: \(kind)" } == 1
                } && titles.contains("Ticket #1 closed")
            }
            let closedEntry = try await harness.messages(in: fixture.logChannel).first {
                $0.embeds.first?.title == "Ticket #1 closed"
            }
            #expect(
                closedEntry?.embeds.first?.fields?.contains { $0.name == "Reason" && $0.value == "Refund sent" } == true
            )
        }
    }

    @Test("transfer hands a claimed ticket to another staff member only; unclaim gives it back to the whole staff")
    func transferAndUnclaim() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].claimMode = .claimerWrites }
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            let colleague = fixture.members[2]
            _ = try await harness.discord.control(
                .PATCH, "/guilds/\(fixture.guildID)/members/\(colleague)",
                json: #"{"roles":["\#(fixture.staffRole)"]}"#)

            let claim = try await Self.run(harness, "claim", in: channel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: claim, containing: "claimed this ticket")
            let writes = try await Self.overwrite(of: fixture.staffRole.rawValue, in: channel.id, harness)
            #expect(writes?.deny.contains(.sendMessages) == true && writes?.allow.contains(.viewChannel) == true)

            let toMember = try await Self.run(
                harness, "transfer", in: channel.id, as: fixture.staff,
                [Option(name: "member", value: fixture.members[1].description)])
            _ = try await Self.reply(harness, to: toMember, containing: "not on this ticket type's staff")
            let transfer = try await Self.run(
                harness, "transfer", in: channel.id, as: fixture.staff,
                [Option(name: "member", value: colleague.description)])
            _ = try await Self.reply(harness, to: transfer, containing: "handed this ticket to <@\(colleague)>")
            try await eventually("the colleague may write and the first claimer's own overwrite is gone") {
                let colleagueOverwrite = try await Self.overwrite(of: colleague.rawValue, in: channel.id, harness)
                let first = try await Self.overwrite(of: fixture.staff.rawValue, in: channel.id, harness)
                return colleagueOverwrite?.allow.contains(.sendMessages) == true && first == nil
            }

            let unclaim = try await Self.run(harness, "unclaim", in: channel.id, as: colleague)
            _ = try await Self.reply(harness, to: unclaim, containing: "gave this ticket back")
            try await eventually("the whole staff writes again") {
                try await Self.overwrite(of: fixture.staffRole.rawValue, in: channel.id, harness)?.allow.contains(
                    .sendMessages) == true
            }
            let twice = try await Self.run(harness, "unclaim", in: channel.id, as: colleague)
            _ = try await Self.reply(harness, to: twice, containing: "Nobody has claimed")
        }
    }

    @Test(
        "staff reopen a closed ticket before its channel is deleted: the member writes again, counters undo the close, and the next close saves a new transcript"
    )
    func reopenWithinTheDeletionDelay() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].deleteDelaySeconds = 600 }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            let open = try await Self.run(harness, "reopen", in: channel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: open, containing: "This ticket is open.")

            let close = try await Self.run(
                harness, "close", in: channel.id, as: fixture.staff, [Option(name: "reason", value: "Too early")])
            _ = try await Self.reply(harness, to: close, containing: "staff can `/ticket reopen` it")
            #expect(try await harness.access(of: opener, to: channel.id).send == false, "closing locked the channel")

            let byMember = try await Self.run(harness, "reopen", in: channel.id, as: opener)
            #expect(try await Self.reply(harness, to: byMember, containing: "Only the support staff").ephemeral)
            let reopen = try await Self.run(harness, "reopen", in: channel.id, as: fixture.staff)
            #expect(!(try await Self.reply(harness, to: reopen, containing: "reopened this ticket")).ephemeral)
            #expect(try await harness.access(of: opener, to: channel.id).send, "the member can write again")
            let tickets = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets
            let reopened = try #require(tickets.ticket(inChannel: channel.id))
            #expect(reopened.state == .open && reopened.deleteAt == nil && reopened.closeReason == nil)
            #expect(tickets.analytics.opened == 1 && tickets.analytics.closed == 0 && tickets.openTicketCount == 1)
            #expect(tickets.analytics.resolutionCount == 0 && tickets.analytics.days.allSatisfy { $0.closed == 0 })

            // The member goes on; the second close replaces the first transcript, with everything in it.
            try await harness.post("One more thing about my refund", in: channel.id, as: opener)
            let second = try await Self.run(
                harness, "close", in: channel.id, as: fixture.staff, [Option(name: "reason", value: "Done now")])
            _ = try await Self.reply(harness, to: second, containing: "was closed")
            try await eventually("the transcript is saved again, with the reopening and the later message") {
                let html = try await harness.savedTranscript(of: 1, in: fixture)
                return html.contains("reopened this ticket") && html.contains("One more thing about my refund")
                    && html.contains("<dd>Done now</dd>")
            }
            let closedAgain = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets
            #expect(closedAgain.analytics.closed == 1 && closedAgain.analytics.resolutionCount == 1)
            try await eventually("the log has the reopening once and both closes") {
                let titles = try await harness.auditTitles(fixture)
                return titles.count { $0 == "Ticket #1: reopen" } == 1 && titles.count { $0 == "Ticket #1 closed" } == 2
            }
        }
    }

    @Test(
        "Discord refuses staff actions while the bot lacks Manage Roles: staff are told nothing changed, the record takes them back (add, claim, reopen), and they work once the permission is back"
    )
    func refusedByDiscord() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].deleteDelaySeconds = 600 }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let guest = fixture.members[1]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            let closedChannel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[2])
            let close = try await Self.run(harness, "close", in: closedChannel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: close, containing: "staff can `/ticket reopen` it")

            let botRole = try #require(fixture.guild.role(named: "Aetheria"))
            func setBotPermissions(_ permissions: Permissions) async throws {
                let patched = try await harness.discord.control(
                    .PATCH, "/guilds/\(fixture.guildID)/roles/\(botRole.id)",
                    json: #"{"permissions":"\#(permissions.rawValue)"}"#)
                #expect(patched.status == 200)
            }
            try await setBotPermissions(botRole.permissions.subtracting(.manageRoles))
            let add = try await Self.run(
                harness, "add", in: channel.id, as: fixture.staff, [Option(name: "member", value: guest.description)])
            _ = try await Self.reply(harness, to: add, containing: "nothing was changed")
            #expect(try await Self.overwrite(of: guest.rawValue, in: channel.id, harness) == nil)
            let claim = try await Self.run(harness, "claim", in: channel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: claim, containing: "nothing was changed")
            let reopen = try await Self.run(harness, "reopen", in: closedChannel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: reopen, containing: "nothing was changed")

            // What the dashboard and the next command see is what Discord shows.
            let tickets = try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets
            let ticket = try #require(tickets.ticket(inChannel: channel.id))
            #expect(ticket.claimerID == nil && (ticket.addedMemberIDs ?? []).isEmpty)
            #expect(ticket.pendingStaffActions == nil)
            let stillClosed = try #require(tickets.ticket(inChannel: closedChannel.id))
            #expect(stillClosed.state == .closed && stillClosed.deleteAt != nil)
            #expect(tickets.analytics.closed == 1 && tickets.openTicketCount == 1)
            #expect(try await harness.access(of: fixture.members[2], to: closedChannel.id).send == false)

            // An admin gives the permission back: the same commands now work (none is "already done").
            try await setBotPermissions(botRole.permissions)
            let addAgain = try await Self.run(
                harness, "add", in: channel.id, as: fixture.staff, [Option(name: "member", value: guest.description)])
            _ = try await Self.reply(harness, to: addAgain, containing: "added <@\(guest)>")
            let claimAgain = try await Self.run(harness, "claim", in: channel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: claimAgain, containing: "claimed this ticket")
            let reopenAgain = try await Self.run(harness, "reopen", in: closedChannel.id, as: fixture.staff)
            _ = try await Self.reply(harness, to: reopenAgain, containing: "reopened this ticket")
            #expect(try await harness.access(of: fixture.members[2], to: closedChannel.id).send)
            // The log has each action once: the refused ones were never logged as done.
            try await eventually("the log has the add, the claim and the reopen that worked") {
                let titles = try await harness.auditTitles(fixture)
                return titles.count { $0 == "Ticket #1: add member" } == 1
                    && titles.count { $0 == "Ticket #1: claim" } == 1
                    && titles.count { $0 == "Ticket #2: reopen" } == 1
            }
            let titles = try await harness.auditTitles(fixture)
            #expect(titles.count { $0.hasPrefix("Ticket #1: ") || $0 == "Ticket #2: reopen" } == 3)
        }
    }
}
