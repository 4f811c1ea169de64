import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

@Suite("The bot on Redis against the emulator")
struct RedisBotTests {
    @Test(
        "with REDIS_URL set, tickets, transcripts and the shard lease live in Redis and a restart continues from them")
    func ticketsOnRedis() async throws {
        let redisURL = try TestRedis.url()
        // A gateway session saved by an earlier run belongs to an emulator that is gone: start clean, as a
        // new deployment would.
        let cleaner = try TestRedis.client()
        _ = try await cleaner.run(["DEL", "aetheria:{s:0}:session:1"])
        await cleaner.shutdown()
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            let directory = BotHarness.temporaryDataDirectory()
            let (fixture, before) = try await BotHarness.withBot(
                discord: discord, dataDirectory: directory, redisURL: redisURL
            ) {
                harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture) { $0.types[0].deleteDelaySeconds = 0 }
                let panel = try await harness.postPanel(fixture)
                let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
                try await harness.post("Hello from Redis", in: channel.id, as: fixture.members[0])
                let welcome = try await harness.welcome(in: channel.id)
                _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.staff)
                try await eventually("the ticket is closed and its channel deleted") {
                    try await harness.ticketChannels(of: fixture.guildID).isEmpty
                }
                _ = try await harness.openTicket(fixture, panel: panel, as: fixture.members[1])
                // The guild's IDs repeat between runs, so a reused test Redis may hold earlier tickets: compare
                // with what this process recorded rather than with fixed numbers.
                return (fixture, try #require(await harness.bot.guilds.overview(of: fixture.guildID)).tickets)
            }
            #expect(!FileManager.default.fileExists(atPath: directory + "/aetheria.sqlite"), "nothing went to SQLite")

            let redis = try TestRedis.client()
            let transcripts = RedisTranscriptStore(client: redis)
            let closedNumber = try #require(before.tickets.first?.number).advanced(by: -1)
            let html = try await transcripts.html(guildID: fixture.guildID, ticketNumber: closedNumber)
            #expect(html.map { String(decoding: $0, as: UTF8.self).contains("Hello from Redis") } == true)
            let lease = try await redis.run(["EXISTS", "aetheria:{s:0}:lease"])
            #expect(lease.integer == 0, "the lease was released at shutdown")
            await redis.shutdown()

            // A second process start reads the same Redis: the open ticket and the counts are still there.
            try await BotHarness.withBot(discord: discord, dataDirectory: directory, redisURL: redisURL) { harness in
                try await eventually("the open ticket is known again") {
                    let tickets = await harness.bot.guilds.overview(of: fixture.guildID)?.tickets
                    return tickets?.tickets.map(\.number) == before.tickets.map(\.number)
                        && tickets?.analytics.closed == before.analytics.closed
                }
            }
        }
    }
}
