import AetheriaServer
import DiscordEmulator
import DiscordModels
import DiscordREST
import EmulatorControl
import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import TicketCore

/// After a close, against the emulator: the transcript as an HTML file in the transcripts channel and in the
/// member's DMs, the member rating the ticket from that DM, and a member who does not accept DMs.
@Suite("Transcript delivery and ratings against the emulator")
struct TranscriptDeliveryTests {
    /// The member's DM with the bot, once a message is in it.
    static func directMessages(_ harness: BotHarness, of userID: UserID) async throws -> (ChannelID, [Message]) {
        let box = Mutex<(ChannelID, [Message])?>(nil)
        try await eventually("the member's DM has a message") {
            let response = try await harness.discord.control(.GET, "/users/\(userID)/dm")
            guard response.status == 200, let json = response.json,
                let channel = json["channel_id"]?.stringValue.flatMap({ UInt64($0) }),
                let messages = json["messages"]?.decoded(as: [Message].self), !messages.isEmpty
            else { return false }
            box.withLock { $0 = (ChannelID(channel), messages) }
            return true
        }
        return try #require(box.withLock { $0 })
    }

    static func download(_ attachment: DiscordModels.Attachment, _ harness: BotHarness) async throws -> String {
        let url = try #require(URL(string: attachment.url))
        let response = try await harness.discord.request(.GET, url.path, authorization: nil)
        #expect(response.status == 200)
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test(
        "the transcript reaches the transcripts channel and the member's DM as a file; the member rates it once, from the DM"
    )
    func deliveredAndRated() async throws {
        try await DashboardTests.run { harness, client, fixture in
            try await harness.configure(fixture) {
                $0.types[0].sendsTranscriptToOpener = true
                $0.types[0].asksForFeedback = true
                $0.logRouting[.transcripts] = fixture.logChannel
            }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[0]
            let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
            try await harness.post("Where is my parcel 7731?", in: channel.id, as: opener)
            try await harness.post("It ships tomorrow.", in: channel.id, as: fixture.staff)
            let close = try await harness.discord.controlAPI.runCommand(
                "ticket", "close", in: channel.id, as: fixture.staff)
            _ = try await StaffCommandTests.reply(harness, to: close, containing: "was closed")

            // The transcripts channel: the file, downloadable, with the conversation in it.
            let box = Mutex<Message?>(nil)
            try await eventually("the transcript is posted with its file") {
                let found = try await harness.messages(in: fixture.logChannel).first {
                    $0.embeds.first?.title?.hasPrefix("Transcript of ticket #1") == true
                }
                box.withLock { $0 = found }
                return found?.attachments.isEmpty == false
            }
            let post = try #require(box.withLock { $0 })
            #expect(post.attachments.first?.filename == "transcript-1.html")
            let file = try await Self.download(try #require(post.attachments.first), harness)
            #expect(file.contains("Where is my parcel 7731?") && file.contains("It ships tomorrow."))

            // The member's DM: the same file and five star buttons.
            let (dmChannel, messages) = try await Self.directMessages(harness, of: opener)
            let dm = try #require(messages.first)
            #expect(dm.embeds.first?.description?.contains("was closed") == true)
            #expect(try await Self.download(try #require(dm.attachments.first), harness).contains("parcel 7731"))
            let buttons = (dm.components ?? []).flatMap(\.flattened).compactMap(\.customId)
            #expect(buttons.count == 5)

            // Four stars, then a comment in the modal.
            let star = try await harness.click(
                "aetheria:ticket:rate:\(fixture.guildID):1:4", on: dm.id, in: dmChannel, as: opener)
            let modal = try await harness.modal(answering: star)
            #expect(modal["title"]?.stringValue == "Ticket #1: ★★★★")
            _ = try await harness.discord.controlAPI.submitModal(of: star, values: ["comment": "Quick and kind"])
            try await eventually("the DM thanks the member and loses its buttons") {
                let (_, now) = try await Self.directMessages(harness, of: opener)
                return now.first?.embeds.first?.title == "Thank you!" && (now.first?.components ?? []).isEmpty
            }
            let rating = try #require(
                try await harness.bot.transcripts.rating(guildID: fixture.guildID, ticketNumber: 1))
            #expect(rating.stars == 4 && rating.comment == "Quick and kind" && rating.staffID == fixture.staff)
            try await eventually("the rating is logged in the transcripts channel") {
                try await harness.auditTitles(fixture).contains("Ticket #1 rated 4/5")
            }
            // A forged click naming the ticket (a self-bot can send any custom ID) cannot rate it again.
            #expect(
                !(try await harness.bot.transcripts.rate(
                    guildID: fixture.guildID, ticketNumber: 1,
                    TicketRating(stars: 1, comment: nil, typeID: 1, staffID: nil, at: Date()))))

            // The dashboard shows the rating for the guild and for the staff member.
            let staff = try await client.login(as: fixture.staff)
            let page = try await client.request(
                .GET, "/guilds/\(fixture.guildID)", cookies: ["aetheria_session": staff])
            #expect(page.body.contains("4.0 ★ (1)"))
            // Staff reading the transcript see the member's stars and words above it.
            let viewer = try await client.request(
                .GET, "/guilds/\(fixture.guildID)/transcripts/1", cookies: ["aetheria_session": staff])
            #expect(viewer.body.contains("★★★★☆</span> 4 of 5") && viewer.body.contains("<blockquote>Quick and kind"))
        }
    }

    @Test("a member who does not accept DMs is skipped quietly: the close, the channel post and new tickets go on")
    func closedDirectMessages() async throws {
        try await BotHarness.run { harness in
            let fixture = try await harness.fixture()
            try await harness.configure(fixture) {
                $0.types[0].sendsTranscriptToOpener = true
                $0.logRouting[.transcripts] = fixture.logChannel
            }
            let panel = try await harness.postPanel(fixture)
            let opener = fixture.members[1]
            let refused = try await harness.discord.control(
                .PATCH, "/users/\(opener)", json: #"{"accepts_dms":false}"#)
            #expect(refused.status == 204)
            for round in 1...3 {
                let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
                let welcome = try await harness.welcome(in: channel.id)
                _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: opener)
                try await eventually("ticket #\(round)'s transcript is posted to the channel") {
                    try await harness.messages(in: fixture.logChannel).contains {
                        $0.embeds.first?.title?.hasPrefix("Transcript of ticket #\(round)") == true
                    }
                }
            }
            let dm = try await harness.discord.control(.GET, "/users/\(opener)/dm")
            #expect(dm.json?["messages"]?.arrayValue?.isEmpty ?? true, "nothing reached the closed DMs")
            #expect(!(try await harness.auditTitles(fixture).contains("⚠️ Tickets are paused")))
        }
    }
}

@Suite("Attachments kept in transcripts against the emulator")
struct TranscriptAttachmentTests {
    /// A member posts a message with files (bytes served by the emulator at CDN-style URLs).
    static func postFiles(
        _ harness: BotHarness, in channelID: ChannelID, as userID: UserID, _ files: [(String, String, [UInt8])]
    ) async throws {
        let attachments = files.map { name, type, bytes in
            #"{"filename":"\#(name)","content_type":"\#(type)","data_base64":"\#(Data(bytes).base64EncodedString())"}"#
        }
        let response = try await harness.discord.control(
            .POST, "/channels/\(channelID)/messages",
            json:
                #"{"user_id":"\#(userID)","content":"files attached","attachments":[\#(attachments.joined(separator: ","))]}"#
        )
        #expect(response.status == 200)
    }

    @Test(
        "files posted in a ticket are fetched at close from the allowed CDN origin and kept in the transcript, within the ticket's budget"
    )
    func keptWithinBudget() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { discord in
            try await BotHarness.withBot(
                discord: discord, dataDirectory: BotHarness.temporaryDataDirectory(),
                configure: { $0.transcriptAttachmentBudgetBytes = 4_096 }
            ) { harness in
                let fixture = try await harness.fixture()
                try await harness.configure(fixture)
                let panel = try await harness.postPanel(fixture)
                let opener = fixture.members[0]
                let channel = try await harness.openTicket(fixture, panel: panel, as: opener)
                let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)
                let log = Array("order 7731: charged twice\n".utf8)
                let huge = [UInt8](repeating: 0x41, count: 8_192)
                let script = Array("<svg onload=alert(1)>".utf8)
                try await Self.postFiles(
                    harness, in: channel.id, as: opener,
                    [
                        ("receipt.png", "image/png", png), ("log.txt", "text/plain; charset=utf-8", log),
                        ("big.txt", "text/plain", huge), ("x.svg", "image/svg+xml", script),
                    ])
                let welcome = try await harness.welcome(in: channel.id)
                _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: opener)
                let html = try await harness.savedTranscript(of: 1, in: fixture)
                #expect(html.contains("<img src=\"data:image/png;base64,\(Data(png).base64EncodedString())\""))
                #expect(html.contains("<pre>order 7731: charged twice\n</pre>"), "text is shown as text")
                #expect(html.contains("big.txt"), "a file over the budget is still listed")
                #expect(!html.contains(String(repeating: "A", count: 8_192)), "but not kept")
                #expect(html.contains("x.svg") && !html.contains("onload"), "an SVG is listed, never put in the page")
            }
        }
    }

    @Test("files from any other origin are never fetched")
    func otherOriginsRefused() {
        let fetcher = AttachmentFetcher(allowedOrigins: ["https://cdn.discordapp.com"])
        #expect(fetcher.allows("https://cdn.discordapp.com/attachments/1/2/a.png"))
        for refused in [
            "http://cdn.discordapp.com/attachments/1/2/a.png", "https://cdn.discordapp.com:8443/a.png",
            "https://cdn.discordapp.com.evil.example/a.png", "https://user@cdn.discordapp.com/a.png",
            "https://127.0.0.1/a.png", "file:///etc/passwd", "gopher://cdn.discordapp.com/", "not a url",
        ] {
            #expect(!fetcher.allows(refused), "\(refused)")
        }
    }
}
