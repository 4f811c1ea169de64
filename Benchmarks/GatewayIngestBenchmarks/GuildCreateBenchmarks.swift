import Benchmark
import DiscordGateway
import DiscordModels
import Foundation
import ZlibStream

/// GUILD_CREATE for a realistic small guild: 20 roles, 30 channels with overwrites, emojis, the bot's member.
enum RealisticGuildCreate {
    static func payload(guildIndex: UInt64) -> [UInt8] {
        let guildID = 1_300_000_000_000_000_000 + guildIndex << 22
        let roles = (0..<20).map { index in
            Role(
                id: RoleID(index == 0 ? guildID : guildID + UInt64(index)),
                name: index == 0 ? "@everyone" : "Role \(index)",
                color: 0x3498DB, hoist: index % 3 == 0, position: index,
                permissions: index == 1 ? .administrator : .ticketParticipant,
                mentionable: true)
        }
        let channels = (0..<30).map { index -> Channel in
            let overwrites: [PermissionOverwrite] = [
                .role(RoleID(guildID), deny: index % 4 == 0 ? .viewChannel : []),
                .role(RoleID(guildID + 2), allow: .ticketParticipant),
                .member(UserID(guildID + 500 + UInt64(index)), allow: [.viewChannel, .sendMessages]),
            ]
            return Channel(
                id: ChannelID(guildID + 100 + UInt64(index)), type: index % 6 == 0 ? .guildCategory : .guildText,
                guildId: GuildID(guildID), position: index,
                name: index % 6 == 0 ? "Category \(index)" : "channel-\(index)",
                permissionOverwrites: overwrites, topic: index % 2 == 0 ? "Talk about topic number \(index) here" : nil,
                parentId: index % 6 == 0 ? nil : ChannelID(guildID + 100 + UInt64(index - index % 6)))
        }
        let bot = GuildMember(
            user: User(id: UserID(1_000_000_000_000_000_001), username: "Aetheria", bot: true),
            roles: [RoleID(guildID + 3)],
            joinedAt: "2024-01-01T00:00:00.000000+00:00")
        var guild = Guild(
            id: GuildID(guildID), name: "Benchmark Guild \(guildIndex)", ownerId: UserID(guildID + 900), roles: roles,
            channels: channels, members: [bot], memberCount: 1200, joinedAt: "2024-01-01T00:00:00.000000+00:00")
        guild.features = ["COMMUNITY", "NEWS"]
        var data = (try? DiscordJSON.encode(guild)) ?? Data()
        data.removeLast()
        let emojis = (0..<10).map {
            #"{"id":"\#(guildID + 2000 + UInt64($0))","name":"emoji_\#($0)","roles":[],"require_colons":true,"managed":false,"animated":false,"available":true}"#
        }
        data.append(
            contentsOf:
                #","emojis":[\#(emojis.joined(separator: ","))],"stickers":[],"voice_states":[],"presences":[],"stage_instances":[],"guild_scheduled_events":[],"soundboard_sounds":[],"verification_level":1,"default_message_notifications":1,"explicit_content_filter":2,"mfa_level":0,"premium_tier":1,"nsfw_level":0}"#
                .utf8)
        return Array(data)
    }
}

let guildCreateBenchmarks: @Sendable () -> Void = {
    let payloads = (0..<200).map { RealisticGuildCreate.payload(guildIndex: $0) }
    let averageSize = payloads.map(\.count).reduce(0, +) / payloads.count

    Benchmark(
        "GUILD_CREATE: inflate + fast decode to GuildSnapshot (~\(averageSize / 1024) KB), per guild",
        configuration: .init(metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal], scalingFactor: .one)
    ) { benchmark in
        let deflater = try ZlibDeflater()
        let frames = try payloads.map { payload in
            try deflater.compress(Array(#"{"t":"GUILD_CREATE","s":1,"op":0,"d":"#.utf8) + payload + [UInt8(ascii: "}")])
        }
        var inflater = try ZlibInflater()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            if index > 0 && index % frames.count == 0 { inflater = try ZlibInflater() }
            guard let message = try inflater.append(frames[index % frames.count]),
                let range = GatewayEnvelope.scan(message)?.payloadRange
            else { continue }
            blackHole(GuildCreateDecoder.decode(message[range])?.channels.count)
        }
    }

    Benchmark(
        "GUILD_CREATE: Foundation JSONDecoder to Guild (for comparison), per guild",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one)
    ) { benchmark in
        let data = payloads.map { Data($0) }
        let decoder = DiscordJSON.makeDecoder()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try? decoder.decode(Guild.self, from: data[index % data.count]).channels?.count)
        }
    }

    Benchmark(
        "memory per idle guild after GUILD_CREATE (GuildSnapshot heap bytes, from layouts and capacities)",
        configuration: .init(metrics: [.custom("bytes per guild", polarity: .prefersSmaller)], maxIterations: 1)
    ) { benchmark in
        // RSS deltas inside a benchmark process mostly measure the allocator's reuse of freed pages, so the
        // heap a snapshot holds is added up from what it owns instead: array buffers (header + capacity ×
        // stride) and out-of-line strings, each rounded to malloc's 16-byte granularity.
        func rounded(_ bytes: Int) -> Int { (bytes + 15) / 16 * 16 + 16 }
        func stringBytes(_ string: String) -> Int { string.utf8.count > 15 ? rounded(32 + string.utf8.count) : 0 }
        var total = 0
        for payload in payloads {
            guard let snapshot = GuildCreateDecoder.decode(payload) else { continue }
            total += MemoryLayout<GuildSnapshot>.stride + stringBytes(snapshot.name)
            total += rounded(32 + snapshot.roles.capacity * MemoryLayout<GuildSnapshot.RoleEntry>.stride)
            total += snapshot.roles.reduce(0) { $0 + stringBytes($1.name) }
            total += rounded(32 + snapshot.channels.capacity * MemoryLayout<GuildSnapshot.ChannelEntry>.stride)
            for channel in snapshot.channels {
                total += stringBytes(channel.name) + (channel.topic.map(stringBytes) ?? 0)
                if !channel.overwrites.isEmpty {
                    total += rounded(32 + channel.overwrites.capacity * MemoryLayout<PermissionOverwrite>.stride)
                }
            }
        }
        benchmark.measurement(.custom("bytes per guild", polarity: .prefersSmaller), total / payloads.count)
    }
}
