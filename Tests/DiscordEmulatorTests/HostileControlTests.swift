import DiscordEmulator
import EmulatorTestSupport
import Foundation
import Testing

@Suite("The emulator's control API against absurd numbers (it is part of the product, and tests lean on it)")
struct HostileControlTests {
    @Test("a forced 429 with a huge retry_after is served with whole-second headers, not a trap")
    func hugeRetryAfter() async throws {
        try await EmulatorHarness.run { harness in
            _ = try await harness.control(
                .POST, "/faults/rest",
                json: #"{"kind":"429","path_contains":"/gateway","retry_after_seconds":1e300,"remaining":1}"#)
            let response = try await harness.api(.GET, "/gateway/bot")
            #expect(response.status == 429)
            let header = try #require(response.headers.first(name: "Retry-After"))
            #expect(header.count > 300 && header.allSatisfy(\.isNumber))
            #expect(try await harness.api(.GET, "/gateway/bot").status == 200)
        }
    }

    @Test("out-of-range numbers in control requests are bounded or refused, and the emulator keeps serving")
    func absurdControlNumbers() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try await harness.control(
                .POST, "/guilds", json: #"{"members":9000000000000000,"channels":-5,"roles":1e15}"#)
            #expect(guild.status == 200)
            // A live session, so that the close-code faults reach the connection.
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL, compressed: true)
            _ = try await GatewaySessionTests.startSession(client, token: harness.token, guilds: 4)
            for code in ["70000", "-1"] {
                let fault = try await harness.control(
                    .POST, "/faults/gateway", json: #"{"action":"close","code":\#(code)}"#)
                #expect(fault.status == 200)
            }
            _ = try await client.waitForClose()
            let firehose = try await harness.control(
                .POST, "/firehose", json: #"{"rate":10,"duration_seconds":-9000000000000000}"#)
            #expect(firehose.status == 202)
            _ = try await harness.control(.DELETE, "/firehose")
            #expect(try await harness.api(.GET, "/gateway").status == 200)
        }
    }
}
