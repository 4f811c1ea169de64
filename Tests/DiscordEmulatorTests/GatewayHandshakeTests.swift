import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("Gateway: handshake, READY and GUILD_CREATE")
struct GatewayHandshakeTests {
    @Test(
        "HELLO, heartbeat before IDENTIFY, READY with unavailable guilds, then one GUILD_CREATE per guild",
        arguments: [false, true])
    func identifyFlow(compressed: Bool) async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL, compressed: compressed)
            let hello = try #require(try await client.next())
            #expect(hello.op == 10)
            #expect(hello.s == nil && hello.t == nil)
            #expect(hello.d?["heartbeat_interval"]?.intValue == 41_250)

            try await client.heartbeat(nil)
            let ack = try #require(try await client.next())
            #expect(ack.op == 11)

            try await client.identify(token: harness.token)
            let ready = try await client.dispatch("READY")
            #expect(ready.s == 1)
            let readyData = try #require(ready.d)
            #expect(readyData["v"]?.intValue == 10)
            #expect(readyData["user"]?["id"]?.stringValue == EmulatorConfiguration.botUserID.description)
            #expect(readyData["session_id"]?.stringValue?.count == 32)
            let resumeURL = try #require(readyData["resume_gateway_url"]?.stringValue)
            #expect(resumeURL.hasPrefix(harness.endpoints.gatewayURL.absoluteString))
            let unavailable = try #require(readyData["guilds"]?.arrayValue)
            #expect(unavailable.count == 3)
            #expect(unavailable.allSatisfy { $0["unavailable"]?.boolValue == true })

            var sequences: [Int] = []
            for _ in 0..<3 {
                let guildCreate = try await client.dispatch("GUILD_CREATE")
                sequences.append(try #require(guildCreate.s))
                let guild = try DiscordJSON.decode(
                    Guild.self, from: Data(guildCreate.d.map { try JSONEncoder().encode($0) } ?? Data()))
                let everyone = try #require(guild.roles?.first { $0.name == "@everyone" })
                #expect(everyone.id.rawValue == guild.id.rawValue)
                #expect(guild.channels?.contains { $0.type == .guildCategory } == true)
                #expect(
                    guild.channels?.contains { $0.type == .guildText && !($0.permissionOverwrites ?? []).isEmpty }
                        == true)
                // Without GUILD_PRESENCES the member list holds only the bot.
                #expect(guild.members?.map { $0.user?.id } == [EmulatorConfiguration.botUserID])
                #expect(guild.memberCount == 13)
            }
            #expect(sequences == [2, 3, 4])
            await client.close()
        }
    }

    @Test("client payloads are accepted in binary frames too, and unknown IDENTIFY keys are ignored")
    func binaryClientFrames() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await client.next()
            try await client.sendBinary(
                #"{"op":2,"d":{"token":"\#(harness.token)","intents":33281,"properties":{"$os":"linux","os":"linux","browser":"b","device":"d"},"presence":{"game":{"name":"legacy"},"status":"online","since":null,"afk":false},"compress":true,"large_threshold":250}}"#
            )
            #expect(try await client.dispatch("READY").s == 1)
            await client.close()
        }
    }

    @Test("the REST and gateway discovery endpoints point at the emulator and count session starts")
    func gatewayDiscovery() async throws {
        try await EmulatorHarness.run { harness in
            let anonymous = try await harness.api(.GET, "/gateway", authorization: nil)
            #expect(anonymous.status == 200)
            #expect(anonymous.headers["Content-Type"] == ["application/json"])
            #expect(anonymous.json?["url"]?.stringValue == harness.endpoints.gatewayURL.absoluteString)

            let before = try await harness.api(.GET, "/gateway/bot").decode(GatewayBotInfo.self)
            #expect(before.shards == 1)
            #expect(before.sessionStartLimit.total == 1000)
            #expect(before.sessionStartLimit.maxConcurrency == 1)

            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            try await client.identify(token: harness.token)
            _ = try await client.dispatch("READY")
            let after = try await harness.api(.GET, "/gateway/bot").decode(GatewayBotInfo.self)
            #expect(after.sessionStartLimit.remaining == before.sessionStartLimit.remaining - 1)
            await client.close()
        }
    }
}

@Suite("Gateway: close codes")
struct GatewayCloseCodeTests {
    /// Connects, optionally identifies, sends `payload`, and returns the server's close code.
    static func closeCode(
        _ adjust: @escaping (inout EmulatorConfiguration) -> Void = { _ in }, query: String? = nil,
        identifyFirst: Bool = false, _ send: @escaping @Sendable (GatewayTestClient, String) async throws -> Void
    ) async throws -> UInt16? {
        try await EmulatorHarness.run(adjust) { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL, query: query)
            _ = try await client.next()  // HELLO
            if identifyFirst {
                try await client.identify(token: harness.token)
                _ = try await client.dispatch("READY")
            }
            try await send(client, harness.token)
            // Generous: a loaded machine may take seconds to read 120 heartbeat ACKs before the close.
            return try await client.waitForClose(timeout: .seconds(30))
        }
    }

    @Test("a bad token is refused with 4004")
    func badToken() async throws {
        #expect(
            try await Self.closeCode { client, _ in try await client.identify(token: "bm90LmE.real.token") } == 4004)
    }

    @Test("intent bits Discord does not define are refused with 4013")
    func unknownIntents() async throws {
        let code = try await Self.closeCode { client, token in
            try await client.identify(token: token, intents: GatewayIntents(rawValue: 1 << 30))
        }
        #expect(code == 4013)
    }

    @Test("privileged intents the application has not enabled are refused with 4014")
    func disallowedIntents() async throws {
        let code = try await Self.closeCode({ $0.enabledPrivilegedIntents = [] }) { client, token in
            try await client.identify(token: token, intents: .ticketBot)
        }
        #expect(code == 4014)
    }

    @Test("a shard outside [0, count) is refused with 4010")
    func invalidShard() async throws {
        #expect(try await Self.closeCode { try await $0.identify(token: $1, shard: [2, 2]) } == 4010)
    }

    @Test("a shard that would hold too many guilds is refused with 4011")
    func shardingRequired() async throws {
        let code = try await Self.closeCode({ $0.maximumGuildsPerShard = 2 }) { client, token in
            try await client.identify(token: token)
        }
        #expect(code == 4011)
    }

    @Test("a second IDENTIFY is refused with 4005")
    func alreadyAuthenticated() async throws {
        #expect(try await Self.closeCode(identifyFirst: true) { try await $0.identify(token: $1) } == 4005)
    }

    @Test("a payload other than heartbeat/identify/resume before IDENTIFY gets 4003")
    func notAuthenticated() async throws {
        let code = try await Self.closeCode { client, _ in
            try await client.send(#"{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}"#)
        }
        #expect(code == 4003)
    }

    @Test("an unknown opcode after IDENTIFY gets 4001")
    func unknownOpcode() async throws {
        #expect(
            try await Self.closeCode(identifyFirst: true) { client, _ in try await client.send(#"{"op":5,"d":null}"#) }
                == 4001)
    }

    @Test("undecodable JSON gets 4002")
    func undecodable() async throws {
        #expect(try await Self.closeCode { client, _ in try await client.send("{not json") } == 4002)
    }

    @Test("a payload over 4096 bytes gets 4002")
    func oversizedPayload() async throws {
        let padding = String(repeating: "x", count: 5000)
        #expect(
            try await Self.closeCode { client, _ in try await client.send(#"{"op":1,"d":null,"pad":"\#(padding)"}"#) }
                == 4002)
    }

    @Test("more than 120 payloads in 60 s gets 4008")
    func sendRateLimit() async throws {
        let code = try await Self.closeCode { client, _ in
            for _ in 0..<121 { try await client.heartbeat(nil) }
        }
        #expect(code == 4008)
    }

    @Test("an unsupported API version gets 4012")
    func invalidVersion() async throws {
        #expect(try await Self.closeCode(query: "v=6&encoding=json") { _, _ in } == 4012)
    }

    @Test("a silent client is closed with 4000, keeping its session resumable")
    func heartbeatTimeout() async throws {
        // The client never heartbeats; it does not wait for READY either, which a loaded machine may deliver
        // after the 1.5 s deadline: the session the emulator records is what shows it stays resumable.
        try await EmulatorHarness.run({ $0.heartbeatInterval = .seconds(1) }) { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            try await client.identify(token: harness.token)
            #expect(try await client.waitForClose(timeout: .seconds(30)) == 4000)
            let sessions = try await harness.control(.GET, "/records/sessions").json?.arrayValue ?? []
            #expect(sessions.count == 1)
            #expect(sessions.allSatisfy { $0["session_id"]?.stringValue != nil && $0["connected"]?.boolValue == false })
        }
    }
}
