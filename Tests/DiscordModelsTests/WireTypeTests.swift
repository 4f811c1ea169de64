import DiscordModels
import Foundation
import Testing

@Suite("Wire types decode Discord's documented examples")
struct WireTypeTests {
    static func decode<Value: Decodable>(_ type: Value.Type, _ json: String) throws -> Value {
        try DiscordJSON.decode(type, from: Data(json.utf8))
    }

    @Test("the documented message example")
    func message() throws {
        let message = try Self.decode(Message.self, DocumentationFixtures.message)
        #expect(message.id == 334_385_199_974_967_042)
        #expect(message.author.username == "Mason")
        #expect(message.content == "Supa Hot")
        #expect(message.editedTimestamp == nil)
        #expect(DiscordTimestamp.date(from: message.timestamp) == Date(timeIntervalSince1970: 1_499_794_027.299))
    }

    @Test("the documented text and category channel examples")
    func channels() throws {
        let text = try Self.decode(Channel.self, DocumentationFixtures.textChannel)
        #expect(text.type == .guildText)
        #expect(text.parentId == 399_942_396_007_890_945)
        #expect(text.topic == "24/7 chat about how to gank Mike #2")
        let category = try Self.decode(Channel.self, DocumentationFixtures.categoryChannel)
        #expect(category.type == .guildCategory)
        #expect(category.parentId == nil)
    }

    @Test("the documented button-click interaction")
    func interaction() throws {
        let interaction = try Self.decode(Interaction.self, DocumentationFixtures.componentInteraction)
        #expect(interaction.type == .messageComponent)
        #expect(interaction.data?.customId == "ticket:open")
        #expect(interaction.member?.permissions == .ticketParticipant)
        #expect(interaction.invoker?.username == "alice")
        #expect(interaction.appPermissions == .administrator)
    }

    @Test("error bodies flatten to field paths, and encode back to Discord's nested shape")
    func errorBodies() throws {
        let simple = try JSONDecoder().decode(
            DiscordErrorBody.self, from: Data(DocumentationFixtures.invalidFormBody.utf8))
        #expect(simple.code == 50035)
        #expect(
            simple.fieldErrors == [.init(path: "name", code: "BASE_TYPE_REQUIRED", message: "This field is required")])
        let nested = try JSONDecoder().decode(
            DiscordErrorBody.self, from: Data(DocumentationFixtures.nestedFormErrors.utf8))
        #expect(nested.fieldErrors.map(\.path) == ["activities.0.platform", "activities.0.type"])
        let reencoded = try JSONDecoder().decode(DiscordErrorBody.self, from: try JSONEncoder().encode(nested))
        #expect(reencoded == nested)
    }

    @Test("429 bodies and /gateway/bot")
    func rateLimitAndGatewayBot() throws {
        let limited = try Self.decode(RateLimitedBody.self, DocumentationFixtures.rateLimited)
        #expect(limited.retryAfter == 64.57)
        #expect(!limited.global)
        let gateway = try Self.decode(GatewayBotInfo.self, DocumentationFixtures.gatewayBot)
        #expect(gateway.shards == 9)
        #expect(gateway.sessionStartLimit.resetAfter == 14_400_000)
    }

    @Test("fields Discord always sends stay present as null when encoding")
    func nullableFieldsEncodeAsNull() throws {
        let message = try Self.decode(Message.self, DocumentationFixtures.message)
        let json = String(decoding: try DiscordJSON.encode(message), as: UTF8.self)
        #expect(json.contains(#""edited_timestamp":null"#))
        #expect(json.contains(#""global_name":null"#))
    }

    @Test("types Discord adds later still decode")
    func unknownEnumValues() throws {
        let channel = try Self.decode(Channel.self, #"{"id":"1","type":99,"name":"future"}"#)
        #expect(channel.type.rawValue == 99)
        let component = try Self.decode(Component.self, #"{"type":42,"whatever":true}"#)
        #expect(component.type.rawValue == 42)
    }

    @Test("snowflakes carry their creation time and reject non-numbers")
    func snowflakes() throws {
        // The documentation's example: 175928847299117063 was minted at 2016-04-30 11:18:25.796 UTC.
        let id = UserID(175_928_847_299_117_063)
        #expect(id.date == Date(timeIntervalSince1970: 1_462_015_105.796))
        #expect(throws: DecodingError.self) { try Self.decode([UserID].self, #"["12a"]"#) }
        #expect(try Self.decode([UserID].self, #"["5", 6]"#) == [5, 6])
        #expect(String(decoding: try JSONEncoder().encode(id), as: UTF8.self) == #""175928847299117063""#)
    }

    @Test("intent and permission constants match the documentation")
    func constants() {
        #expect(GatewayIntents.allDefined.rawValue == 53_608_447)
        #expect(GatewayIntents.allDefined.subtracting(.privileged).rawValue == 53_575_421)
        #expect(GatewayIntents.ticketBot.rawValue == 33_281)
        #expect(Permissions.ticketParticipant.rawValue == 117_760)
        #expect(GatewayCloseCode(rawValue: 4004).isFatal)
        #expect(!GatewayCloseCode(rawValue: 4000).isFatal)
        #expect(GatewayCloseCode(rawValue: 4009).requiresNewSession)
        #expect(shardID(for: GuildID(41_771_983_423_143_937), shardCount: 3) == Int((41_771_983_423_143_937 >> 22) % 3))
    }
}

@Suite("Discord timestamps by arithmetic")
struct DiscordTimestampTests {
    @Test("parses what ISO8601DateFormatter parses, to the microsecond, across centuries and offsets")
    func agreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            // 1900–2100, whole microseconds.
            let micros = Int64.random(in: -2_208_988_800_000_000...4_102_444_800_000_000, using: &random)
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let text = DiscordTimestamp.string(from: date)
            #expect(text.count == 32 && text.hasSuffix("+00:00"))
            let parsed = try #require(DiscordTimestamp.date(from: text))
            let reference = try #require(formatter.date(from: text))
            #expect(abs(parsed.timeIntervalSince1970 - reference.timeIntervalSince1970) < 0.001)
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_002)
        }
        #expect(DiscordTimestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000+00:00")
        #expect(
            DiscordTimestamp.date(from: "2024-02-29T23:59:59+02:00")
                == Date(timeIntervalSince1970: 1_709_251_199 - 7_200))
        #expect(
            DiscordTimestamp.date(from: "2017-07-11T17:27:07.299Z") == Date(timeIntervalSince1970: 1_499_794_027.299))
    }

    @Test(
        "refuses what is not a Discord timestamp",
        arguments: [
            "", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01 00:00:00Z",
            "2024-01-01T24:00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+0000",
            "2024-01-01T00:00:00Zjunk", "２０２４-01-01T00:00:00Z",
        ])
    func refusesMalformed(text: String) {
        #expect(DiscordTimestamp.date(from: text) == nil)
    }
}
