import DiscordModels
import Foundation
import Synchronization

/// Streams realistic guild traffic to every connected shard at a given rate, across all guilds.
/// Firehose messages are dispatched but not stored, so a long run does not grow the emulator's memory.
final class Firehose: Sendable {
    struct Status: Sendable, Encodable {
        var running: Bool
        var ratePerSecond: Int
        var generated: Int
    }

    private struct Run {
        var task: Task<Void, Never>?
        var rate = 0
        var generated = 0
    }

    private let core: EmulatorCore
    private let run = Mutex(Run())

    init(core: EmulatorCore) {
        self.core = core
    }

    var status: Status {
        run.withLock { Status(running: $0.task != nil, ratePerSecond: $0.rate, generated: $0.generated) }
    }

    /// Starts (or restarts) the stream over `places`: `rate` events per second for `duration` (forever when
    /// `nil`), stopping early after `limit` events when given. Does not take the state lock, so the control
    /// API can call it from a handler.
    func start(rate: Int, duration: Duration?, limit: Int?, places: [FirehoseEventFactory.Place]) {
        stop()
        let core = self.core
        let task = Task { [weak self] in
            var factory = FirehoseEventFactory(places: places, seed: core.configuration.seed)
            let clock = ContinuousClock()
            let start = clock.now
            var produced = 0
            while !Task.isCancelled {
                let elapsed = clock.now - start
                if let duration, elapsed >= duration { break }
                if let limit, produced >= limit { break }
                var due = Int(elapsed.seconds * Double(rate)) - produced
                if let limit { due = min(due, limit - produced) }
                if due > 0 {
                    // Small batches: the state lock is shared with REST and the control API, which must not wait long.
                    let batch = min(due, 200)
                    let now = Date()
                    let events = (0..<batch).compactMap { _ in factory.next(now: now) }
                    core.withState { state in
                        for event in events {
                            state.dispatch(
                                GatewayDispatch(
                                    event: event.name, payload: event.payload,
                                    intent: FirehoseEventFactory.intent(for: event.name)),
                                guildID: event.guildID)
                        }
                    }
                    produced += batch
                    self?.run.withLock { $0.generated = produced }
                } else {
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            self?.run.withLock { $0.task = nil }
        }
        run.withLock {
            $0.task = task
            $0.rate = rate
            $0.generated = 0
        }
    }

    func stop() {
        let task = run.withLock { run -> Task<Void, Never>? in
            defer { run.task = nil }
            return run.task
        }
        task?.cancel()
    }
}
