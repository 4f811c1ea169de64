import Benchmark
import DiscordGateway
import DiscordModels
import Foundation
import ZlibStream

/// GUILD_CREATE for a realistic small guild: 20 roles, 30 channels with overwrites, emojis, the bot's member.
enum RealisticGuildCreate {
    static func payload(guildIndex: UInt64, everyChannelUnique: Bool = false) -> [UInt8] {
        let guildID = 1_300_000_000_000_000_000 + guildIndex << 22
        let roles = (0..<20).map { index in
            Role(
                id: RoleID(index == 0 ? guildID : guildID + UInt64(index)),
                name: index == 0 ? "@everyone" : "Role \(index)",
                color: 0x3498DB, hoist: index % 3 == 0, position: index,
                permissions: index == 1 ? .administrator : .ticketParticipant,
                mentionable: true)
        }
        // Five categories of six channels. As in most communities, a text channel carries its category's
        // overwrites (synced); every fifth channel is private with a member overwrite of its own. With
        // `everyChannelUnique` each channel gets a member overwrite: the worst case for memory.
        let channels = (0..<30).map { index -> Channel in
            let categoryIndex = index - index % 6
            var overwrites: [PermissionOverwrite] = [
                .role(RoleID(guildID), deny: categoryIndex % 12 == 0 ? .viewChannel : []),
                .role(RoleID(guildID + 2), allow: .ticketParticipant),
            ]
            if everyChannelUnique || index % 5 == 4 {
                overwrites.append(.member(UserID(guildID + 500 + UInt64(index)), allow: [.viewChannel, .sendMessages]))
            }
            return Channel(
                id: ChannelID(guildID + 100 + UInt64(index)), type: index % 6 == 0 ? .guildCategory : .guildText,
                guildId: GuildID(guildID), position: index,
                name: index % 6 == 0 ? "Category \(index)" : "channel-\(index)",
                permissionOverwrites: overwrites, topic: index % 2 == 0 ? "Talk about topic number \(index) here" : nil,
                parentId: index % 6 == 0 ? nil : ChannelID(guildID + 100 + UInt64(categoryIndex)))
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
    // Compressed once, as one zlib stream, outside the measured closures.
    let deflater = try? ZlibDeflater()
    let frames = payloads.compactMap { payload in
        try? deflater?.compress(Array(#"{"t":"GUILD_CREATE","s":1,"op":0,"d":"#.utf8) + payload + [UInt8(ascii: "}")])
    }

    Benchmark(
        "GUILD_CREATE: inflate + fast decode to GuildSnapshot (~\(averageSize / 1024) KB), per guild",
        configuration: .init(metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal], scalingFactor: .one)
    ) { benchmark in
        var inflater = try ZlibInflater()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            if index > 0 && index % frames.count == 0 { inflater = try ZlibInflater() }
            guard let message = try inflater.append(frames[index % frames.count]),
                let range = GatewayEnvelope.scan(message)?.payloadRange
            else { continue }
            blackHole(GuildCreateDecoder.decode(message[range], keepingTopicsContaining: "aetheria:")?.channels.count)
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
        "memory per idle guild after GUILD_CREATE (GuildSnapshot: inline + owned heap)",
        configuration: .init(
            metrics: [
                .custom("bytes per guild", polarity: .prefersSmaller),
                .custom("bytes per guild, every channel with its own overwrites", polarity: .prefersSmaller),
            ], maxIterations: 1)
    ) { benchmark in
        // RSS deltas inside a benchmark process mostly measure the allocator's reuse of freed pages, so the
        // heap each snapshot owns is added up from its buffers instead (GuildSnapshot.estimatedHeapBytes).
        func bytesPerGuild(_ payloads: [[UInt8]]) -> Int {
            let snapshots = payloads.compactMap { GuildCreateDecoder.decode($0, keepingTopicsContaining: "aetheria:") }
            let total = snapshots.reduce(0) { $0 + MemoryLayout<GuildSnapshot>.stride + $1.estimatedHeapBytes }
            return total / max(1, snapshots.count)
        }
        let worstCase = (0..<50).map { RealisticGuildCreate.payload(guildIndex: $0, everyChannelUnique: true) }
        benchmark.measurement(
            .custom("bytes per guild, every channel with its own overwrites", polarity: .prefersSmaller),
            bytesPerGuild(worstCase))
        benchmark.measurement(.custom("bytes per guild", polarity: .prefersSmaller), bytesPerGuild(payloads))
    }
}
