public import DiscordModels
public import NIOCore

/// Receives every dispatch of a shard, in gateway order, synchronously on the shard's event loop: the
/// ingest path stays on one thread with no task per event. Implementations must not block; they hand the
/// event to the guild that owns it (whose actor can run on the same event loop) and return.
public protocol GatewayEventConsumer: Sendable {
    func shard(
        _ shard: ShardIdentity, dispatched envelope: GatewayEnvelope, frame: [UInt8], on eventLoop: any EventLoop)
}
