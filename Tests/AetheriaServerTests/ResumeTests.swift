import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("After a resume")
struct ResumeTests {
    @Test("chatter in a guild without tickets costs no REST call; a first click after the resume opens a ticket")
    func chatterIsFreeAfterResume() async throws {
        try await EmulatorHarness.run({ $0.guilds = 2 }) { discord in
            let guilds = try await discord.guilds()
            let chatty = try TicketFixture(try #require(guilds.first))
            let clicked = try TicketFixture(try #require(guilds.last))
            let dataDirectory = BotHarness.temporaryDataDirectory()
            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                // Only the clicked guild is stored; the chatty one is known to this process from nothing but
                // the events it will get.
                try await harness.configure(clicked)
            }
            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory, awaitEveryGuild: false) {
                harness in
                try await eventually("the restarted bot resumed its session") {
                    !(try await discord.control(.GET, "/records/resumes").json?.arrayValue ?? []).isEmpty
                }
                _ = try await discord.control(.DELETE, "/records")  // only what this process asks counts
                for index in 0..<5 {
                    try await harness.post("chatter \(index)", in: chatty.supportChannel, as: chatty.members[0])
                }
                // Learnt without GUILD_CREATE and without tickets: the click's guild fetches its roles and
                // channels, and the ticket is made as usual (several REST round trips after the chatter).
                let panel = try await harness.postPanel(clicked)
                let ticket = try await harness.openTicket(clicked, panel: panel, as: clicked.members[1])
                #expect(ticket.topic?.contains("aetheria:ticket:1:") == true)
                #expect(ticket.parentId == clicked.category)

                let calls = try await discord.control(.GET, "/records/rest").json?.arrayValue ?? []
                let chattyFetches = calls.filter {
                    $0["path"]?.stringValue?.contains("/guilds/\(chatty.guildID)") == true
                }
                #expect(chattyFetches.isEmpty, "a guild without tickets was fetched over REST for its chatter")
            }
        }
    }

    @Test("every guild is served after a restart that resumes, also those with nothing stored yet")
    func everyGuildServedAfterResume() async throws {
        try await EmulatorHarness.run({ $0.guilds = 3 }) { discord in
            let guilds = try await discord.guilds()
            let configured = try TicketFixture(try #require(guilds.first))
            let dataDirectory = BotHarness.temporaryDataDirectory()
            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory) { harness in
                try await harness.configure(configured)  // one guild stored; the other two have nothing saved
            }
            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory, awaitEveryGuild: false) {
                harness in
                try await eventually("the restarted bot resumed its session") {
                    !(try await discord.control(.GET, "/records/resumes").json?.arrayValue ?? []).isEmpty
                }
                // Nothing happens in any guild: each is served all the same, learned from Discord's guild list.
                try await eventually("every guild has its actor") {
                    Set(harness.bot.guilds.guildIDs) == Set(guilds.map(\.id))
                }
                for guild in guilds {
                    #expect(await harness.bot.guilds.overview(of: guild.id) != nil, "guild \(guild.id) is not served")
                }
            }
        }
    }
}
