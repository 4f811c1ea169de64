import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

/// Modals, select menus and autocomplete as Discord documents them: what the bot may send, and what a member's
/// client lets through.
@Suite("Modals, select menus and autocomplete")
struct ModalAndSelectTests {
    static let modal =
        #"{"type":9,"data":{"custom_id":"form","title":"Tell us more","components":[{"type":1,"components":[{"type":4,"custom_id":"q0","style":1,"label":"Order","min_length":3,"max_length":8,"required":true}]}]}}"#

    @Test("a modal is validated like Discord's: rows of one text input, labels, lengths, unique IDs")
    func modalValidation() async throws {
        try await EmulatorHarness.run { harness in
            let sent = try await InteractionTests.clickOpenButton(harness)
            let path = "/interactions/\(sent.id)/\(sent.token)/callback"
            let twoInputs =
                #"{"type":9,"data":{"custom_id":"form","title":"x","components":[{"type":1,"components":[{"type":4,"custom_id":"a","style":1,"label":"A"},{"type":4,"custom_id":"b","style":1,"label":"B"}]}]}}"#
            let refused = try await harness.api(.POST, path, json: twoInputs, authorization: nil)
            #expect(refused.status == 400 && refused.error?.code == 50035)
            let badLength =
                #"{"type":9,"data":{"custom_id":"form","title":"x","components":[{"type":1,"components":[{"type":4,"custom_id":"a","style":3,"label":"","min_length":9,"max_length":2}]}]}}"#
            let problems = try await harness.api(.POST, path, json: badLength, authorization: nil)
            #expect(problems.status == 400)
            let text = String(decoding: problems.body, as: UTF8.self)
            #expect(text.contains("style") && text.contains("label") && text.contains("TEXT_INPUT_LENGTH_INVALID"))
            #expect(try await harness.api(.POST, path, json: Self.modal, authorization: nil).status == 204)
            let record = try await harness.control(.GET, "/interactions/\(sent.id)").json
            #expect(record?["callback_type"]?.intValue == 9)
        }
    }

    @Test("a modal submission passes the client's checks once, and reaches the bot as a modal submit")
    func modalSubmission() async throws {
        try await EmulatorHarness.run { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL)
            _ = try await GatewaySessionTests.startSession(client, token: harness.token)
            let sent = try await InteractionTests.clickOpenButton(harness)
            _ = try await client.dispatch("INTERACTION_CREATE")
            _ = try await harness.api(
                .POST, "/interactions/\(sent.id)/\(sent.token)/callback", json: Self.modal, authorization: nil)
            func submit(_ values: String) async throws -> EmulatorHarness.HTTPResult {
                try await harness.control(
                    .POST, "/interactions/modal", json: #"{"interaction_id":"\#(sent.id)","values":\#(values)}"#)
            }
            #expect(try await submit("{}").status == 400, "a required input left empty")
            #expect(try await submit(#"{"q0":"ab"}"#).status == 400, "shorter than min_length")
            #expect(try await submit(#"{"q0":"far too long"}"#).status == 400, "longer than max_length")
            #expect(try await submit(#"{"q0":"A-123"}"#).status == 201)
            #expect(try await submit(#"{"q0":"A-123"}"#).status == 400, "a modal is submitted once")
            let event = try await client.dispatch("INTERACTION_CREATE")
            let interaction = try DiscordJSON.decode(
                Interaction.self, from: try JSONEncoder().encode(try #require(event.d)))
            #expect(interaction.type == .modalSubmit && interaction.data?.customId == "form")
            let input = interaction.data?.components?.first?.components?.first
            #expect(input?.customId == "q0" && input?.value == "A-123")
            await client.close()
        }
    }

    @Test("string selects: options validated when posted; a member picks only offered values")
    func stringSelect() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let channel = try #require(guild.channel(named: "support"))
            let duplicate = try await harness.api(
                .POST, "/channels/\(channel.id)/messages",
                json:
                    #"{"components":[{"type":1,"components":[{"type":3,"custom_id":"pick","options":[{"label":"A","value":"1"},{"label":"B","value":"1"}]}]}]}"#
            )
            #expect(
                duplicate.status == 400
                    && String(decoding: duplicate.body, as: UTF8.self).contains(
                        "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED")
            )
            let posted = try await harness.api(
                .POST, "/channels/\(channel.id)/messages",
                json:
                    #"{"components":[{"type":1,"components":[{"type":3,"custom_id":"pick","options":[{"label":"A","value":"1"},{"label":"B","value":"2"}]}]}]}"#
            )
            let message = try posted.decode(Message.self)
            let member = try #require(guild.ordinaryMembers.first)
            func pick(_ values: String) async throws -> Int {
                try await harness.control(
                    .POST, "/interactions/component",
                    json:
                        #"{"channel_id":"\#(channel.id)","message_id":"\#(message.id)","user_id":"\#(member)","custom_id":"pick","values":\#(values)}"#
                ).status
            }
            #expect(try await pick(#"["3"]"#) == 400, "not offered")
            #expect(try await pick(#"["1","2"]"#) == 400, "more than max_values")
            #expect(try await pick(#"["2"]"#) == 201)
        }
    }
}
