import AetheriaServer
import DiscordEmulator
import DiscordModels
import EmulatorControl
import Foundation
import Logging
import ServiceLifecycle
import TicketCore

/// Simulated community members for `aetheria demo`. They act only through the emulator's control API, the way
/// people act through Discord's client: an admin sets each guild up once (as on the dashboard) and runs
/// `/ticket-setup`; members click "Open Ticket" and describe problems; staff answer and close tickets.
struct DemoActivity: Service {
    let demoBot: DemoBot
    let endpoints: @Sendable () async throws -> LocalDiscord.Endpoints
    let interval: Duration
    let logger: Logger

    private struct GuildCast: Sendable {
        var id: GuildID
        var name: String
        var admin: UserID
        var staff: [UserID]
        var members: [UserID]
        var supportChannel: ChannelID
        var panel: MessageID?
    }

    static let problems = [
        "Hi! I can't access the #events channel since yesterday.",
        "My role didn't update after I boosted the server.",
        "Someone is spamming invite links in my DMs, can you help?",
        "I'd like to appeal a mute from last week.",
        "The verification bot never sent me the captcha.",
        "How do I apply to become an event host?",
    ]
    static let staffLines = [
        "Thanks for reaching out! Let me take a look.",
        "Could you share a screenshot of what you see?",
        "I've fixed that on our side, can you check again?",
        "Got it, I've passed this to the moderators.",
    ]
    static let followUps = ["Here you go.", "It works now, thank you!", "Sure, one moment.", "Perfect, thanks a lot!"]

    init(
        bot: DemoBot, endpoints: @escaping @Sendable () async throws -> LocalDiscord.Endpoints, interval: Duration,
        logger: Logger
    ) {
        self.demoBot = bot
        self.endpoints = endpoints
        self.interval = interval
        self.logger = logger
    }

    private var bot: AetheriaApplication {
        get async throws { try await demoBot.application() }
    }

    func run() async throws {
        let control = EmulatorControlClient(baseURL: try await endpoints().controlURL)
        var random = SystemRandomNumberGenerator()
        let casts: [GuildCast]
        do {
            casts = try await cancelWhenGracefulShutdown { try await setUp(control) }
        } catch is CancellationError {
            return  // the demo stopped while the guilds were being set up
        }
        guard !casts.isEmpty else {
            // No guild to act in: stay until the demo stops (a service that returns would end the demo).
            try? await gracefulShutdown()
            return
        }
        var lastSummary = ContinuousClock.now
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let cast = casts.randomElement(using: &random)!
            do {
                try await act(in: cast, control: control, random: &random)
            } catch {
                logger.debug("demo action skipped: \(error)")
            }
            if ContinuousClock.now - lastSummary > .seconds(30) {
                lastSummary = ContinuousClock.now
                await printSummary(casts)
            }
        }
    }

    // MARK: - Set-up

    private func setUp(_ control: EmulatorControlClient) async throws -> [GuildCast] {
        let ids = try await control.guildIDs()
        // Wait for the bot to know every guild.
        for _ in 0..<600 {
            var ready = 0
            for id in ids where await (try bot).guilds.overview(of: id)?.discord != nil { ready += 1 }
            if ready == ids.count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        var casts: [GuildCast] = []
        for id in ids {
            guard let cast = try await prepare(try await control.guild(id), control: control) else { continue }
            casts.append(cast)
        }
        logger.notice("demo: \(casts.count) guilds set up with a ticket panel")
        return casts
    }

    private func prepare(_ guild: Guild, control: EmulatorControlClient) async throws -> GuildCast? {
        let roles = guild.roles ?? []
        let channels = guild.channels ?? []
        guard let adminRole = roles.first(where: { $0.name == "Admin" }),
            let staffRole = roles.first(where: { $0.name == "Support Team" }),
            let category = channels.first(where: { $0.name == "Support Tickets" }),
            let support = channels.first(where: { $0.name == "support" })
        else { return nil }
        let members = guild.members ?? []
        func holders(of role: RoleID) -> [UserID] {
            members.filter { $0.roles.contains(role) }.compactMap { $0.user?.id }
        }
        guard let admin = holders(of: adminRole.id).first else { return nil }
        var config = await (try bot).guilds.overview(of: guild.id)?.tickets.config ?? TicketConfig()
        if !config.types.isEmpty {
            config.types[0].staffRoleIDs = [staffRole.id]
            config.types[0].categoryIDs = [category.id]
            config.types[0].deleteDelaySeconds = 15
        }
        config.logRouting = .everything(to: channels.first { $0.name == "mod-log" }?.id)
        _ = try? await (try bot).guilds.updateConfig(config, for: guild.id, by: admin)
        var cast = GuildCast(
            id: guild.id, name: guild.name ?? "", admin: admin, staff: holders(of: staffRole.id),
            members: members.filter { $0.roles.isEmpty }.compactMap { $0.user?.id }
                .filter { $0 != guild.ownerId && $0 != EmulatorConfiguration.botUserID },
            supportChannel: support.id)
        cast.panel = try await panel(in: support.id, control: control)
        if cast.panel == nil {
            _ = try await control.runCommand("ticket-setup", in: support.id, as: admin)
            for _ in 0..<50 where cast.panel == nil {
                try await Task.sleep(for: .milliseconds(100))
                cast.panel = try await panel(in: support.id, control: control)
            }
        }
        return cast.panel == nil ? nil : cast
    }

    /// The panel's button of the guild's first ticket type (a fresh guild's type 1).
    static let openButton = "aetheria:ticket:open:1"

    private func panel(in channelID: ChannelID, control: EmulatorControlClient) async throws -> MessageID? {
        try await control.messages(in: channelID).last { message in
            message.components?.first?.components?.first?.customId == Self.openButton
        }?.id
    }

    // MARK: - One action

    private func act(
        in cast: GuildCast, control: EmulatorControlClient, random: inout SystemRandomNumberGenerator
    ) async throws {
        guard let overview = await (try bot).guilds.overview(of: cast.id), let panel = cast.panel else { return }
        let open = overview.tickets.tickets.filter { $0.state == .open && $0.channelID != nil }
        let busy = Set(overview.tickets.tickets.map(\.openerID))
        if open.count < 4, Int.random(in: 0..<3, using: &random) == 0 || open.isEmpty,
            let member = cast.members.filter({ !busy.contains($0) }).randomElement(using: &random)
        {
            _ = try await control.click(Self.openButton, on: panel, in: cast.supportChannel, as: member)
            return
        }
        guard let ticket = open.randomElement(using: &random), let channelID = ticket.channelID else { return }
        let history = try await control.messages(in: channelID).filter { $0.author.bot != true }
        let staff = cast.staff.randomElement(using: &random) ?? cast.admin
        if history.count >= Int.random(in: 3...6, using: &random) {
            guard
                let welcome = try await control.messages(in: channelID).first(where: {
                    $0.components?.first?.components?.first?.customId == "aetheria:ticket:close"
                })
            else { return }
            let closer = Bool.random(using: &random) ? staff : ticket.openerID
            _ = try await control.click("aetheria:ticket:close", on: welcome.id, in: channelID, as: closer)
            return
        }
        let (author, line): (UserID, String) =
            switch history.count {
            case 0: (ticket.openerID, Self.problems.randomElement(using: &random)!)
            case 1, 3: (staff, Self.staffLines.randomElement(using: &random)!)
            default: (ticket.openerID, Self.followUps.randomElement(using: &random)!)
            }
        try await control.post(line, in: channelID, as: author)
    }

    private func printSummary(_ casts: [GuildCast]) async {
        guard let bot = try? await demoBot.application() else { return }
        var lines = ["Demo summary:"]
        for cast in casts {
            guard let overview = await bot.guilds.overview(of: cast.id) else { continue }
            let analytics = overview.tickets.analytics
            let average = analytics.averageResolutionSeconds.map { String(format: "%.0f s", $0) } ?? "—"
            lines.append(
                "  \(cast.name): opened \(analytics.opened), closed \(analytics.closed), open \(overview.tickets.openTicketCount), average resolution \(average)"
            )
        }
        print(lines.joined(separator: "\n"))
    }
}
