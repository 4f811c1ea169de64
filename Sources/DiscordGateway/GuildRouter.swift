public import DiscordModels
public import NIOCore
import Synchronization

/// The object that owns one guild's state in the bot (in Aetheria, a guild actor running on the shard's
/// event loop). Called synchronously on that loop, in gateway order.
public protocol GuildEventHandling: AnyObject {
    func handle(_ envelope: GatewayEnvelope, frame: [UInt8])
}

/// Routes each dispatch to its guild's handler, on the shard's event loop, with no task per event: events
/// of one guild are handled in gateway order, and a guild with no traffic costs only its handler object.
/// Handlers are made on a guild's first event (normally GUILD_CREATE) and dropped when the bot leaves the
/// guild (GUILD_DELETE without `unavailable`). Events without a guild go to `unrouted`.
public final class GuildRouter<Handler: GuildEventHandling>: GatewayEventConsumer {
    public typealias MakeHandler = @Sendable (_ guildID: GuildID, _ eventLoop: any EventLoop) -> Handler
    public typealias Unrouted =
        @Sendable (_ shard: ShardIdentity, _ envelope: GatewayEnvelope, _ frame: [UInt8]) -> Void

    /// One shard's guilds, touched only on that shard's loop.
    final class ShardTable {
        var handlers: [UInt64: Handler] = [:]
    }

    let makeHandler: MakeHandler
    private let unrouted: Unrouted
    private let tables = Mutex<[Int: NIOLoopBoundBox<ShardTable>]>([:])

    public init(makeHandler: @escaping MakeHandler, unrouted: @escaping Unrouted = { _, _, _ in }) {
        self.makeHandler = makeHandler
        self.unrouted = unrouted
    }

    public func shard(
        _ shard: ShardIdentity, dispatched envelope: GatewayEnvelope, frame: [UInt8], on eventLoop: any EventLoop
    ) {
        let guildID: UInt64?
        switch envelope.event {
        case .guildCreate, .guildUpdate, .guildDelete:
            // These carry the guild's own `id`, not `guild_id`.
            guildID = envelope.guildID ?? envelope.payloadRange.flatMap { Self.topLevelID(frame[$0]) }
        default:
            guildID = envelope.guildID
        }
        guard let guildID else {
            unrouted(shard, envelope, frame)
            return
        }
        let table = self.table(for: shard.id, eventLoop: eventLoop).value
        if envelope.event == .guildDelete, let range = envelope.payloadRange, !Self.isOutage(frame[range]) {
            table.handlers[guildID]?.handle(envelope, frame: frame)
            table.handlers[guildID] = nil
            return
        }
        let handler: Handler
        if let existing = table.handlers[guildID] {
            handler = existing
        } else {
            handler = makeHandler(GuildID(guildID), eventLoop)
            table.handlers[guildID] = handler
        }
        handler.handle(envelope, frame: frame)
    }

    /// How many guilds have a handler on `shardID` (call on that shard's loop, or for tests after it quiesced).
    public func guildCount(shardID: Int, eventLoop: any EventLoop) -> EventLoopFuture<Int> {
        let box = table(for: shardID, eventLoop: eventLoop)
        return eventLoop.submit { box.value.handlers.count }
    }

    func table(for shardID: Int, eventLoop: any EventLoop) -> NIOLoopBoundBox<ShardTable> {
        tables.withLock { tables in
            if let box = tables[shardID] { return box }
            let box = NIOLoopBoundBox.makeBoxSendingValue(ShardTable(), eventLoop: eventLoop)
            tables[shardID] = box
            return box
        }
    }

    /// The guild object's own `id` (GUILD_CREATE/UPDATE/DELETE).
    package static func topLevelID(_ payload: ArraySlice<UInt8>) -> UInt64? {
        payload.withUnsafeBytes { bytes in
            var scanner = JSONByteScanner(bytes: bytes)
            var id: UInt64?
            _ = scanner.forEachKey { scanner, key in
                if JSONByteScanner.key(key, is: "id") {
                    id = scanner.readDecimalUInt64()
                    return false  // found it: stop scanning
                }
                return scanner.skipValue()
            }
            return id
        }
    }

    /// GUILD_DELETE with `"unavailable": true` is an outage (the guild comes back); without it the bot left.
    public static func isOutage(_ payload: ArraySlice<UInt8>) -> Bool {
        payload.withUnsafeBytes { bytes in
            var scanner = JSONByteScanner(bytes: bytes)
            var outage = false
            _ = scanner.forEachKey { scanner, key in
                if JSONByteScanner.key(key, is: "unavailable") {
                    scanner.skipWhitespace()
                    outage = scanner.peek == UInt8(ascii: "t")
                }
                return scanner.skipValue()
            }
            return outage
        }
    }
}

extension GuildRouter {
    /// Makes (or finds) the handler of a guild before any event for it arrives, on the shard's loop: used at
    /// start-up for guilds with stored state, so a process that resumes its sessions (and therefore gets no
    /// GUILD_CREATE) still runs their timers and reminders. Later events reach the same handler.
    public func prepare(_ guildID: GuildID, shardID: Int, eventLoop: any EventLoop) -> EventLoopFuture<Handler> {
        let box = table(for: shardID, eventLoop: eventLoop)
        let makeHandler = self.makeHandler
        return eventLoop.submit {
            if let existing = box.value.handlers[guildID.rawValue] { return existing }
            let handler = makeHandler(guildID, eventLoop)
            box.value.handlers[guildID.rawValue] = handler
            return handler
        }
    }
}
