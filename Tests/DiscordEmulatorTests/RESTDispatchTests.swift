import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("REST mutations, history paging and bounded input")
struct RESTDispatchTests {
    @Test("every REST mutation is followed by its gateway dispatch, in order")
    func mutationsDispatch() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await GatewaySessionTests.startSession(client, token: harness.token)
            let guild = try #require(try await harness.guilds().first)
            let member = try #require(guild.ordinaryMembers.first)

            let created = try await harness.api(.POST, "/guilds/\(guild.id)/channels", json: #"{"name":"ticket-0001"}"#)
                .decode(Channel.self)
            #expect(try await client.dispatch("CHANNEL_CREATE").d?["id"]?.stringValue == created.id.description)

            let overwrite = try await harness.api(
                .PUT, "/channels/\(created.id)/permissions/\(member)", json: #"{"type":1,"deny":"2048"}"#)
            #expect(overwrite.status == 204)
            let update = try await client.dispatch("CHANNEL_UPDATE")
            #expect(
                update.d?["permission_overwrites"]?.arrayValue?.contains { $0["deny"]?.stringValue == "2048" } == true)

            let message = try await harness.api(
                .POST, "/channels/\(created.id)/messages", json: #"{"content":"welcome"}"#
            )
            .decode(Message.self)
            let messageCreate = try await client.dispatch("MESSAGE_CREATE")
            #expect(messageCreate.d?["guild_id"]?.stringValue == guild.id.description)
            #expect(messageCreate.d?["member"] != nil)
            #expect(messageCreate.d?["member"]?["user"] == nil)

            _ = try await harness.api(
                .PATCH, "/channels/\(created.id)/messages/\(message.id)", json: #"{"content":"edited"}"#)
            let messageUpdate = try await client.dispatch("MESSAGE_UPDATE")
            #expect(messageUpdate.d?["content"]?.stringValue == "edited")
            #expect(messageUpdate.d?["edited_timestamp"]?.stringValue != nil)

            _ = try await harness.api(.DELETE, "/channels/\(created.id)/messages/\(message.id)")
            #expect(try await client.dispatch("MESSAGE_DELETE").d?["id"]?.stringValue == message.id.description)

            let deleted = try await harness.api(.DELETE, "/channels/\(created.id)")
            #expect(deleted.status == 200)
            #expect(try await client.dispatch("CHANNEL_DELETE").d?["id"]?.stringValue == created.id.description)
            #expect(try await harness.api(.GET, "/channels/\(created.id)").error?.code == 10003)

            _ = try await harness.control(
                .POST, "/guilds/\(guild.id)/roles", json: #"{"name":"Helpers","permissions":"0"}"#)
            #expect(try await client.dispatch("GUILD_ROLE_CREATE").d?["role"]?["name"]?.stringValue == "Helpers")
            await client.close()
        }
    }

    @Test("history pages newest first with limit and before/after/around")
    func historyPaging() async throws {
        try await EmulatorHarness.run({
            $0.routeLimits["messages.create"] = RouteLimit(limit: 100, window: .seconds(1))
        }) {
            harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "general"))
            var ids: [MessageID] = []
            for index in 0..<30 {
                ids.append(
                    try await harness.api(.POST, "/channels/\(channel.id)/messages", json: #"{"content":"m\#(index)"}"#)
                        .decode(Message.self).id)
            }
            let latest = try await harness.api(.GET, "/channels/\(channel.id)/messages?limit=10").decode([Message].self)
            #expect(latest.map(\.content) == (20..<30).reversed().map { "m\($0)" })
            let before = try await harness.api(.GET, "/channels/\(channel.id)/messages?limit=5&before=\(ids[10])")
                .decode([Message].self)
            #expect(before.map(\.content) == ["m9", "m8", "m7", "m6", "m5"])
            let after = try await harness.api(.GET, "/channels/\(channel.id)/messages?limit=3&after=\(ids[10])")
                .decode([Message].self)
            #expect(after.map(\.content) == ["m13", "m12", "m11"])
            let around = try await harness.api(.GET, "/channels/\(channel.id)/messages?limit=4&around=\(ids[15])")
                .decode([Message].self)
            #expect(around.map(\.content) == ["m16", "m15", "m14", "m13"])
            let tooMany = try await harness.api(.GET, "/channels/\(channel.id)/messages?limit=101")
            #expect(tooMany.error?.fieldErrors.first?.path == "limit")
        }
    }

    @Test("an oversized request body gets 413 and the emulator keeps serving")
    func oversizedBody() async throws {
        try await EmulatorHarness.run({ $0.maximumRequestBodyBytes = 64 * 1024 }) { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "general"))
            let huge = String(repeating: "x", count: 200 * 1024)
            let response = try await harness.api(
                .POST, "/channels/\(channel.id)/messages", json: #"{"content":"\#(huge)"}"#)
            #expect(response.status == 413)
            #expect(try await harness.api(.GET, "/users/@me").status == 200)
        }
    }

    @Test("exceeding the daily session budget resets the token: identify gets 4004 and REST gets 401")
    func sessionStartBudget() async throws {
        try await EmulatorHarness.run({ $0.sessionStartLimit = 2 }) { harness in
            for _ in 0..<2 {
                let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
                _ = try await GatewaySessionTests.startSession(client, token: harness.token)
                await client.close(code: 1000)
            }
            let info = try await harness.api(.GET, "/gateway/bot").decode(GatewayBotInfo.self)
            #expect(info.sessionStartLimit.remaining == 0)
            let third = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await third.next()
            try await third.identify(token: harness.token)
            #expect(try await third.waitForClose() == 4004)
            #expect(try await harness.api(.GET, "/users/@me").status == 401)
        }
    }

    @Test("op 8 is answered with GUILD_MEMBERS_CHUNK")
    func requestGuildMembers() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await GatewaySessionTests.startSession(
                client, token: harness.token, intents: [.guilds, .guildMembers])
            let guild = try #require(try await harness.guilds().first)
            try await client.send(#"{"op":8,"d":{"guild_id":"\#(guild.id)","query":"","limit":0,"nonce":"n1"}}"#)
            let chunk = try await client.dispatch("GUILD_MEMBERS_CHUNK")
            #expect(chunk.d?["members"]?.arrayValue?.count == guild.members.count)
            #expect(chunk.d?["nonce"]?.stringValue == "n1")
            #expect(chunk.d?["chunk_count"]?.intValue == 1)
            await client.close()
        }
    }

    @Test("the firehose streams realistic traffic to every shard at the requested rate")
    func firehose() async throws {
        try await EmulatorHarness.run({ $0.guilds = 4 }) { harness in
            var clients: [GatewayTestClient] = []
            for shard in 0..<2 {
                let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL, compressed: true)
                _ = try await client.next()
                try await client.identify(token: harness.token, shard: [shard, 2])
                _ = try await client.dispatch("READY")
                clients.append(client)
            }
            let started = try await harness.control(.POST, "/firehose", json: #"{"rate":2000,"limit":400}"#)
            #expect(started.status == 202)
            while try await harness.control(.GET, "/firehose").json?["running"]?.boolValue == true {
                try await Task.sleep(for: .milliseconds(50))
            }
            var received = 0
            for client in clients {
                // The ACK is queued behind every dispatch already sent to this shard.
                try await client.heartbeat(nil)
                var messageEvents = 0
                while let payload = try await client.next(), payload.op != 11 {
                    guard let event = payload.t, event.hasPrefix("MESSAGE_") else { continue }
                    messageEvents += 1
                    if event == "MESSAGE_CREATE" {
                        #expect(payload.raw.utf8.count > 700)
                        #expect(payload.d?["author"]?["id"]?.stringValue != nil)
                        #expect(payload.d?["member"]?["roles"] != nil)
                    }
                }
                received += messageEvents
            }
            // TYPING_START and reactions need intents the ticket bot does not ask for; message events are ~87%.
            #expect(received > 300 && received <= 400)
            #expect(try await harness.control(.GET, "/firehose").json?["generated"]?.intValue == 400)
        }
    }

    @Test("with every intent, the firehose sends each of its event kinds (typing and reactions too)")
    func firehoseEventKinds() async throws {
        try await EmulatorHarness.run({ $0.guilds = 1 }) { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await client.next()
            try await client.identify(token: harness.token, intents: .allDefined)
            _ = try await client.dispatch("READY")
            let started = try await harness.control(.POST, "/firehose", json: #"{"rate":2000,"limit":300}"#)
            #expect(started.status == 202)
            while try await harness.control(.GET, "/firehose").json?["running"]?.boolValue == true {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await client.heartbeat(nil)
            var kinds = Set<String>()
            while let payload = try await client.next(), payload.op != 11 {
                if let event = payload.t { kinds.insert(event) }
            }
            for kind in ["MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "TYPING_START", "MESSAGE_REACTION_ADD"] {
                #expect(kinds.contains(kind), "\(kind) among \(kinds.sorted())")
            }
            await client.close()
        }
    }

    @Test("enforce_nonce: the same nonce again returns the first message; without it, or with another nonce, a new one")
    func enforcedNonce() async throws {
        try await EmulatorHarness.run { harness in
            let channel = try #require(try await harness.guilds().first?.channel(named: "general"))
            let path = "/channels/\(channel.id)/messages"
            let first = try await harness.api(
                .POST, path, json: #"{"content":"Still need help?","nonce":"r7-1780000000","enforce_nonce":true}"#)
            let again = try await harness.api(
                .POST, path, json: #"{"content":"Still need help?","nonce":"r7-1780000000","enforce_nonce":true}"#)
            #expect(first.status == 200 && again.status == 200)
            #expect(try first.decode(Message.self).id == again.decode(Message.self).id)
            let unenforced = try await harness.api(
                .POST, path, json: #"{"content":"Still need help?","nonce":"r7-1780000000"}"#)
            let other = try await harness.api(
                .POST, path, json: #"{"content":"Still need help?","nonce":"r8-1780000000","enforce_nonce":true}"#)
            #expect(try unenforced.decode(Message.self).id != first.decode(Message.self).id)
            #expect(try other.decode(Message.self).id != first.decode(Message.self).id)
            let stored = try await harness.control(.GET, "/channels/\(channel.id)/messages").decode([Message].self)
            #expect(stored.count { $0.content == "Still need help?" } == 3)
            let invalid = try await harness.api(.POST, path, json: #"{"content":"x","enforce_nonce":"yes"}"#)
            #expect(invalid.status == 400)
        }
    }
}
