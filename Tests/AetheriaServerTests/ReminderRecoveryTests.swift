import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// A crash between recording a stale reminder and posting it (or between posting it and storing that it was
/// posted) leaves the snapshot with a reminder recorded but not confirmed. The restart must post it exactly
/// once: never lose it, never repeat it. The crash state is written into the store as the crash leaves it.
@Suite("Stale reminders across a crash")
struct ReminderRecoveryTests {
    static func markUnconfirmed(_ guildID: GuildID, at date: Date, dataDirectory: String) async throws {
        let database = try SQLiteDatabase(path: dataDirectory + "/aetheria.sqlite")
        let store = try await SQLiteGuildStore(database: database)
        let stored = try #require(try await store.load(guildID))
        var tickets = try GuildTicketsCodec.decode(stored.payload, guildID: guildID)
        let number = try #require(tickets.tickets.first?.number)
        tickets.clearReminder(number: number)
        tickets.markReminded(number: number, at: date)
        var snapshot = stored
        snapshot.version += 1
        snapshot.payload = GuildTicketsCodec.encode(tickets)
        try await store.save(snapshot)
        await database.shutdown()
    }

    @Test("recorded but not posted: posted once after the restart; posted but not confirmed: not posted again")
    func unconfirmedReminders() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let dataDirectory = BotHarness.temporaryDataDirectory()
            let clock = TestClock()
            let (fixture, channel) = try await BotHarness.withBot(
                discord: discord, dataDirectory: dataDirectory, clock: clock
            ) { harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture)
                let panel = try await harness.postPanel(fixture)
                return (fixture, try await harness.openTicket(fixture, panel: panel, as: fixture.members[0]))
            }
            @Sendable func reminders(_ harness: BotHarness) async throws -> Int {
                try await harness.messages(in: channel.id).count { $0.embeds.first?.title == "Still need help?" }
            }
            let recordedAt = clock.now
            // 1. The crash came after recording, before posting.
            try await Self.markUnconfirmed(fixture.guildID, at: recordedAt, dataDirectory: dataDirectory)
            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory, clock: clock) { harness in
                try await eventually("the lost reminder is posted") { try await reminders(harness) == 1 }
                try await eventually("its posting is stored") {
                    await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets.first?.reminderPosted
                        == true
                }
            }
            // 2. The crash came after posting, before storing that it was posted.
            try await Self.markUnconfirmed(fixture.guildID, at: recordedAt, dataDirectory: dataDirectory)
            try await BotHarness.withBot(discord: discord, dataDirectory: dataDirectory, clock: clock) { harness in
                try await eventually("the reminder found in the channel is confirmed, not repeated") {
                    await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.tickets.first?.reminderPosted
                        == true
                }
                #expect(try await reminders(harness) == 1)
            }
        }
    }
}
