import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

/// Slash commands with subcommands and typed options as Discord's client sends them, and the limit of two
/// channel name or topic changes per 10 minutes.
@Suite("Command options and channel edit limits")
struct CommandOptionTests {
    static let command = #"""
        [{"name":"ticket","description":"Ticket tools","contexts":[0],"options":[
          {"type":1,"name":"add","description":"Add","options":[
            {"type":6,"name":"member","description":"Who"},{"type":7,"name":"role","description":"Which role"}]},
          {"type":1,"name":"note","description":"Note","options":[
            {"type":3,"name":"text","description":"Text","required":true,"max_length":5}]}]}]
        """#

    @Test(
        "the client sends one subcommand, types values as declared, checks required options and lengths, resolves users and roles"
    )
    func subcommands() async throws {
        try await EmulatorHarness.run { harness in
            let application = EmulatorConfiguration.botUserID
            #expect(
                try await harness.api(.PUT, "/applications/\(application)/commands", json: Self.command).status == 200)
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "support"))
            let member = try #require(guild.ordinaryMembers.first)
            let role = try #require(guild.role(named: "Support Team"))
            func run(_ subcommand: String?, _ options: String) async throws -> EmulatorHarness.HTTPResult {
                let sub = subcommand.map { #","subcommand":"\#($0)""# } ?? ""
                return try await harness.control(
                    .POST, "/interactions/command",
                    json:
                        #"{"channel_id":"\#(channel.id)","user_id":"\#(guild.owner)","name":"ticket"\#(sub),"options":\#(options)}"#
                )
            }
            #expect(try await run(nil, "[]").status == 400, "a subcommand must be chosen")
            #expect(try await run("nope", "[]").status == 400)
            #expect(try await run("note", "[]").status == 400, "a required option is missing")
            #expect(try await run("note", #"[{"name":"text","value":"too long"}]"#).status == 400)
            #expect(try await run("note", #"[{"name":"other","value":"x"}]"#).status == 400)
            #expect(try await run("add", #"[{"name":"member","value":"12345"}]"#).status == 400, "an unknown user")
            #expect(try await run("add", #"[{"name":"role","value":"12345"}]"#).status == 400, "an unknown role")

            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await GatewaySessionTests.startSession(client, token: harness.token)
            let ran = try await run(
                "add", #"[{"name":"member","value":"\#(member)"},{"name":"role","value":"\#(role.id)"}]"#)
            #expect(ran.status == 201)
            let event = try await client.dispatch("INTERACTION_CREATE")
            let group = event.d?["data"]?["options"]?.arrayValue?.first
            #expect(group?["type"]?.intValue == 1 && group?["name"]?.stringValue == "add")
            let options = group?["options"]?.arrayValue ?? []
            #expect(options.map { $0["type"]?.intValue } == [6, 7])
            let resolved = event.d?["data"]?["resolved"]
            #expect(resolved?["users"]?[member.description]?["id"]?.stringValue == member.description)
            #expect(resolved?["members"]?[member.description]?["roles"] != nil)
            #expect(resolved?["members"]?[member.description]?["user"] == nil, "resolved members leave out the user")
            #expect(resolved?["roles"]?[role.id.description]?["name"]?.stringValue == "Support Team")
            await client.close()
        }
    }

    @Test("a channel's name or topic changes twice per 10 minutes; the third change is a 429 until the window passes")
    func renameLimit() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "support"))
            for name in ["one", "two"] {
                #expect(
                    try await harness.api(.PATCH, "/channels/\(channel.id)", json: #"{"name":"\#(name)"}"#).status
                        == 200)
            }
            let third = try await harness.api(.PATCH, "/channels/\(channel.id)", json: #"{"topic":"three"}"#)
            #expect(third.status == 429)
            let retryAfter = try #require(third.json?["retry_after"]?.doubleValue)
            #expect(retryAfter > 500 && retryAfter <= 600)
            // Changes that leave name and topic alone are not limited.
            #expect(try await harness.api(.PATCH, "/channels/\(channel.id)", json: #"{"nsfw":true}"#).status == 200)
        }
    }
}
