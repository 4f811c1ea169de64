import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Storage
import Testing
import TicketCore

/// Real `aetheria run` processes on a redis-server of the test's own: one killed while Redis itself is down,
/// and two workers sharing a shard where the standby takes over from a killed worker. Asserted through the
/// emulator, as the guild would see it.
@Suite("Failover: kill -9 during a Redis outage, and a standby taking over a killed worker's shard", .serialized)
struct FailoverTests {
    typealias BotProcess = CrashRecoveryTests.BotProcess

    static func count(_ discord: EmulatorHarness, _ record: String) async throws -> Int {
        try await discord.control(.GET, "/records/\(record)").json?.arrayValue?.count ?? 0
    }

    @Test("Redis dies as a member clicks Open, the bot is killed during the outage; after both restart: one ticket")
    func killedDuringRedisOutage() async throws {
        try await CrashMatrixTests.world(on: .redis) { world in
            let redis = try #require(world.redis)
            let harness = world.harness
            var bot = try await CrashMatrixTests.start(world)
            try await redis.kill()
            _ = try await harness.click(
                "aetheria:ticket:open:1", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            // The click needs the ticket stored before anything is promised, so the bot meets the outage.
            try await eventually("the bot finds Redis gone", timeout: .seconds(30)) {
                BotProcess.log(in: world.dataDirectory).contains("Redis is unreachable")
            }
            try await bot.kill9()

            // The restart finds Redis still down and waits for it instead of connecting to Discord.
            bot = try BotProcess(
                discord: world.discord, dataDirectory: world.dataDirectory, redisURL: redis.url,
                environment: ["AETHERIA_INSTANCE_ID": "crash-matrix"])
            try await eventually("the restarted bot waits for Redis", timeout: .seconds(30)) {
                BotProcess.log(in: world.dataDirectory).contains("waiting for it before connecting to Discord")
            }
            try await redis.start()
            try await CrashRecoveryTests.waitUntilConnected(world.discord, harness)

            // Whether the replayed click could still be answered or had expired, the member gets one ticket by
            // clicking again, and no second one.
            let again = try await harness.click(
                "aetheria:ticket:open:1", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            try await eventually("the member is told where their ticket is") {
                let record = try await world.discord.control(.GET, "/interactions/\(again.id)").json
                let content = record?["original_message"]?["content"]?.stringValue ?? ""
                return content.contains("Your ticket is ready") || content.contains("You already have an open ticket")
            }
            // A click that made no channel leaves a gap in the numbering (its number is never reused).
            let (channel, welcome) = try await CrashMatrixTests.settledTicket(world)
            let number = CrashMatrixTests.number(of: channel)
            try await CrashMatrixTests.closeAndAwaitDeletion(
                world, welcome: welcome, channel: channel.id, number: number)
            try await bot.stop()
            try await CrashMatrixTests.expectOneOfEach(world, number: number)
        }
    }

    @Test(
        "two workers share shard 0: the standby takes the killed worker's lease, resumes its session without identifying, opens no duplicate, and the old Close button works"
    )
    func standbyTakesOver() async throws {
        try await CrashMatrixTests.world(on: .redis) { world in
            let redis = try #require(world.redis)
            let harness = world.harness
            let active = try await CrashMatrixTests.start(world, instanceID: "worker-a")
            let standbyDirectory = BotHarness.temporaryDataDirectory()
            try FileManager.default.createDirectory(atPath: standbyDirectory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: standbyDirectory + "/aetheria.log", contents: nil)
            let standby = try BotProcess(
                discord: world.discord, dataDirectory: standbyDirectory, redisURL: redis.url,
                environment: ["AETHERIA_INSTANCE_ID": "worker-b"])
            try await eventually("the second worker stands by for shard 0", timeout: .seconds(30)) {
                BotProcess.log(in: standbyDirectory).contains("shard 0 is held by another process")
            }

            _ = try await harness.click(
                "aetheria:ticket:open:1", on: world.panel.id, in: world.fixture.supportChannel, as: world.member)
            let (channel, welcome) = try await CrashMatrixTests.settledTicket(world)
            try await harness.post("Order 1234 never arrived", in: channel.id, as: world.member)
            let identifies = try await Self.count(world.discord, "identifies")
            let resumes = try await Self.count(world.discord, "resumes")
            try await active.kill9()

            // The lease runs out (at most its 30 s TTL), the standby takes it and resumes the killed session.
            try await eventually("the standby resumes the killed worker's session", timeout: .seconds(60)) {
                try await Self.count(world.discord, "resumes") > resumes
            }
            try await CrashRecoveryTests.waitUntilConnected(world.discord, harness)
            #expect(try await Self.count(world.discord, "identifies") == identifies, "a resume, not a new identify")
            #expect(standby.process.isRunning)

            // The replay the standby received covers the click: still the one ticket, and the killed worker's
            // Close button closes it.
            let (same, _) = try await CrashMatrixTests.settledTicket(world)
            #expect(same.id == channel.id)
            try await CrashMatrixTests.closeAndAwaitDeletion(world, welcome: welcome, channel: channel.id)
            try await standby.stop()
            try await CrashMatrixTests.expectOneOfEach(world)
            let client = try redis.makeClient()
            let html = try await RedisTranscriptStore(client: client).html(
                guildID: world.fixture.guildID, ticketNumber: 1)
            await client.shutdown()
            #expect(
                html.map { String(decoding: $0, as: UTF8.self).contains("Order 1234 never arrived") } == true,
                "the transcript has the member's message sent before the takeover")
        }
    }
}
