import DiscordEmulator
import DiscordModels
import DiscordREST
import EmulatorTestSupport
import Foundation
import Testing

@Suite("REST client against the emulator")
struct RESTClientTests {
    static func client(_ harness: EmulatorHarness, globalLimit: Int = 50) -> DiscordRESTClient {
        var configuration = DiscordRESTClient.Configuration(
            baseURL: harness.endpoints.restBaseURL, token: harness.token)
        configuration.retryBackoff = .milliseconds(20)
        var limits = RateLimitState.Configuration()
        limits.globalLimit = globalLimit
        return DiscordRESTClient(
            configuration: configuration, rateLimits: InProcessRateLimitStore(configuration: limits))
    }

    @Test("typed calls create a private ticket channel, post, page history and clean up")
    func ticketShapedCalls() async throws {
        try await EmulatorHarness.run { harness in
            let client = Self.client(harness)
            let guild = try #require(try await harness.guilds().first)
            let staff = try #require(guild.role(named: "Support Team"))
            let opener = try #require(guild.ordinaryMembers.first)
            let channel = try await client.createGuildChannel(
                guild.id,
                CreateChannelRequest(
                    name: "ticket-0001", topic: "aetheria:ticket:1",
                    permissionOverwrites: [
                        .role(guild.id.converted(), deny: .viewChannel), .member(opener, allow: .ticketParticipant),
                        .role(staff.id, allow: .ticketParticipant),
                        // Without its own overwrite the bot could not see the channel it just made.
                        .member(
                            EmulatorConfiguration.botUserID, allow: Permissions.ticketParticipant.union(.manageChannels)
                        ),
                    ]), reason: "Ticket opened")
            #expect(channel.name == "ticket-0001")
            let audit = try await harness.control(.GET, "/records/rest").json?.arrayValue?.last
            #expect(audit?["status"]?.intValue == 201)
            for index in 0..<3 {
                _ = try await client.createMessage(channel.id, MessageRequest(content: "message \(index)"))
            }
            let history = try await client.getAllMessages(channel.id)
            #expect(history.map(\.content) == ["message 0", "message 1", "message 2"])
            // A PUT replaces the whole overwrite: locking keeps view and history, denies sending.
            try await client.editChannelPermission(
                channel.id, .member(opener, allow: [.viewChannel, .readMessageHistory], deny: .sendMessages))
            let permissions = try await harness.control(.GET, "/permissions?channel_id=\(channel.id)&user_id=\(opener)")
                .json
            #expect(permissions?["send_messages"]?.boolValue == false)
            #expect(permissions?["view_channel"]?.boolValue == true)
            try await client.deleteChannel(channel.id, reason: "Ticket closed")
            #expect(try await harness.control(.GET, "/channels/\(channel.id)").status == 404)
        }
    }

    @Test("the dashboard's OAuth2 calls: code exchange (form-encoded), then the user and their guilds")
    func oauthCalls() async throws {
        try await EmulatorHarness.run { harness in
            let client = Self.client(harness)
            let guild = try #require(try await harness.guilds().first)
            let redirect = "http://127.0.0.1:9/callback"
            let authorize = try await harness.request(
                .GET,
                "/oauth2/authorize?response_type=code&client_id=\(EmulatorConfiguration.botUserID)&scope=identify%20guilds&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&login_as=\(guild.owner)",
                authorization: nil)
            let location = try #require(authorize.headers["Location"].first.flatMap(URLComponents.init(string:)))
            let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
            let token = try await client.exchangeAuthorizationCode(
                code: code, redirectURI: redirect, clientID: EmulatorConfiguration.botUserID.description,
                clientSecret: EmulatorConfiguration.developmentClientSecret)
            #expect(token.tokenType == "Bearer")
            #expect(try await client.getCurrentUser(bearerToken: token.accessToken).id == guild.owner)
            let guilds = try await client.getCurrentUserGuilds(bearerToken: token.accessToken)
            #expect(guilds.first { $0.id == guild.id }?.owner == true)
            let renamed = try await client.modifyChannel(
                try #require(guild.channel(named: "general")).id, ModifyChannelRequest(topic: "Updated by the bot"))
            #expect(renamed.topic == "Updated by the bot")
        }
    }

    @Test("Discord's errors arrive typed, with the emulator's messages and field paths")
    func typedErrors() async throws {
        try await EmulatorHarness.run { harness in
            let client = Self.client(harness)
            let guild = try #require(try await harness.guilds().first)
            await #expect {
                _ = try await client.getChannel(1)
            } throws: { ($0 as? DiscordRESTError)?.kind == .unknownChannel }
            await #expect {
                _ = try await client.createGuildChannel(guild.id, CreateChannelRequest(name: ""))
            } throws: { error in
                guard let error = error as? DiscordRESTError else { return false }
                return error.kind == .invalidFormBody && error.fieldErrors.map(\.path) == ["name"]
            }
            let hidden = try await harness.control(
                .POST, "/guilds/\(guild.id)/channels",
                json: #"{"name":"secret","permission_overwrites":[{"id":"\#(guild.id)","type":0,"deny":"1024"}]}"#
            ).decode(Channel.self)
            await #expect {
                _ = try await client.createMessage(hidden.id, MessageRequest(content: "hi"))
            } throws: { ($0 as? DiscordRESTError)?.message == "Missing Access" }
            await #expect {
                try await client.createInteractionResponse(
                    1, token: "nope", InteractionResponse(type: .deferredUpdateMessage))
            } throws: { ($0 as? DiscordRESTError)?.kind == .unknownInteraction }
        }
    }

    @Test("the token never appears in errors")
    func tokenNeverLeaks() async throws {
        try await EmulatorHarness.run { harness in
            var configuration = DiscordRESTClient.Configuration(
                baseURL: harness.endpoints.restBaseURL, token: "bm90.the-secret-part.token")
            configuration.retries = 0
            let client = DiscordRESTClient(configuration: configuration)
            do {
                _ = try await client.getCurrentUser()
                Issue.record("a bad token was accepted")
            } catch let error as DiscordRESTError {
                #expect(error.kind == .unauthorized)
                #expect(!error.description.contains("the-secret-part"))
                #expect(!"\(error)".contains("the-secret-part"))
            } catch {
                Issue.record("unexpected error type: \(type(of: error))")
            }
        }
    }

    @Test("a forced 401 stops every later request without reaching Discord")
    func unauthorizedStopsEverything() async throws {
        try await EmulatorHarness.run { harness in
            let client = Self.client(harness)
            _ = try await harness.control(
                .POST, "/faults/rest", json: #"{"kind":"5xx","path_contains":"/users/@me","status":401,"remaining":1}"#)
            await #expect(throws: DiscordRESTError.self) { _ = try await client.getCurrentUser() }
            let before = try await harness.control(.GET, "/records/rest").json?.arrayValue?.count ?? 0
            await #expect {
                _ = try await client.getGatewayBot()
            } throws: { ($0 as? DiscordRESTError)?.kind == .unauthorized }
            let after = try await harness.control(.GET, "/records/rest").json?.arrayValue?.count ?? 0
            #expect(after == before)
        }
    }

    @Test("5xx are retried for idempotent requests, not for POSTs")
    func serverErrorRetries() async throws {
        try await EmulatorHarness.run { harness in
            let client = Self.client(harness)
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "general"))
            _ = try await harness.control(
                .POST, "/faults/rest",
                json: #"{"kind":"5xx","path_contains":"/channels","method":"GET","status":502,"remaining":2}"#)
            #expect(try await client.getChannel(channel.id).id == channel.id)
            _ = try await harness.control(
                .POST, "/faults/rest",
                json: #"{"kind":"5xx","path_contains":"/messages","method":"POST","status":503,"remaining":1}"#)
            await #expect {
                _ = try await client.createMessage(channel.id, MessageRequest(content: "once"))
            } throws: { ($0 as? DiscordRESTError)?.kind == .serverError }
            let messages = try await harness.control(.GET, "/channels/\(channel.id)/messages").json?.arrayValue ?? []
            #expect(messages.isEmpty)
        }
    }

    @Test("a forced global 429 pauses requests for retry_after, then they succeed")
    func global429() async throws {
        try await EmulatorHarness.run { harness in
            let client = Self.client(harness)
            _ = try await harness.control(
                .POST, "/faults/rest",
                json:
                    #"{"kind":"429","path_contains":"/users/@me","scope":"global","retry_after_seconds":0.4,"remaining":1}"#
            )
            let start = ContinuousClock.now
            #expect(try await client.getCurrentUser().id == EmulatorConfiguration.botUserID)
            let gateway = try await client.getGatewayBot()
            #expect(gateway.shards == 1)
            #expect(ContinuousClock.now - start >= .milliseconds(400))
        }
    }

    @Test(
        "500 messages to one channel and 1,000 requests over 50 channels: at most one 429 per bucket, never faster than the limits"
    )
    func sustainedLoad() async throws {
        try await EmulatorHarness.run({
            $0.routeLimits["messages.create"] = RouteLimit(limit: 50, window: .milliseconds(500))
            $0.routeLimits["channels.read"] = RouteLimit(limit: 50, window: .milliseconds(500))
            $0.globalRateLimit = 400
            $0.guilds = 1
            $0.textChannelsPerGuild = 50
        }) { harness in
            // The bot's configured global limit keeps 10% headroom below Discord's (the emulator's 400/s): on a
            // loaded two-core machine, requests can reach the server far later than they were sent.
            let client = Self.client(harness, globalLimit: 360)
            let guild = try #require(try await harness.guilds().first)
            let channels = guild.channels.filter { $0.type == .guildText }.prefix(50)
            #expect(channels.count == 50)
            let target = try #require(channels.first)

            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        _ = try await client.createMessage(target.id, MessageRequest(content: "load \(index)"))
                    }
                }
                try await group.waitForAll()
            }
            let oneChannel = ContinuousClock.now - start
            // 500 at 50 per 0.5 s: at least 4.5 s of waiting after the first window.
            let minimum = Duration.milliseconds(4500)
            print(
                "500 messages to one channel: \(oneChannel) (minimum the limits allow: \(minimum), ratio \(oneChannel / minimum))"
            )
            // Never faster than the limits allow. How close to that floor it stays is a speed question for the
            // benchmarks, not for a test on a shared machine.
            #expect(oneChannel >= minimum)

            let mixedStart = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1000 {
                    let channel = channels[channels.startIndex + index % 50]
                    group.addTask {
                        if index % 2 == 0 {
                            _ = try await client.getChannel(channel.id)
                        } else {
                            _ = try await client.createMessage(channel.id, MessageRequest(content: "mixed \(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let mixed = ContinuousClock.now - mixedStart
            // 1,000 requests at 400 per one-second window span at least 1.5 s (the first window may be
            // partly used by the previous phase).
            print("1,000 mixed requests over 50 channels: \(mixed) (floor 1.5 s, ratio \(mixed / .milliseconds(1500)))")
            #expect(mixed >= .milliseconds(1500))
            let limits = try await harness.control(.GET, "/records/rate-limits").json
            let limited = limits?["rate_limited_responses"]?.intValue ?? -1
            print("429s seen: \(limited), by scope: \(String(describing: limits?["by_scope"]))")
            // Discovery may cost one 429 per bucket (message and channel-read buckets); nothing more.
            let global = limits?["by_scope"]?["global"]?.intValue ?? 0
            #expect(limited - global <= 2)
            // The global window is counted from send times; when the machine stalls (other suites run in
            // parallel) requests reach the emulator bunched together, and each such 429 is retried after
            // retry_after. How many depends on the machine's load (14 were seen in a full parallel run), so the
            // bound only catches a broken window: without global limiting, the burst earns hundreds.
            #expect(global <= 50)
        }
    }
}
