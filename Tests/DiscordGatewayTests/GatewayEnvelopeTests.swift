import DiscordGateway
import Testing

@Suite("Envelope byte scan")
struct GatewayEnvelopeTests {
    static func scan(_ json: String) -> GatewayEnvelope? {
        GatewayEnvelope.scan(Array(json.utf8))
    }

    @Test("a MESSAGE_CREATE with keys in Discord's order: op, s, t, guild and channel")
    func messageCreate() throws {
        let json =
            #"{"t":"MESSAGE_CREATE","s":42,"op":0,"d":{"type":0,"content":"hi \"there\" {not} [json] \\","channel_id":"290926798999357250","author":{"id":"53908099506183680","guild_id":"1"},"guild_id":"41771983423143937"}}"#
        let envelope = try #require(Self.scan(json))
        #expect(envelope.opcode == 0)
        #expect(envelope.sequence == 42)
        #expect(envelope.event == .messageCreate)
        #expect(envelope.guildID == 41_771_983_423_143_937)
        #expect(envelope.channelID == 290_926_798_999_357_250)
        let range = try #require(envelope.payloadRange)
        let payload = String(decoding: Array(json.utf8)[range], as: UTF8.self)
        #expect(payload.hasPrefix(#"{"type":0"#) && payload.hasSuffix(#""41771983423143937"}"#))
    }

    @Test("non-dispatch frames: HELLO, ACK, INVALID_SESSION, RECONNECT")
    func controlFrames() throws {
        let hello = try #require(Self.scan(#"{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"#))
        #expect(hello.opcode == 10)
        #expect(hello.sequence == nil)
        #expect(hello.event == nil)
        #expect(Self.scan(#"{"op":11}"#)?.opcode == 11)
        let invalid = try #require(Self.scan(#"{"t":null,"s":null,"op":9,"d":false}"#))
        #expect(invalid.opcode == 9)
        #expect(invalid.payloadRange?.count == 5)
        #expect(Self.scan(" {\n \"op\" : 7 , \"d\" : null } ")?.opcode == 7)
    }

    @Test("unknown events are .other; ids given as null or numbers are ignored")
    func otherEvents() throws {
        let typing = try #require(
            Self.scan(#"{"op":0,"s":1,"t":"TYPING_START","d":{"guild_id":null,"channel_id":12}}"#))
        #expect(typing.event == .other)
        #expect(typing.guildID == nil)
        #expect(typing.channelID == nil)
    }

    @Test(
        "malformed frames are rejected, never crash",
        arguments: [
            "", "{", "}", "[]", #"{"op":}"#, #"{"op":0,"d":{"guild_id":"1"}"#, #"{"d":{}}"#, #"{"op":"0"}"#,
            #"{"op":0,"t":"MESSAGE_CREATE"#, #"{"op":99999999999999999999999}"#, "not json", #"{"op":0,"d":"\"#,
        ])
    func malformed(_ json: String) {
        #expect(Self.scan(json) == nil)
    }

    @Test("every known event name round-trips through the byte matcher")
    func eventNames() {
        for name in GatewayEventName.allCases where name != .other {
            let envelope = Self.scan(#"{"op":0,"s":1,"t":"\#(name)","d":{}}"#)
            #expect(envelope?.event == name)
        }
    }
}
