import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("Interactions and follow-ups")
struct InteractionTests {
    struct SentInteraction: Sendable {
        var id: String
        var token: String
    }

    /// Registers `/ticket-setup`, posts a panel with an "Open Ticket" button as the bot, and has a member click it.
    static func clickOpenButton(_ harness: EmulatorHarness) async throws -> SentInteraction {
        let guild = try #require(try await harness.guilds().first)
        let channel = try #require(guild.channel(named: "support"))
        let panel = try await harness.api(
            .POST, "/channels/\(channel.id)/messages",
            json:
                #"{"embeds":[{"title":"Need help?","color":5793266}],"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Open Ticket","custom_id":"ticket:open"}]}]}"#
        )
        let message = try panel.decode(Message.self)
        let member = try #require(guild.ordinaryMembers.first)
        let click = try await harness.control(
            .POST, "/interactions/component",
            json:
                #"{"channel_id":"\#(channel.id)","message_id":"\#(message.id)","user_id":"\#(member)","custom_id":"ticket:open"}"#
        )
        #expect(click.status == 201)
        return SentInteraction(
            id: try #require(click.json?["interaction_id"]?.stringValue),
            token: try #require(click.json?["token"]?.stringValue))
    }

    @Test("a button click arrives as INTERACTION_CREATE with the member's permissions and the message")
    func componentInteractionPayload() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await GatewaySessionTests.startSession(client, token: harness.token)
            let sent = try await Self.clickOpenButton(harness)
            let event = try await client.dispatch("INTERACTION_CREATE")
            let interaction = try DiscordJSON.decode(
                Interaction.self, from: try JSONEncoder().encode(try #require(event.d)))
            #expect(interaction.id.description == sent.id)
            #expect(interaction.type == .messageComponent)
            #expect(interaction.data?.customId == "ticket:open")
            #expect(interaction.data?.componentType == .button)
            #expect(interaction.member?.user != nil)
            #expect(interaction.member?.permissions?.contains(.viewChannel) == true)
            #expect(interaction.message?.components?.first?.components?.first?.label == "Open Ticket")
            #expect(interaction.version == 1)
            #expect(interaction.appPermissions.contains(.manageChannels))
            await client.close()
        }
    }

    @Test("a callback is accepted once; the second gets 40060; with_response returns the message")
    func callbackOnce() async throws {
        try await EmulatorHarness.run { harness in
            let sent = try await Self.clickOpenButton(harness)
            let path = "/interactions/\(sent.id)/\(sent.token)/callback"
            let first = try await harness.api(
                .POST, path + "?with_response=true",
                json: #"{"type":4,"data":{"content":"You already have a ticket: <#1>","flags":64}}"#, authorization: nil
            )
            #expect(first.status == 200)
            #expect(first.json?["interaction"]?["response_message_ephemeral"]?.boolValue == true)
            #expect(first.json?["resource"]?["message"]?["content"]?.stringValue == "You already have a ticket: <#1>")
            let second = try await harness.api(.POST, path, json: #"{"type":6}"#, authorization: nil)
            #expect(second.status == 400)
            #expect(second.error?.code == 40060)
            #expect(second.error?.message == "Interaction has already been acknowledged.")
            let record = try await harness.control(.GET, "/interactions/\(sent.id)").json
            #expect(record?["acknowledged"]?.boolValue == true)
            #expect(record?["original_message"]?["flags"]?.intValue == 64)
        }
    }

    @Test("type 7 edits the clicked message in place and dispatches MESSAGE_UPDATE")
    func updateMessageCallback() async throws {
        try await EmulatorHarness.run { harness in
            let sent = try await Self.clickOpenButton(harness)
            let update = try await harness.api(
                .POST, "/interactions/\(sent.id)/\(sent.token)/callback?with_response=true",
                json:
                    #"{"type":7,"data":{"components":[{"type":1,"components":[{"type":2,"style":2,"label":"Opened","custom_id":"ticket:open","disabled":true}]}]}}"#,
                authorization: nil)
            #expect(update.status == 200)
            let message = try #require(update.json?["resource"]?["message"])
            #expect(
                message["components"]?.arrayValue?.first?["components"]?.arrayValue?.first?["disabled"]?.boolValue
                    == true)
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "support"))
            let stored = try await harness.control(.GET, "/channels/\(channel.id)/messages").decode([Message].self)
            #expect(stored.last?.components?.first?.components?.first?.label == "Opened")
            #expect(stored.last?.editedTimestamp != nil)
        }
    }

    @Test("a callback after the 3-second window gets 10062 Unknown interaction")
    func callbackTooLate() async throws {
        try await EmulatorHarness.run({ $0.interactionResponseDeadline = .milliseconds(100) }) { harness in
            let sent = try await Self.clickOpenButton(harness)
            try await Task.sleep(for: .milliseconds(200))
            let late = try await harness.api(
                .POST, "/interactions/\(sent.id)/\(sent.token)/callback", json: #"{"type":6}"#, authorization: nil)
            #expect(late.status == 404)
            #expect(late.error?.code == 10062)
            #expect(late.error?.message == "Unknown interaction")
        }
    }

    @Test("defer, then edit @original and send a follow-up through the webhook routes")
    func deferredResponseAndFollowUps() async throws {
        try await EmulatorHarness.run { harness in
            let sent = try await Self.clickOpenButton(harness)
            let application = EmulatorConfiguration.botUserID
            let deferred = try await harness.api(
                .POST, "/interactions/\(sent.id)/\(sent.token)/callback", json: #"{"type":5,"data":{"flags":64}}"#,
                authorization: nil)
            #expect(deferred.status == 204)
            let edited = try await harness.api(
                .PATCH, "/webhooks/\(application)/\(sent.token)/messages/@original",
                json: #"{"content":"Your ticket is ready: <#123>"}"#, authorization: nil)
            #expect(edited.status == 200)
            #expect(try edited.decode(Message.self).content == "Your ticket is ready: <#123>")
            let original = try await harness.api(
                .GET, "/webhooks/\(application)/\(sent.token)/messages/@original", authorization: nil)
            #expect(try original.decode(Message.self).flags?.contains(.ephemeral) == true)
            let followUp = try await harness.api(
                .POST, "/webhooks/\(application)/\(sent.token)", json: #"{"content":"One more thing","flags":64}"#,
                authorization: nil)
            #expect(followUp.status == 200)
            let wrongToken = try await harness.api(
                .PATCH, "/webhooks/\(application)/not-a-token/messages/@original", json: #"{"content":"x"}"#,
                authorization: nil)
            #expect(wrongToken.error?.code == 10015)
        }
    }

    @Test("slash commands: bulk overwrite is validated, and running one reaches the bot as type 2")
    func slashCommands() async throws {
        try await EmulatorHarness.run { harness in
            let application = EmulatorConfiguration.botUserID
            let invalid = try await harness.api(
                .PUT, "/applications/\(application)/commands", json: #"[{"name":"Ticket Setup","description":""}]"#)
            #expect(invalid.status == 400)
            #expect(Set(invalid.error?.fieldErrors.map(\.path) ?? []) == ["0.name", "0.description"])
            let registered = try await harness.api(
                .PUT, "/applications/\(application)/commands",
                json:
                    #"[{"name":"ticket-setup","description":"Post the ticket panel","default_member_permissions":"8"}]"#
            )
            #expect(registered.status == 200)
            let commands = try registered.decode([ApplicationCommand].self)
            #expect(commands.map(\.name) == ["ticket-setup"])
            #expect(commands.first?.defaultMemberPermissions == .administrator)

            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "support"))
            let member = try #require(guild.ordinaryMembers.first)
            let hidden = try await harness.control(
                .POST, "/interactions/command",
                json: #"{"channel_id":"\#(channel.id)","user_id":"\#(member)","name":"ticket-setup"}"#)
            #expect(hidden.status == 403)

            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await GatewaySessionTests.startSession(client, token: harness.token)
            let ran = try await harness.control(
                .POST, "/interactions/command",
                json: #"{"channel_id":"\#(channel.id)","user_id":"\#(guild.owner)","name":"ticket-setup"}"#)
            #expect(ran.status == 201)
            let event = try await client.dispatch("INTERACTION_CREATE")
            #expect(event.d?["type"]?.intValue == 2)
            #expect(event.d?["data"]?["name"]?.stringValue == "ticket-setup")
            #expect(event.d?["member"]?["permissions"]?.stringValue == Permissions.all.description)
            await client.close()
        }
    }
}
