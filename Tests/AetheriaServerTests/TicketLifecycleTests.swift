import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore
import TicketTestSupport

@Suite("Stale reminders and restarts against the emulator")
struct TicketLifecycleTests {
    @Test("an idle ticket gets one reminder per idle period; a new message resets it")
    func staleReminders() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let member = try #require(fixture.members.first)
            let channel = try await harness.openTicket(fixture, panel: panel, as: member)
            func reminders() async throws -> Int {
                try await harness.messages(in: channel.id).count { $0.embeds.first?.title == "Still need help?" }
            }
            #expect(await harness.bot.guilds.sendStaleReminders() == 0, "a fresh ticket is not stale")
            harness.clock.advance(by: 49 * 3_600)
            #expect(await harness.bot.guilds.sendStaleReminders() == 1)
            #expect(await harness.bot.guilds.sendStaleReminders() == 0, "never twice for the same idle period")
            #expect(try await reminders() == 1)
            let reminder = try #require(try await harness.messages(in: channel.id).last)
            #expect(reminder.components?.first?.components?.first?.customId == "aetheria:ticket:close")

            try await harness.post("still waiting on this", in: channel.id, as: member)
            try await eventually("the message counts as activity") {
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets.first?.reminderSentAt == nil
            }
            harness.clock.advance(by: 49 * 3_600)
            #expect(await harness.bot.guilds.sendStaleReminders() == 1)
            #expect(try await reminders() == 2)
        }
    }

    @Test(
        "after a restart: a channel deleted while away closes its record, a marked channel without a record is adopted")
    func reconcilesAfterRestart() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let dataDirectory = BotHarness.temporaryDataDirectory()
            let (fixture, channel) = try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) {
                harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture)
                let panel = try await harness.postPanel(fixture)
                return (fixture, try await harness.openTicket(fixture, panel: panel, as: fixture.members[0]))
            }
            // While Aetheria is down: the ticket channel is deleted, and a marked channel appears with no record.
            _ = try await discord.control(.DELETE, "/channels/\(channel.id)")
            let stray = fixture.members[1]
            let created = try await discord.control(
                .POST, "/guilds/\(fixture.guildID)/channels",
                json:
                    #"{"name":"ticket-stray","type":0,"parent_id":"\#(fixture.category)","topic":"Support ticket #7 · aetheria:ticket:7:\#(stray)"}"#
            )
            try #require(created.status == 200 || created.status == 201)

            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                try await eventually("the records match Discord again") {
                    let tickets = await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets ?? []
                    return tickets.map(\.number) == [7] && tickets.first?.openerID == stray
                }
                let resumes = try await discord.control(.GET, "/records/resumes").json?.arrayValue ?? []
                #expect(!resumes.isEmpty, "the restarted bot resumed its session instead of identifying")
                try await eventually("the audit log explains both") {
                    let titles = try await harness.auditTitles(fixture)
                    return titles.contains("Ticket #7 recovered") && titles.contains("Ticket #1 channel deleted")
                }
                // The adopted ticket works like any other: numbering continues after it.
                let panel = try await harness.postPanel(fixture)
                let next = try await harness.openTicket(fixture, panel: panel, as: fixture.members[2])
                #expect(next.topic?.contains("aetheria:ticket:8:") == true)
            }
        }
    }

    @Test("an opening interrupted before the channel existed is finished after a restart, exactly once")
    func finishesInterruptedOpening() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let guild = try TicketFixture(try #require(try await discord.guilds().first))
            let member = guild.members[0]
            let dataDirectory = BotHarness.temporaryDataDirectory()
            // What a process killed right after persisting the intent leaves behind.
            var tickets = GuildTickets(
                config: TicketConfig(staffRoleID: guild.staffRole, parentCategoryID: guild.category))
            guard
                case .create = tickets.requestOpen(
                    openerID: member, openerName: guild.username(of: member), interaction: nil, now: Date())
            else { Issue.record("the intent was refused"); return }
            _ = try await BotHarness.seedStoredState(
                GuildTicketsCodec.encode(tickets), guildID: guild.guildID, dataDirectory: dataDirectory)

            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                try await eventually("the interrupted ticket is opened") {
                    await harness.bot.guilds.overview(of: guild.guildID)?.tickets.tickets.first?.state == .open
                }
                let channels = try await harness.ticketChannels(of: guild.guildID)
                #expect(channels.count == 1)
                #expect(channels.first?.topic?.hasSuffix("aetheria:ticket:1:\(member):1") == true)
                #expect(try await harness.access(of: member, to: try #require(channels.first).id).view)
            }
        }
    }

    @Test("a channel created just before a crash is adopted, not duplicated")
    func adoptsChannelOfInterruptedOpening() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let guild = try TicketFixture(try #require(try await discord.guilds().first))
            let member = guild.members[0]
            let dataDirectory = BotHarness.temporaryDataDirectory()
            var tickets = GuildTickets(config: TicketConfig(staffRoleID: guild.staffRole))
            _ = tickets.requestOpen(openerID: member, openerName: "alice", interaction: nil, now: Date())
            _ = try await BotHarness.seedStoredState(
                GuildTicketsCodec.encode(tickets), guildID: guild.guildID, dataDirectory: dataDirectory)
            // Discord made the channel; the process died before recording it.
            _ = try await discord.control(
                .POST, "/guilds/\(guild.guildID)/channels",
                json: #"{"name":"ticket-alice","type":0,"topic":"Support ticket #1 · aetheria:ticket:1:\#(member)"}"#)

            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                let made = try #require(try await harness.ticketChannels(of: guild.guildID).first)
                try await eventually("the channel is adopted") {
                    await harness.bot.guilds.overview(of: guild.guildID)?.tickets.tickets.first?.state == .open
                }
                // Adopted means recorded open with Discord's channel: no opening is left that could make another.
                let ticket = await harness.bot.guilds.overview(of: guild.guildID)?.tickets.tickets.first
                #expect(ticket?.channelID == made.id)
                #expect(try await harness.ticketChannels(of: guild.guildID).map(\.id) == [made.id])
            }
        }
    }

    @Test("a close interrupted after the lock is finished after a restart: transcript, notice, deletion")
    func finishesInterruptedClose() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let guild = try TicketFixture(try #require(try await discord.guilds().first))
            let member = guild.members[0]
            let dataDirectory = BotHarness.temporaryDataDirectory()
            let channel = try await discord.control(
                .POST, "/guilds/\(guild.guildID)/channels",
                json: #"{"name":"ticket-x","type":0,"topic":"Support ticket #1 · aetheria:ticket:1:\#(member)"}"#
            ).decode(DiscordModels.Channel.self)
            // What a process killed in the middle of closing leaves behind.
            var tickets = GuildTickets(config: TicketConfig(staffRoleID: guild.staffRole, deleteDelaySeconds: 0))
            _ = tickets.requestOpen(openerID: member, openerName: "x", interaction: nil, now: Date())
            tickets.confirmChannel(number: 1, channelID: channel.id, name: "ticket-x")
            _ = tickets.requestClose(
                inChannel: channel.id, closerID: guild.staff, closerIsStaff: true, reason: nil, now: Date())
            _ = try await BotHarness.seedStoredState(
                GuildTicketsCodec.encode(tickets), guildID: guild.guildID, dataDirectory: dataDirectory)

            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                try await eventually("the close is finished and the channel deleted") {
                    try await harness.ticketChannels(of: guild.guildID).isEmpty
                }
                let record = try await harness.bot.transcripts.record(guildID: guild.guildID, ticketNumber: 1)
                #expect(record?.closerID == guild.staff)
                let overview = try #require(await harness.bot.guilds.overview(of: guild.guildID))
                #expect(overview.tickets.tickets.isEmpty)
                #expect(overview.tickets.analytics.closed == 1)
            }
        }
    }

    @Test("transcripts older than the retention period are deleted; newer ones stay")
    func transcriptRetention() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            try await BotHarness.withBot(
                discord: discord, dataDirectory: BotHarness.temporaryDataDirectory(),
                configure: { $0.transcriptRetentionDays = 30 }
            ) { harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture) { $0.types[0].deleteDelaySeconds = 0 }
                let panel = try await harness.postPanel(fixture)
                let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
                let welcome = try await harness.welcome(in: channel.id)
                _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.staff)
                let store = harness.bot.transcripts
                try await eventually("the transcript is saved") {
                    try await store.record(guildID: fixture.guildID, ticketNumber: 1) != nil
                }
                harness.clock.advance(by: 29 * 86_400)
                await harness.bot.purgeOldTranscripts()
                #expect(try await store.record(guildID: fixture.guildID, ticketNumber: 1) != nil)
                harness.clock.advance(by: 2 * 86_400)
                await harness.bot.purgeOldTranscripts()
                #expect(try await store.record(guildID: fixture.guildID, ticketNumber: 1) == nil)
                #expect(try await store.html(guildID: fixture.guildID, ticketNumber: 1) == nil)
            }
        }
    }
}
