import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

/// A widely used third-party Discord library (hikari, from PyPI, unmodified) runs against the emulator: if
/// the emulator strays from what Discord sends, a real client is what notices first. The test command
/// installs it (scripts/python-tools.sh) and passes its Python as `AETHERIA_TEST_PYTHON`.
@Suite("A third-party Discord library against the emulator")
struct ThirdPartyClientTests {
    struct PythonMissing: Error, CustomStringConvertible {
        var description: String { "AETHERIA_TEST_PYTHON is not set: run the tests with ./scripts/test.sh" }
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ThirdParty/hikari_client.py")
    }

    @Test("hikari logs in, receives guilds, sends and reads messages, creates and deletes a channel, answers a click")
    func hikari() async throws {
        guard let python = ProcessInfo.processInfo.environment["AETHERIA_TEST_PYTHON"] else { throw PythonMissing() }
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "support"))
            let member = try #require(guild.ordinaryMembers.first)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [
                "-O", Self.script.path, harness.endpoints.origin.absoluteString, harness.token, guild.id.description,
                channel.id.description, member.description,
            ]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // The script has its own timeouts (10 s per wait); this one only stops a wedged interpreter.
            let deadline = ContinuousClock.now + .seconds(90)
            while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let logged = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let report = try #require(
                printed.split(separator: "\n").last.flatMap { JSONValue.parse(Data($0.utf8)) },
                "no report from hikari: \(printed) \(logged.suffix(2_000))")
            #expect(report["ok"]?.boolValue == true, "\(report["error"]?.stringValue ?? "") \(logged.suffix(2_000))")
            #expect(process.terminationStatus == 0)
            #expect(report["user"]?.stringValue == "Aetheria")
            #expect((report["steps"]?.arrayValue ?? []).count == 5, "\(report)")
            // hikari complains in its log when Discord's answers surprise it (an unexpected bucket header, say).
            #expect(!logged.contains("please report it to the maintainers"), "\(logged.suffix(2_000))")

            // What the guild sees: the message, no leftover channel, the click answered with a message.
            let messages = try await harness.control(.GET, "/channels/\(channel.id)/messages").decode([Message].self)
            #expect(messages.contains { $0.content == "Hello from hikari" })
            let channels = try await harness.guilds().first?.channels ?? []
            #expect(!channels.contains { $0.name == "hikari-test" })
            let acks = try await harness.control(.GET, "/records/interactions").json?.arrayValue ?? []
            #expect(acks.contains { $0["callback_type"]?.intValue == 4 }, "\(acks)")
        }
    }
}
