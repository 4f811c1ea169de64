import Benchmark
import DiscordEmulator
import DiscordGateway
import DiscordModels
import Foundation
import ZlibStream

/// The gateway ingest path on a recorded zlib-stream of realistic traffic: inflate alone (the floor), then
/// inflate + envelope scan + routing to a per-guild counter, the work the shard's event loop does per event.
let benchmarks: @Sendable () -> Void = {
    guildCreateBenchmarks()
    let recording = RecordedStream.make(events: 20_000, guilds: 200)

    Benchmark(
        "ingest: inflate only (baseline), per event",
        configuration: .init(
            metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        var inflater = try ZlibInflater()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            if index > 0 && index % recording.frames.count == 0 { inflater = try ZlibInflater() }
            blackHole(try inflater.append(recording.frames[index % recording.frames.count])?.count)
        }
    }

    Benchmark(
        "ingest: inflate + envelope + route + count, per event",
        configuration: .init(
            metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        var inflater = try ZlibInflater()
        var perGuild: [UInt64: Int] = [:]
        var byEvent = [Int](repeating: 0, count: GatewayEventName.allCases.count)
        perGuild.reserveCapacity(256)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            if index > 0 && index % recording.frames.count == 0 { inflater = try ZlibInflater() }
            guard let message = try inflater.append(recording.frames[index % recording.frames.count]),
                let envelope = GatewayEnvelope.scan(message)
            else { continue }
            byEvent[Int((envelope.event ?? .other).rawValue)] += 1
            if let guild = envelope.guildID { perGuild[guild, default: 0] += 1 }
        }
        blackHole(perGuild.count + byEvent.count)
    }

    Benchmark(
        "envelope scan only (1 KB MESSAGE_CREATE), per event",
        configuration: .init(
            metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        let messages = recording.plain
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(GatewayEnvelope.scan(messages[index % messages.count])?.guildID)
        }
    }

    Benchmark(
        "Foundation JSONDecoder of op/s/t only (for comparison), per event",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)
    ) { benchmark in
        struct Envelope: Decodable {
            var op: Int
            var s: Int?
            var t: String?
        }
        let messages = recording.plain.map { Data($0) }
        let decoder = JSONDecoder()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try? decoder.decode(Envelope.self, from: messages[index % messages.count]).op)
        }
    }
}

/// Firehose traffic over `guilds` guilds, framed and compressed as one zlib stream, as a shard receives it.
struct RecordedStream {
    var plain: [[UInt8]]
    var frames: [[UInt8]]

    static func make(events: Int, guilds: Int) -> RecordedStream {
        let places = (0..<guilds).map { index -> FirehoseEventFactory.Place in
            let guildID = GuildID(1_200_000_000_000_000_000 + UInt64(index) << 22)
            return FirehoseEventFactory.Place(
                guildID: guildID, channelIDs: (1...8).map { ChannelID(guildID.rawValue + UInt64($0)) },
                authors: (1...30).map {
                    (UserID(guildID.rawValue + 1000 + UInt64($0)), "member\($0)", [RoleID(guildID.rawValue + 7)])
                })
        }
        var factory = FirehoseEventFactory(places: places, seed: 3)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let plain = (0..<events).compactMap { sequence in
            factory.next(now: now).map { event in
                Array(#"{"t":"\#(event.name)","s":\#(sequence + 1),"op":0,"d":"#.utf8) + event.payload + [
                    UInt8(ascii: "}")
                ]
            }
        }
        let deflater = try? ZlibDeflater()
        let frames = plain.compactMap { try? deflater?.compress($0) }
        return RecordedStream(plain: plain, frames: frames)
    }
}
