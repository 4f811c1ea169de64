import DiscordGateway
import DiscordModels
import Foundation
import NIOCore
import Synchronization

/// A consumer that records every dispatch per shard, split into sessions at each READY, so tests can check
/// that no dispatch was lost or delivered twice.
final class RecordingConsumer: GatewayEventConsumer {
    struct Delivery: Sendable, Equatable {
        var sequence: Int
        var event: String
    }

    /// Per shard: one list per session (a new list starts at READY).
    private let sessions = Mutex<[Int: [[Delivery]]]>([:])
    private let guilds = Mutex<Set<UInt64>>([])
    private let onLoop = Mutex(true)

    func shard(
        _ shard: ShardIdentity, dispatched envelope: GatewayEnvelope, frame: [UInt8], on eventLoop: any EventLoop
    ) {
        if !eventLoop.inEventLoop { onLoop.withLock { $0 = false } }
        let delivery = Delivery(sequence: envelope.sequence ?? -1, event: (envelope.event ?? .other).description)
        sessions.withLock { sessions in
            if envelope.event == .ready || sessions[shard.id] == nil {
                sessions[shard.id, default: []].append([])
            }
            sessions[shard.id]![sessions[shard.id]!.count - 1].append(delivery)
        }
        if envelope.event == .guildCreate, let id = envelope.payloadRange.flatMap({ Self.guildID(frame[$0]) }) {
            guilds.withLock { _ = $0.insert(id) }
        }
    }

    private static func guildID(_ payload: ArraySlice<UInt8>) -> UInt64? {
        struct IDOnly: Decodable { var id: String }
        return (try? JSONDecoder().decode(IDOnly.self, from: Data(payload))).flatMap { UInt64($0.id) }
    }

    var deliveredOnShardLoop: Bool { onLoop.withLock { $0 } }
    var guildsSeen: Set<UInt64> { guilds.withLock { $0 } }
    func sessions(of shard: Int) -> [[Delivery]] { sessions.withLock { $0[shard] ?? [] } }
    func count(_ event: String, shard: Int) -> Int {
        sessions(of: shard).joined().filter { $0.event == event }.count
    }
}
