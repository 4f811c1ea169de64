public import AetheriaPorts
public import DiscordModels
public import Logging
public import NIOCore

/// Runs this process's shards: decides the shard layout from `/gateway/bot` and configuration, restores
/// saved sessions (so a restart resumes instead of identifying), paces identifies through one
/// `IdentifyQueue`, and refuses to start when the daily identify budget cannot cover it.
public final class ShardManager: Sendable {
    /// How many shards the bot runs in total.
    public enum ShardCount: Sendable, Equatable {
        case automatic
        case fixed(Int)
    }

    /// The layout this process runs.
    public struct Plan: Sendable, Equatable {
        public var totalShards: Int
        public var shardIDs: ClosedRange<Int>
        public var gatewayURL: String
        public var maxConcurrency: Int
        public var sessionStartsRemaining: Int
    }

    public struct StartRefused: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Combines Discord's recommendation with the operator's choices.
    public static func plan(
        gatewayBot: GatewayBotInfo, shardCount: ShardCount, shardRange: ClosedRange<Int>?, gatewayURLOverride: String?
    ) throws(StartRefused) -> Plan {
        let total: Int =
            switch shardCount {
            case .automatic: max(1, gatewayBot.shards)
            case .fixed(let count): count
            }
        let range = shardRange ?? 0...(total - 1)
        guard range.lowerBound >= 0, range.upperBound < total else {
            throw StartRefused(description: "shard range \(range) does not fit \(total) shards")
        }
        return Plan(
            totalShards: total, shardIDs: range, gatewayURL: gatewayURLOverride ?? gatewayBot.url,
            maxConcurrency: max(1, gatewayBot.sessionStartLimit.maxConcurrency),
            sessionStartsRemaining: gatewayBot.sessionStartLimit.remaining)
    }

    public let plan: Plan
    public let shards: [Shard]
    private let sessionStore: any SessionStore
    private let logger: Logger

    /// Builds the shards, restoring saved sessions. Throws when too few identifies remain today for the
    /// shards that have no session to resume: better to stop loudly than to burn the budget (exhausting it
    /// makes Discord reset the token).
    public static func make(
        plan: Plan, configuration: GatewayConfiguration, sessionStore: any SessionStore,
        consumer: any GatewayEventConsumer, eventLoopGroup: any EventLoopGroup, logger: Logger,
        identifyWindow: Duration = .seconds(5)
    ) async throws -> ShardManager {
        var snapshots: [Int: GatewaySessionSnapshot] = [:]
        for shardID in plan.shardIDs {
            if let snapshot = try await sessionStore.load(shardID: shardID, shardCount: plan.totalShards) {
                snapshots[shardID] = snapshot
            }
        }
        let needIdentify = plan.shardIDs.count - snapshots.count
        guard plan.sessionStartsRemaining >= needIdentify else {
            throw StartRefused(
                description:
                    "only \(plan.sessionStartsRemaining) session starts remain today but \(needIdentify) shards must identify; refusing to start (exhausting the budget makes Discord reset the token)"
            )
        }
        let queue = IdentifyQueue(maxConcurrency: plan.maxConcurrency, window: identifyWindow)
        let shards = plan.shardIDs.map { shardID in
            Shard(
                identity: ShardIdentity(id: shardID, count: plan.totalShards), gatewayURL: plan.gatewayURL,
                configuration: configuration, identifyQueue: queue, sessionStore: sessionStore, consumer: consumer,
                eventLoop: eventLoopGroup.next(), logger: logger, restoring: snapshots[shardID])
        }
        return ShardManager(plan: plan, shards: shards, sessionStore: sessionStore, logger: logger)
    }

    private init(plan: Plan, shards: [Shard], sessionStore: any SessionStore, logger: Logger) {
        self.plan = plan
        self.shards = shards
        self.sessionStore = sessionStore
        self.logger = logger
    }

    public func start() {
        logger.info(
            "starting shards",
            metadata: [
                "shards": "\(plan.shardIDs.lowerBound)-\(plan.shardIDs.upperBound) of \(plan.totalShards)",
                "max_concurrency": "\(plan.maxConcurrency)",
            ])
        for shard in shards { shard.start() }
    }

    /// Closes every shard resumably and waits until their sessions are saved.
    public func shutdown() async {
        await withTaskGroup(of: Void.self) { group in
            for shard in shards {
                group.addTask { await shard.shutdown() }
            }
        }
    }

    public var statuses: [ShardStatus] { shards.map(\.status) }
}
