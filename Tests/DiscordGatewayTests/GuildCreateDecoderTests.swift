import DiscordGateway
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("GUILD_CREATE fast decoder")
struct GuildCreateDecoderTests {
    @Test("decodes the emulator's GUILD_CREATE exactly as JSONDecoder reads the same fields")
    func matchesJSONDecoder() async throws {
        try await EmulatorHarness.run({ $0.textChannelsPerGuild = 25 }) { harness in
            let client = try await GatewayTestClient.connect(to: harness.endpoints.gatewayURL, compressed: true)
            _ = try await client.next()
            try await client.identify(token: harness.token, intents: [.guilds, .guildMessages, .guildPresences])
            _ = try await client.dispatch("READY")
            for _ in 0..<3 {
                let payload = try await client.dispatch("GUILD_CREATE")
                let data = try JSONEncoder().encode(try #require(payload.d))
                let reference = try DiscordJSON.decode(Guild.self, from: data)
                let fast = try #require(GuildCreateDecoder.decode(Array(data)))
                #expect(fast.id == reference.id)
                #expect(fast.name == reference.name)
                #expect(fast.ownerID == reference.ownerId)
                #expect(Int(fast.memberCount) == reference.memberCount)
                #expect(Set(fast.roles.map(\.id)) == Set(reference.roles?.map(\.id) ?? []))
                for role in reference.roles ?? [] {
                    #expect(fast.role(role.id)?.permissions == role.permissions)
                    #expect(fast.role(role.id).map(fast.name(of:)) == role.name)
                }
                #expect(fast.channels.count == reference.channels?.count)
                for channel in reference.channels ?? [] {
                    let decoded = try #require(fast.channel(channel.id))
                    #expect(fast.name(of: decoded) == channel.name)
                    #expect(decoded.parentID == channel.parentId)
                    #expect(Int(decoded.type) == channel.type.rawValue)
                    #expect(fast.overwrites(of: decoded) == (channel.permissionOverwrites ?? []))
                }
            }
            await client.close()
        }
    }

    @Test("channels with the same overwrites share one stored run; member overwrites keep their type")
    func sharedOverwrites() throws {
        let overwrites =
            #"[{"id":"5","type":0,"allow":"0","deny":"1024"},{"id":"77","type":1,"allow":"3072","deny":"0"}]"#
        let channels = (1...4).map {
            #"{"id":"\#($0)0","type":0,"name":"c\#($0)","position":\#($0),"permission_overwrites":\#(overwrites)}"#
        }
        let json = #"{"id":"5","name":"g","owner_id":"7","roles":[],"channels":[\#(channels.joined(separator: ","))]}"#
        let guild = try #require(GuildCreateDecoder.decode(Array(json.utf8)))
        for channel in guild.channels {
            #expect(guild.overwrites(of: channel).map(\.type) == [.role, .member])
            #expect(guild.overwrites(of: channel).last?.allow == [.viewChannel, .sendMessages])
        }
        #expect(guild.permissions(of: 77, roles: [], in: 10).contains(.sendMessages))
        #expect(!guild.permissions(of: 78, roles: [], in: 10).contains(.viewChannel))
    }

    @Test(
        "an overwrite repeated across channels is stored once: each channel still reads its own, in its order, and a rebuild keeps them"
    )
    func overwritesStoredOnce() {
        let everyone = PermissionOverwrite.role(5, deny: .viewChannel)
        let staff = PermissionOverwrite.role(6, allow: .ticketParticipant)
        var builder = GuildSnapshot.Builder()
        let expected: [ChannelID: [PermissionOverwrite]] = [
            10: [everyone, staff, .member(100, allow: .viewChannel)],
            11: [staff, everyone, .member(101, allow: .viewChannel)],  // the same two, the other way round
            12: [everyone, staff], 13: [everyone, staff], 14: [],
        ]
        for (id, overwrites) in expected.sorted(by: { $0.key < $1.key }) {
            builder.addChannel(
                id: id, type: 0, name: "c\(id)", position: Int(id.rawValue), parentID: nil, topic: nil,
                overwrites: overwrites)
        }
        let guild = builder.build(id: 5, ownerID: 7, memberCount: 1)
        for channel in guild.channels { #expect(guild.overwrites(of: channel) == expected[channel.id]) }
        // Stored as 4 distinct overwrites and 3 runs of indices into them (two channels share a run).
        let rebuilt = guild.builder(excludingChannel: 10).build(id: 5, ownerID: 7, memberCount: 1)
        #expect(rebuilt.channels.map(\.id) == [11, 12, 13, 14])
        for channel in rebuilt.channels { #expect(rebuilt.overwrites(of: channel) == expected[channel.id]) }
        #expect(rebuilt.estimatedHeapBytes < guild.estimatedHeapBytes)
    }

    @Test("only the topics the caller asks for are kept (the bot keeps its markers, not every channel's topic)")
    func keptTopics() throws {
        let json =
            #"{"id":"5","name":"g","owner_id":"7","roles":[],"channels":[{"id":"9","type":0,"name":"a","position":1,"topic":"Rules: be nice"},{"id":"10","type":0,"name":"b","position":2,"topic":"help · aetheria:ticket:3:42"}]}"#
        let filtered = try #require(
            GuildCreateDecoder.decode(Array(json.utf8), keepingTopicsContaining: "aetheria:"))
        #expect(filtered.topic(of: 9) == nil)
        #expect(filtered.topic(of: 10) == "help · aetheria:ticket:3:42")
        let everything = try #require(GuildCreateDecoder.decode(Array(json.utf8)))
        #expect(everything.topic(of: 9) == "Rules: be nice")
    }

    @Test("names with escapes and astral characters decode; unavailable and malformed guilds are refused")
    func escapesAndRefusals() throws {
        let json =
            #"{"id":"5","name":"Caf\u00e9 \"Cozy\" \ud83c\udf89 \\ zone","owner_id":"7","member_count":3,"roles":[{"id":"5","name":"@everyone","permissions":"1024","position":0,"color":0}],"channels":[{"id":"9","type":0,"name":"general","parent_id":null,"position":1,"permission_overwrites":[{"id":"5","type":0,"allow":"0","deny":"1024"}],"topic":"aetheria:ticket:1"}],"members":[{"user":{"id":"7"}}]}"#
        let guild = try #require(GuildCreateDecoder.decode(Array(json.utf8)))
        #expect(guild.name == "Café \"Cozy\" 🎉 \\ zone")
        #expect(guild.topic(of: 9) == "aetheria:ticket:1")
        #expect(guild.channels.first.map(guild.name(of:)) == "general")
        #expect(guild.permissions(of: 8, roles: [], in: 9).isEmpty)
        #expect(guild.permissions(of: 7, roles: [], in: 9) == .all)
        #expect(GuildCreateDecoder.decode(Array(#"{"id":"5","unavailable":true}"#.utf8)) == nil)
        #expect(GuildCreateDecoder.decode(Array(#"{"id":"5","roles":[{"id":"x"}]}"#.utf8)) == nil)
        #expect(GuildCreateDecoder.decode(Array(#"{"name":"no id"}"#.utf8)) == nil)
        #expect(GuildCreateDecoder.decode(Array("{".utf8)) == nil)
    }
}
