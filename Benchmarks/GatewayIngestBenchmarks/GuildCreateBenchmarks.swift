import Benchmark
import DiscordGateway
import DiscordModels
import Foundation
import ZlibStream

/// Resident memory of this process in bytes, from /proc (Linux): what an operator's RSS graph shows.
func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * 4096
}

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
        "memory per idle guild after GUILD_CREATE (GuildSnapshot, RSS delta over 20,000 guilds)",
        configuration: .init(metrics: [.custom("bytes per guild", polarity: .prefersSmaller)], maxIterations: 3)
    ) { benchmark in
        let guildCount = 20_000
        guard let before = residentBytes() else { return }
        var kept: [UInt64: GuildSnapshot] = [:]
        kept.reserveCapacity(guildCount)
        for index in 0..<guildCount {
            let payload = payloads[index % payloads.count]
            if var snapshot = GuildCreateDecoder.decode(payload) {
                snapshot.id = GuildID(UInt64(index))
                kept[UInt64(index)] = snapshot
            }
        }
        guard let after = residentBytes() else { return }
        benchmark.measurement(.custom("bytes per guild", polarity: .prefersSmaller), (after - before) / guildCount)
        blackHole(kept.count)
    }
}
