public import AetheriaPorts
public import DiscordModels
public import Logging
public import NIOCore
import Synchronization

/// One gateway shard: connects, keeps its session alive through every failure Discord documents, and hands
/// each dispatch to the consumer on its event loop. Thread-safe facade over a `ShardRunner`.
public final class Shard: Sendable {
    public let identity: ShardIdentity
    public let eventLoop: any EventLoop
    private let runner: NIOLoopBoundBox<ShardRunner>
    private let statusBox: ShardStatusBox

    public init(
        identity: ShardIdentity, gatewayURL: String, configuration: GatewayConfiguration, identifyQueue: IdentifyQueue,
        sessionStore: any SessionStore, consumer: any GatewayEventConsumer, eventLoop: any EventLoop,
        logger: Logger, restoring snapshot: GatewaySessionSnapshot? = nil
    ) {
        self.identity = identity
        self.eventLoop = eventLoop
        let statusBox = ShardStatusBox(ShardStatus(shard: identity))
        self.statusBox = statusBox
        // Only ever touched on `eventLoop`; handed over to it at creation.
        let runner = ShardRunner(
            identity: identity, gatewayURL: gatewayURL, configuration: configuration, identifyQueue: identifyQueue,
            sessionStore: sessionStore, consumer: consumer, eventLoop: eventLoop, logger: logger,
            restoring: snapshot, statusBox: statusBox)
        self.runner = NIOLoopBoundBox.makeBoxSendingValue(runner, eventLoop: eventLoop)
    }

    public var status: ShardStatus { statusBox.withLock { $0 } }

    public func start() {
        let runner = self.runner
        eventLoop.execute { runner.value.start() }
    }

    /// Closes with a resumable code and waits until the session is saved, so the next process resumes.
    public func shutdown() async {
        let runner = self.runner
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { runner.value.shutdown(promise: promise) }
        try? await promise.futureResult.get()
    }
}
