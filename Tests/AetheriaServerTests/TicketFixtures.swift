import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import TicketCore
import TicketTestSupport

/// The seeded guild as a test needs it: who is admin, staff and member, and the channels used.
struct TicketFixture: Sendable {
    var guild: EmulatorHarness.SeededGuild
    var admin: UserID
    var staff: UserID
    var members: [UserID]
    var supportChannel: ChannelID
    var category: ChannelID
    var logChannel: ChannelID
    var staffRole: RoleID

    init(_ guild: EmulatorHarness.SeededGuild) throws {
        self.guild = guild
        let adminRole = try #require(guild.role(named: "Admin")).id
        staffRole = try #require(guild.role(named: "Support Team")).id
        let staffRole = self.staffRole
        admin = try #require(guild.members.first { $0.roles.contains(adminRole) }?.user?.id)
        staff = try #require(guild.members.first { $0.roles.contains(staffRole) }?.user?.id)
        members = guild.ordinaryMembers
        supportChannel = try #require(guild.channel(named: "support")).id
        category = try #require(guild.channel(named: "Support Tickets")).id
        logChannel = try #require(guild.channel(named: "mod-log")).id
    }

    var guildID: GuildID { guild.id }

    func username(of userID: UserID) -> String {
        guild.members.first { $0.user?.id == userID }?.user?.username ?? ""
    }
}

extension BotHarness {
    func fixture() async throws -> TicketFixture {
        try TicketFixture(try #require(try await discord.guilds().first))
    }

    /// Staff role, category and log channel set, as an admin would on the dashboard.
    func configure(_ fixture: TicketFixture, _ adjust: (inout TicketConfig) -> Void = { _ in }) async throws {
        var config = TicketConfig(
            staffRoleID: fixture.staffRole, parentCategoryID: fixture.category, logChannelID: fixture.logChannel)
        adjust(&config)
        // A channel a test has just made reaches the bot over the gateway a moment later; until then settings
        // naming it are refused as naming a channel that does not exist.
        let settings = config
        try await eventually("the settings are accepted") {
            (try? await bot.guilds.updateConfig(settings, for: fixture.guildID, by: fixture.admin)) != nil
        }
    }

    /// Runs `/ticket-setup` as the admin and returns the panel message.
    /// Runs `/ticket-setup` and returns the panel it posted: waits for one more panel than there was before
    /// (an earlier panel in the channel is not this command's answer).
    func postPanel(_ fixture: TicketFixture) async throws -> Message {
        @Sendable func panels() async throws -> [Message] {
            try await messages(in: fixture.supportChannel).filter {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:open:1"
            }
        }
        let before = try await panels().count
        _ = try await runCommand("ticket-setup", in: fixture.supportChannel, as: fixture.admin)
        let panel = Mutex<Message?>(nil)
        try await eventually("the panel is posted") {
            let found = try await panels()
            panel.withLock { $0 = found.count > before ? found.last : nil }
            return found.count > before
        }
        return try #require(panel.withLock { $0 })
    }

    /// A member clicks "Open Ticket" and waits for the ticket channel; returns it.
    func openTicket(
        _ fixture: TicketFixture, panel: Message, as member: UserID
    ) async throws -> DiscordModels.Channel {
        let click = try await click("aetheria:ticket:open:1", on: panel.id, in: fixture.supportChannel, as: member)
        _ = try await answer(to: click, containing: "Your ticket is ready")
        let channel = try await ticketChannels(of: fixture.guildID).last {
            $0.topic.flatMap(TicketMarker.init(topic:))?.openerID == member
        }
        return try #require(channel)
    }

    /// The welcome message in a ticket channel (it carries the Close button).
    func welcome(in channelID: ChannelID) async throws -> Message {
        let box = Mutex<Message?>(nil)
        try await eventually("the welcome message is posted") {
            let found = try await messages(in: channelID).first {
                $0.components?.first?.components?.first?.customId == "aetheria:ticket:close"
            }
            box.withLock { $0 = found }
            return found != nil
        }
        return try #require(box.withLock { $0 })
    }

    /// Embed titles posted to the moderation log, oldest first.
    /// The HTML transcript of ticket `number`, once the close has saved it.
    func savedTranscript(of number: Int, in fixture: TicketFixture) async throws -> String {
        try await eventually("the transcript of ticket #\(number) is saved") {
            try await bot.transcripts.record(guildID: fixture.guildID, ticketNumber: number) != nil
        }
        let html = try await bot.transcripts.html(guildID: fixture.guildID, ticketNumber: number)
        return String(decoding: try #require(html), as: UTF8.self)
    }

    func auditTitles(_ fixture: TicketFixture) async throws -> [String] {
        try await messages(in: fixture.logChannel).compactMap { $0.embeds.first?.title }
    }
}
