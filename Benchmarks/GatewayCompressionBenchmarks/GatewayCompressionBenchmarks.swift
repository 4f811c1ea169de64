import Benchmark
import DiscordEmulator
import DiscordModels
import Foundation
import ZlibStream

/// The zlib-stream costs on realistic gateway traffic: what the emulator pays to deflate each event and
/// what a client pays to inflate it (the baseline the gateway's ingest path is measured against).
let benchmarks: @Sendable () -> Void = {
    let events = RecordedTraffic.messageCreateHeavy(count: 10_000)
    let compressedStream: [[UInt8]] = {
        guard let deflater = try? ZlibDeflater() else { return [] }
        return events.compactMap { try? deflater.compress($0) }
    }()

    Benchmark(
        "zlib-stream deflate (emulator side), per event",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        let deflater = try ZlibDeflater()
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            output.removeAll(keepingCapacity: true)
            try deflater.compress(events[index % events.count], into: &output)
            blackHole(output.count)
        }
    }

    Benchmark(
        "zlib-stream inflate (client side), per event",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        let frames = compressedStream
        var inflater = try ZlibInflater()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            // The recording is one zlib stream: start a fresh context each time it wraps around.
            if index > 0 && index % frames.count == 0 { inflater = try ZlibInflater() }
            blackHole(try inflater.append(frames[index % frames.count])?.count)
        }
    }
}

/// A deterministic recording of firehose traffic, as the emulator generates it.
enum RecordedTraffic {
    static func messageCreateHeavy(count: Int) -> [[UInt8]] {
        let guildID = GuildID(1_200_000_000_000_000_000)
        let place = FirehoseEventFactory.Place(
            guildID: guildID, channelIDs: (1...20).map { ChannelID(1_200_000_000_000_001_000 + $0) },
            authors: (1...50).map {
                (UserID(1_200_000_000_000_002_000 + $0), "member\($0)", [RoleID(guildID.rawValue + 7)])
            })
        var factory = FirehoseEventFactory(places: [place], seed: 1)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        return (0..<count).compactMap { sequence in
            factory.next(now: now).map { event in
                Array(#"{"op":0,"s":\#(sequence + 1),"t":"\#(event.name)","d":"#.utf8) + event.payload + [
                    UInt8(ascii: "}")
                ]
            }
        }
    }
}
