import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore

/// Deliveries and closes that Discord answers with 5xx a few times finish by themselves once it recovers,
/// on the guild's retry schedule (2 s cap in the tests), with no GUILD_CREATE and no restart; and a reopened
/// ticket's second close is a second delivery, not the first one handed back by Discord's nonce check.
@Suite("Deliveries and closes retried until Discord takes them")
struct DeliveryRetryTests {
    static func transcriptPosts(_ harness: BotHarness, in channelID: ChannelID, number: Int) async throws -> [Message] {
        try await harness.messages(in: channelID).filter {
            $0.embeds.first?.title?.hasPrefix("Transcript of ticket #\(number) ") == true
        }
    }

    static func directMessages(_ harness: BotHarness, of userID: UserID) async throws -> [Message] {
        let response = try await harness.discord.control(.GET, "/users/\(userID)/dm")
        guard response.status == 200 else { return [] }
        return response.json?["messages"]?.decoded(as: [Message].self) ?? []
    }

    @Test("a 502 on the transcripts-channel upload and a 500 on opening the DM are retried: each delivered once")
    func retriedUntilDelivered() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            // The transcripts channel apart from the moderation log, so that the faults hit only the upload.
            try await harness.configure(fixture) {
                $0.types[0].sendsTranscriptToOpener = true
                $0.types[0].asksForFeedback = true
                $0.logRouting[.transcripts] = fixture.supportChannel
            }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            try await harness.post("My order 4410 never arrived", in: channel.id, as: opener)
            let note = try await StaffCommandTests.run(
                harness, "note", in: channel.id, as: fixture.staff,
                [.init(name: "text", value: "Chargeback risk, check with finance")])
            _ = try await StaffCommandTests.reply(harness, to: note, containing: "Note saved")
            for fault in [
                #"{"kind":"5xx","status":502,"path_contains":"/channels/\#(fixture.supportChannel)/messages","method":"POST","remaining":2}"#,
                #"{"kind":"5xx","status":500,"path_contains":"/users/@me/channels","method":"POST","remaining":2}"#,
            ] {
                #expect(try await harness.discord.control(.POST, "/faults/rest", json: fault).status == 204)
            }
            let welcome = try await harness.welcome(in: channel.id)
            _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: opener)
            try await eventually("the transcript reaches the transcripts channel after two 502s", timeout: .seconds(20))
            {
                try await Self.transcriptPosts(harness, in: fixture.supportChannel, number: 1).count == 1
            }
            try await eventually("the member's DM arrives after two 500s", timeout: .seconds(20)) {
                try await Self.directMessages(harness, of: opener).count == 1
            }
            #expect(try await harness.discord.control(.GET, "/faults/rest").json?.arrayValue?.isEmpty == true)
            let post = try #require(
                try await Self.transcriptPosts(harness, in: fixture.supportChannel, number: 1).first)
            #expect(post.attachments.first?.filename == "transcript-1.html")
            // Staff's copy keeps the note; the member's copy leaves it out, and keeps the conversation.
            let staffFile = try await TranscriptDeliveryTests.download(try #require(post.attachments.first), harness)
            #expect(staffFile.contains("Chargeback risk, check with finance"))
            let dm = try #require(try await Self.directMessages(harness, of: opener).first)
            let memberFile = try await TranscriptDeliveryTests.download(try #require(dm.attachments.first), harness)
            #expect(memberFile.contains("My order 4410 never arrived"))
            #expect(!memberFile.contains("Chargeback risk"), "a staff-only note reached the member")
            #expect(
                (dm.components ?? []).flatMap(\.flattened).compactMap(\.customId).count == 5,
                "the rating buttons came with it")
            // Nothing pending is left, and nothing was delivered twice on the way.
            try await eventually("the guild has no pending work") {
                await harness.bot.guilds.pendingWork(of: fixture.guildID)?.isEmpty == true
            }
            #expect(try await Self.transcriptPosts(harness, in: fixture.supportChannel, number: 1).count == 1)
            #expect(try await Self.directMessages(harness, of: opener).count == 1)
        }
    }

    @Test("a reopened ticket closed again delivers its second transcript to the channel and the member")
    func reopenedTicketDeliversAgain() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) {
                $0.types[0].sendsTranscriptToOpener = true
                $0.logRouting[.transcripts] = fixture.supportChannel
            }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            try await harness.post("first conversation", in: channel.id, as: opener)
            let first = try await harness.discord.controlAPI.runCommand(
                "ticket", "close", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: first, containing: "was closed")
            try await eventually("the first transcript is delivered") {
                let posts = try await Self.transcriptPosts(harness, in: fixture.supportChannel, number: 1)
                let dms = try await Self.directMessages(harness, of: opener)
                return posts.count == 1 && dms.count == 1
            }
            let reopen = try await harness.discord.controlAPI.runCommand(
                "ticket", "reopen", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: reopen, containing: "reopened")
            try await harness.post("second conversation", in: channel.id, as: opener)
            let second = try await harness.discord.controlAPI.runCommand(
                "ticket", "close", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: second, containing: "was closed")
            try await eventually("the second transcript is delivered too") {
                let posts = try await Self.transcriptPosts(harness, in: fixture.supportChannel, number: 1)
                let dms = try await Self.directMessages(harness, of: opener)
                return posts.count == 2 && dms.count == 2
            }
            let newest = try #require(
                try await Self.transcriptPosts(harness, in: fixture.supportChannel, number: 1).last)
            let file = try await TranscriptDeliveryTests.download(try #require(newest.attachments.first), harness)
            #expect(file.contains("second conversation"))
        }
    }

    @Test("a close whose history fetch fails finishes by itself once Discord recovers: no GUILD_CREATE, no restart")
    func stuckCloseFinishes() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture)
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            try await harness.post("please close this", in: channel.id, as: opener)
            // Eight 503s: the REST client's own three retries of the GET do not cure them, so the first two
            // attempts of the close fail; Discord then recovers.
            let fault =
                #"{"kind":"5xx","status":503,"path_contains":"/channels/\#(channel.id)/messages","method":"GET","remaining":8}"#
            #expect(try await harness.discord.control(.POST, "/faults/rest", json: fault).status == 204)
            let welcome = try await harness.welcome(in: channel.id)
            let click = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: opener)
            _ = try await StaffCommandTests.reply(harness, to: click, containing: "will finish automatically")
            let pending = try #require(await harness.bot.guilds.pendingWork(of: fixture.guildID))
            #expect(pending.contains { $0.ticketNumber == 1 && $0.what == "closing" && $0.retry != nil })
            try await eventually("the transcript is saved and the ticket closed", timeout: .seconds(30)) {
                try await harness.bot.transcripts.record(guildID: fixture.guildID, ticketNumber: 1) != nil
            }
            let html = try await harness.savedTranscript(of: 1, in: fixture)
            #expect(html.contains("please close this"))
            try await eventually("the closing notice is in the channel") {
                try await harness.messages(in: channel.id).contains {
                    $0.embeds.first?.description?.hasPrefix("Ticket #1 was closed") == true
                }
            }
            #expect(await harness.bot.guilds.pendingWork(of: fixture.guildID)?.isEmpty == true)
        }
    }

    @Test("a channel deletion Discord answers with 500s is retried on the schedule until the channel is gone")
    func deletionRetried() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) { $0.types[0].deleteDelaySeconds = 1 }
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            // Six 500s: the REST client's own retries of the DELETE (four attempts) do not cure the first try.
            let fault =
                #"{"kind":"5xx","status":500,"path_contains":"/channels/\#(channel.id)","method":"DELETE","remaining":6}"#
            #expect(try await harness.discord.control(.POST, "/faults/rest", json: fault).status == 204)
            let welcome = try await harness.welcome(in: channel.id)
            let close = try await harness.click(
                "aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.members[0])
            _ = try await harness.answer(to: close)
            try await eventually("the channel is deleted once Discord recovers", timeout: .seconds(30)) {
                try await harness.ticketChannels(of: fixture.guildID).isEmpty
            }
            #expect(try await harness.discord.control(.GET, "/faults/rest").json?.arrayValue?.isEmpty == true)
            try await eventually("nothing is left pending") {
                await harness.bot.guilds.pendingWork(of: fixture.guildID)?.isEmpty == true
            }
        }
    }
}
