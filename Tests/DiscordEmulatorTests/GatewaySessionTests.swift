import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("Gateway: sessions, resume, concurrency, intents and faults")
struct GatewaySessionTests {
    /// Identifies and reads READY plus every GUILD_CREATE; returns the session ID, resume URL and last sequence.
    static func startSession(
        _ client: GatewayTestClient, token: String, intents: GatewayIntents = .ticketBot, guilds: Int = 3
    ) async throws -> (sessionID: String, resumeURL: String, sequence: Int) {
        _ = try await client.next()  // HELLO
        try await client.identify(token: token, intents: intents)
        let ready = try await client.dispatch("READY")
        var sequence = try #require(ready.s)
        for _ in 0..<guilds {
            sequence = try #require(try await client.dispatch("GUILD_CREATE").s)
        }
        return (
            try #require(ready.d?["session_id"]?.stringValue),
            try #require(ready.d?["resume_gateway_url"]?.stringValue),
            sequence
        )
    }

    /// A member posts in the guild's general channel through the control API (a MESSAGE_CREATE dispatch).
    static func memberPosts(_ harness: EmulatorHarness, _ content: String) async throws {
        let guild = try #require(try await harness.guilds().first)
        let channel = try #require(guild.channel(named: "general"))
        let member = try #require(guild.ordinaryMembers.first)
        let response = try await harness.control(
            .POST, "/channels/\(channel.id)/messages", json: #"{"user_id":"\#(member)","content":"\#(content)"}"#)
        #expect(response.status == 200)
    }

    @Test("RESUME on the resume URL replays every missed dispatch with its original sequence, then RESUMED")
    func resumeReplaysMissedDispatches() async throws {
        try await EmulatorHarness.run { harness in
            let first = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL, compressed: true)
            let session = try await Self.startSession(first, token: harness.token)
            await first.close(code: 4000)  // resumable close

            for index in 0..<5 { try await Self.memberPosts(harness, "missed \(index)") }

            let resumeURL = try #require(URL(string: session.resumeURL))
            let second = try await GatewayTestClient.connect(to: resumeURL, compressed: true, path: "")
            _ = try await second.next()  // HELLO
            try await second.resume(token: harness.token, sessionID: session.sessionID, sequence: session.sequence)
            var replayed: [GatewayTestClient.Payload] = []
            while true {
                let payload = try await second.next(where: { $0.op == 0 }, description: "a replayed dispatch")
                if payload.t == "RESUMED" {
                    #expect(payload.s == session.sequence + 6)
                    break
                }
                replayed.append(payload)
            }
            #expect(replayed.map(\.t) == Array(repeating: "MESSAGE_CREATE", count: 5))
            #expect(replayed.compactMap(\.s) == Array((session.sequence + 1)...(session.sequence + 5)))
            #expect(replayed.map { $0.d?["content"]?.stringValue } == (0..<5).map { "missed \($0)" })

            // Live events continue the same sequence after RESUMED.
            try await Self.memberPosts(harness, "live")
            let live = try await second.dispatch("MESSAGE_CREATE")
            #expect(live.s == session.sequence + 7)
            let resumes = try await harness.control(.GET, "/records/resumes").json?.arrayValue ?? []
            #expect(resumes.last?["replayed"]?.intValue == 5)
            #expect(resumes.last?["accepted"]?.boolValue == true)
            await second.close()
        }
    }

    @Test("RESUME of an unknown session gets op 9 false; a sequence from the future gets 4007")
    func failedResumes() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await client.next()
            try await client.resume(token: harness.token, sessionID: "nope", sequence: 3)
            let invalid = try await client.next(where: { $0.op == 9 }, description: "op 9")
            #expect(invalid.d == .bool(false))

            let owner = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            let session = try await Self.startSession(owner, token: harness.token)
            await owner.close(code: 4000)
            let future = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await future.next()
            try await future.resume(
                token: harness.token, sessionID: session.sessionID, sequence: session.sequence + 100)
            #expect(try await future.waitForClose() == 4007)
        }
    }

    @Test("closing with 1000 ends the session: a later RESUME gets op 9 false")
    func normalCloseEndsSession() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            let session = try await Self.startSession(client, token: harness.token)
            await client.close(code: 1000)
            let again = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await again.next()
            try await again.resume(token: harness.token, sessionID: session.sessionID, sequence: session.sequence)
            #expect(try await again.next(where: { $0.op == 9 }).d == .bool(false))
        }
    }

    @Test("identify concurrency: one identify per bucket (shard_id % max_concurrency) per window, else op 9")
    func identifyConcurrency() async throws {
        try await EmulatorHarness.run({
            $0.maxConcurrency = 2
            // A window far longer than four identifies can take, however loaded the machine: the outcome cannot
            // depend on its speed (the 2.5 s window this test used before let a slow run see a fresh window).
            $0.identifyWindow = .seconds(60)
        }) { harness in
            var outcomes: [Int: String] = [:]
            var clients: [GatewayTestClient] = []
            for shard in 0..<4 {
                let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
                _ = try await client.next()
                try await client.identify(token: harness.token, shard: [shard, 4])
                let answer = try await client.next(where: { $0.op == 9 || $0.t == "READY" })
                outcomes[shard] = answer.op == 9 ? "invalid" : "ready"
                clients.append(client)
            }
            // Shards 0 and 1 take buckets 0 and 1; shards 2 and 3 map to the same buckets within the window.
            #expect(outcomes == [0: "ready", 1: "ready", 2: "invalid", 3: "invalid"])
            for client in clients { await client.close() }
        }
    }

    @Test("identify concurrency: once the window is over the bucket admits the next identify")
    func identifyWindowResets() async throws {
        try await EmulatorHarness.run({
            $0.maxConcurrency = 1
            $0.identifyWindow = .milliseconds(300)
        }) { harness in
            let first = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await first.next()
            try await first.identify(token: harness.token, shard: [0, 2])
            _ = try await first.dispatch("READY")
            // Waiting out the window is the point here; a slower machine only waits longer.
            try await Task.sleep(for: .milliseconds(400))
            let second = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await second.next()
            try await second.identify(token: harness.token, shard: [1, 2])
            _ = try await second.dispatch("READY")
            let identifies = try await harness.control(.GET, "/records/identifies").json?.arrayValue ?? []
            let accepted = identifies.filter { $0["accepted"]?.boolValue == true }
            #expect(accepted.count == 2)
            let times = accepted.compactMap { $0["at"]?.number }
            #expect((times.last ?? 0) - (times.first ?? 0) >= 0.3)
            await first.close()
            await second.close()
        }
    }

    @Test("intents filter events, and without MESSAGE_CONTENT the content fields are empty")
    func intentsFiltering() async throws {
        try await EmulatorHarness.run { harness in
            let full = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await Self.startSession(full, token: harness.token, intents: .ticketBot)
            let noContent = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await Self.startSession(noContent, token: harness.token, intents: [.guilds, .guildMessages])
            let guildsOnly = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await Self.startSession(guildsOnly, token: harness.token, intents: [.guilds])

            try await Self.memberPosts(harness, "secret words")
            #expect(try await full.dispatch("MESSAGE_CREATE").d?["content"]?.stringValue == "secret words")
            #expect(try await noContent.dispatch("MESSAGE_CREATE").d?["content"]?.stringValue == "")
            // The GUILDS-only session gets the heartbeat ACK without any MESSAGE_CREATE before it.
            try await guildsOnly.heartbeat(nil)
            #expect(try await guildsOnly.next()?.op == 11)
            for client in [full, noContent, guildsOnly] { await client.close() }
        }
    }

    @Test("faults: op 7 reconnect, op 9, server heartbeat request, silenced ACKs, and a dropped TCP connection")
    func gatewayFaults() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            let session = try await Self.startSession(client, token: harness.token)

            _ = try await harness.control(.POST, "/faults/gateway", json: #"{"action":"request_heartbeat","shard":0}"#)
            #expect(try await client.next()?.op == 1)

            _ = try await harness.control(.POST, "/faults/gateway", json: #"{"action":"reconnect","shard":0}"#)
            #expect(try await client.next()?.op == 7)

            _ = try await harness.control(
                .POST, "/faults/gateway", json: #"{"action":"invalidate","shard":0,"resumable":true}"#)
            #expect(try await client.next()?.d == .bool(true))

            _ = try await harness.control(.POST, "/faults/gateway", json: #"{"action":"silence","shard":0}"#)
            try await client.heartbeat(session.sequence)
            try await Self.memberPosts(harness, "after silence")
            // No ACK comes back: the next thing the client sees is the dispatch.
            #expect(try await client.next()?.t == "MESSAGE_CREATE")

            _ = try await harness.control(.POST, "/faults/gateway", json: #"{"action":"drop","shard":0}"#)
            #expect(try await client.waitForClose() == nil)  // no close frame at all
            let sessions = try await harness.control(.GET, "/records/sessions").json?.arrayValue ?? []
            #expect(
                sessions.first { $0["session_id"]?.stringValue == session.sessionID }?["connected"]?.boolValue == false)
        }
    }

    @Test("a shard only receives the guilds that (guild_id >> 22) % num_shards routes to it")
    func shardRouting() async throws {
        try await EmulatorHarness.run({ $0.guilds = 6 }) { harness in
            let guilds = try await harness.guilds()
            var received: Set<String> = []
            for shard in 0..<2 {
                let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
                _ = try await client.next()
                try await client.identify(token: harness.token, shard: [shard, 2])
                let ready = try await client.dispatch("READY")
                let expected = guilds.filter { shardID(for: $0.id, shardCount: 2) == shard }.map(\.id.description)
                let listed = ready.d?["guilds"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                #expect(Set(listed) == Set(expected))
                for _ in expected {
                    received.insert(try await client.dispatch("GUILD_CREATE").d?["id"]?.stringValue ?? "")
                }
                await client.close()
            }
            #expect(received == Set(guilds.map(\.id.description)))
        }
    }
}

extension JSONValue {
    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

/// A long demo or load test reconnects many times: each closed connection's handler (and its zlib context,
/// about 100 KB) must go. Counted exactly, not by RSS, so the test does not depend on the allocator or load.
@Suite("Gateway: closed connections are released")
struct GatewayConnectionReleaseTests {
    @Test("200 zlib-stream connections (connect, HELLO, close, or dropped) leave no handler behind")
    func closedConnectionsAreReleased() async throws {
        try await EmulatorHarness.run { harness in
            func alive() async throws -> Int {
                try #require(try await harness.control(.GET, "/state").json?["gateway_handlers_alive"]?.intValue)
            }
            let before = try await alive()
            for round in 0..<200 {
                let client = try await GatewayTestClient.connect(
                    to: harness.endpoints.gatewayURL, compressed: round % 2 == 0)
                _ = try #require(try await client.next())  // HELLO
                await client.close(code: round % 3 == 0 ? 1000 : 4000)
            }
            try await eventually("every closed connection's handler is released", timeout: .seconds(20)) {
                try await alive() <= before
            }
        }
    }
}
