public import AetheriaPorts
public import DiscordModels

/// One shard's gateway session as a pure state machine (discord-protocol.md §1): it takes what happened
/// (socket opened, payload received, timer fired, socket closed) and returns what to do. It owns no socket
/// and reads no clock; times come in as arguments, so every rule is testable without sleeping.
public struct GatewaySessionMachine: Sendable {
    public struct Configuration: Sendable {
        public var shard: ShardIdentity
        /// The gateway URL from `/gateway/bot` (or configuration), without query.
        public var gatewayURL: String
        /// How long to wait for READY or RESUMED after IDENTIFY or RESUME before giving up on the connection.
        public var readyTimeout: Duration = .seconds(30)
        /// Reconnect backoff: `base × 2^failures`, capped, with jitter.
        public var backoffBase: Duration = .seconds(1)
        public var backoffCap: Duration = .seconds(60)

        public init(shard: ShardIdentity, gatewayURL: String) {
            self.shard = shard
            self.gatewayURL = gatewayURL
        }
    }

    /// Where the session stands.
    public enum Phase: Sendable, Equatable {
        case idle
        case connecting
        case awaitingHello
        case waitingForIdentifyPermit
        case identifying
        case resuming
        case connected
        case disconnecting
        case waitingToReconnect
        case stopped(GatewayFatalError)
    }

    /// What the owner of the socket must do.
    public enum Action: Sendable, Equatable {
        /// Open a WebSocket to `url` (the owner adds `?v=10&encoding=json&compress=zlib-stream`).
        case connect(url: String)
        /// Ask the identify queue for a slot; answer with `identifyPermitGranted`.
        case requestIdentifyPermit
        case sendIdentify
        case sendResume(sessionID: String, sequence: Int)
        case sendHeartbeat(sequence: Int?)
        case scheduleHeartbeat(after: Duration)
        case scheduleReadyTimeout(after: Duration)
        /// Close the socket with this code; a code other than 1000/1001 keeps the session resumable.
        case close(code: UInt16)
        case scheduleReconnect(after: Duration)
        /// A new or resumed session: persist it.
        case saveSession(GatewaySessionSnapshot)
        /// The session is gone (new identify needed): forget the stored one.
        case discardSession
        /// A fatal close code: stop this shard and tell the operator.
        case stop(GatewayFatalError)
    }

    /// The close code Aetheria uses when it closes to reconnect: not 1000/1001, so the session survives.
    public static let resumableCloseCode: UInt16 = 4900

    public let configuration: Configuration
    public private(set) var phase: Phase = .idle
    public private(set) var sessionID: String?
    public private(set) var resumeURL: String?
    /// The last sequence number seen; goes into heartbeats and RESUME.
    public private(set) var sequence: Int?
    public private(set) var heartbeatInterval: Duration?
    public private(set) var lastHeartbeatSentAt: ContinuousClock.Instant?
    public private(set) var lastHeartbeatLatency: Duration?
    private var awaitingHeartbeatAck = false
    private var consecutiveFailures = 0
    /// Reconnects we chose (op 7, op 9, zombie) since a connection last proved healthy. The first is immediate,
    /// as Discord asks; a server that keeps asking gets the backoff, so no input can make the shard spin.
    private var purposefulReconnectStreak = 0
    /// When the first heartbeat of the current connection went out: a connection that has been acknowledged
    /// for `healthyConnectionTime` since then ends the streak above.
    private var firstHeartbeatAt: ContinuousClock.Instant?
    /// How long a connection must keep answering heartbeats to count as healthy.
    public static let healthyConnectionTime: Duration = .seconds(30)
    /// HELLO's `heartbeat_interval` is believed inside these bounds (Discord sends 41,250 ms): zero would make
    /// the shard heartbeat in a loop, and near `Int.max` the timer's arithmetic would trap. The floor is low
    /// because a client that heartbeats slower than asked is disconnected (tests run the emulator at 200 ms);
    /// the send limiter still caps what the shard sends.
    public static let heartbeatIntervalBounds: ClosedRange<Duration> = .milliseconds(100)...(.seconds(600))
    /// Whether the current connection was opened to resume (to `resume_gateway_url`).
    private var connectedForResume = false
    private var receivedHelloOnThisConnection = false

    public init(configuration: Configuration, restoring snapshot: GatewaySessionSnapshot? = nil) {
        self.configuration = configuration
        if let snapshot, snapshot.sequence >= 0 {
            sessionID = snapshot.sessionID
            sequence = snapshot.sequence
            // The stored session comes from the store: whoever can write it must not choose where the token goes.
            resumeURL = GatewayResumeURL.accepted(snapshot.resumeURL, configuredGateway: configuration.gatewayURL)
        }
    }

    public var snapshot: GatewaySessionSnapshot? {
        guard let sessionID, let sequence else { return nil }
        // Without an accepted resume URL the session still resumes, through the main gateway URL.
        return GatewaySessionSnapshot(
            shardID: configuration.shard.id, shardCount: configuration.shard.count, sessionID: sessionID,
            sequence: sequence, resumeURL: resumeURL ?? configuration.gatewayURL)
    }

    public var canResume: Bool { sessionID != nil && sequence != nil }

    // MARK: - Lifecycle

    /// Starts (or restarts after a wait) by connecting: to the resume URL when a session can be resumed.
    public mutating func start() -> [Action] {
        if case .stopped = phase { return [] }
        phase = .connecting
        connectedForResume = canResume && resumeURL != nil
        receivedHelloOnThisConnection = false
        return [.connect(url: connectedForResume ? (resumeURL ?? configuration.gatewayURL) : configuration.gatewayURL)]
    }

    public mutating func socketOpened() -> [Action] {
        guard phase == .connecting else { return [] }
        phase = .awaitingHello
        return []
    }

    /// HELLO: resume if we can, else queue for an identify slot; start heartbeating after `interval × jitter`.
    public mutating func receivedHello(interval: Duration, jitter: Double) -> [Action] {
        guard phase == .awaitingHello else { return [] }
        receivedHelloOnThisConnection = true
        let bounds = Self.heartbeatIntervalBounds
        let interval = min(max(interval, bounds.lowerBound), bounds.upperBound)
        heartbeatInterval = interval
        firstHeartbeatAt = nil
        awaitingHeartbeatAck = false
        var actions: [Action] = [.scheduleHeartbeat(after: interval * min(max(jitter, 0), 1))]
        if let sessionID, let sequence {
            phase = .resuming
            actions += [
                .sendResume(sessionID: sessionID, sequence: sequence),
                .scheduleReadyTimeout(after: configuration.readyTimeout),
            ]
        } else {
            phase = .waitingForIdentifyPermit
            actions.append(.requestIdentifyPermit)
        }
        return actions
    }

    public mutating func identifyPermitGranted() -> [Action] {
        guard phase == .waitingForIdentifyPermit else { return [] }
        phase = .identifying
        return [.sendIdentify, .scheduleReadyTimeout(after: configuration.readyTimeout)]
    }

    /// Every dispatch: remember its sequence; READY and RESUMED establish the session.
    public mutating func receivedDispatch(
        sequence newSequence: Int?, ready: (sessionID: String, resumeURL: String)?, resumed: Bool
    )
        -> [Action]
    {
        if let newSequence, newSequence >= 0 { sequence = max(sequence ?? 0, newSequence) }
        if let ready {
            sessionID = ready.sessionID
            resumeURL = GatewayResumeURL.accepted(ready.resumeURL, configuredGateway: configuration.gatewayURL)
            phase = .connected
            consecutiveFailures = 0
            return snapshot.map { [.saveSession($0)] } ?? []
        }
        if resumed {
            // Not saved here: the replayed events before RESUMED may not be stored yet. The shard stores the
            // position once it is old enough (DurableResumePosition).
            phase = .connected
            consecutiveFailures = 0
            return []
        }
        return []
    }

    // MARK: - Heartbeats

    /// The heartbeat timer fired. No ACK since the last one means a zombie connection: close and resume.
    public mutating func heartbeatDue(now: ContinuousClock.Instant) -> [Action] {
        guard let interval = heartbeatInterval, isOnLiveSocket else { return [] }
        if awaitingHeartbeatAck {
            return closeToReconnect()
        }
        awaitingHeartbeatAck = true
        lastHeartbeatSentAt = now
        if firstHeartbeatAt == nil { firstHeartbeatAt = now }
        return [.sendHeartbeat(sequence: sequence), .scheduleHeartbeat(after: interval)]
    }

    public mutating func receivedHeartbeatAck(now: ContinuousClock.Instant) -> [Action] {
        awaitingHeartbeatAck = false
        if let sent = lastHeartbeatSentAt { lastHeartbeatLatency = now - sent }
        if let first = firstHeartbeatAt, now - first >= Self.healthyConnectionTime { purposefulReconnectStreak = 0 }
        return []
    }

    /// The server asked for a heartbeat (op 1): send one at once, outside the schedule.
    public mutating func receivedHeartbeatRequest(now: ContinuousClock.Instant) -> [Action] {
        guard isOnLiveSocket else { return [] }
        lastHeartbeatSentAt = now
        awaitingHeartbeatAck = true
        return [.sendHeartbeat(sequence: sequence)]
    }

    // MARK: - Server requests

    /// op 7: reconnect and resume.
    public mutating func receivedReconnect() -> [Action] {
        guard isOnLiveSocket else { return [] }
        return closeToReconnect()
    }

    /// op 9: resume when `d` is true; otherwise forget the session and identify afresh.
    public mutating func receivedInvalidSession(resumable: Bool) -> [Action] {
        guard isOnLiveSocket else { return [] }
        var actions: [Action] = []
        if !resumable || !canResume {
            actions += forgetSession()
        }
        return actions + closeToReconnect()
    }

    /// READY or RESUMED did not arrive in time.
    public mutating func readyTimeoutFired() -> [Action] {
        guard phase == .identifying || phase == .resuming else { return [] }
        return closeToReconnect()
    }

    // MARK: - Disconnection

    /// The socket closed (with the server's close code, if any) or could not be opened. Decides, per the close
    /// code rules, between stopping, a new session and a resume, and when to reconnect.
    public mutating func socketClosed(code: UInt16?, randomFraction: Double) -> [Action] {
        if case .stopped = phase { return [] }
        var actions: [Action] = []
        if let code, let fatal = GatewayFatalError(closeCode: code) {
            phase = .stopped(fatal)
            return [.stop(fatal)]
        }
        if let code, GatewayCloseCode(rawValue: code).requiresNewSession {
            actions += forgetSession()
        }
        if connectedForResume && !receivedHelloOnThisConnection {
            // The resume URL did not even answer: drop it and fall back to the main URL (and IDENTIFY).
            resumeURL = nil
            actions += forgetSession()
        }
        let delay: Duration
        if phase == .disconnecting {
            // We closed on purpose (op 7, zombie, op 9): come back at once, unless that keeps happening.
            purposefulReconnectStreak += 1
            delay =
                purposefulReconnectStreak <= 1
                ? .zero : backoff(failures: purposefulReconnectStreak - 1, randomFraction: randomFraction)
        } else {
            consecutiveFailures += 1
            delay = backoff(failures: consecutiveFailures, randomFraction: randomFraction)
        }
        phase = .waitingToReconnect
        awaitingHeartbeatAck = false
        return actions + [.scheduleReconnect(after: delay)]
    }

    /// Graceful shutdown: close with a resumable code and keep the session for the next process.
    public mutating func shutdown() -> [Action] {
        var actions: [Action] = snapshot.map { [.saveSession($0)] } ?? []
        if isOnLiveSocket || phase == .connecting {
            actions.append(.close(code: Self.resumableCloseCode))
        }
        phase = .stopped(.shutdown)
        return actions
    }

    // MARK: - Helpers

    private var isOnLiveSocket: Bool {
        switch phase {
        case .awaitingHello, .waitingForIdentifyPermit, .identifying, .resuming, .connected: true
        default: false
        }
    }

    private mutating func closeToReconnect() -> [Action] {
        phase = .disconnecting
        return [.close(code: Self.resumableCloseCode)]
    }

    private mutating func forgetSession() -> [Action] {
        guard sessionID != nil || sequence != nil else { return [] }
        sessionID = nil
        sequence = nil
        return [.discardSession]
    }

    /// `base × 2^(failures-1)`, capped, scaled by a jitter factor in [0.5, 1.0].
    private func backoff(failures: Int, randomFraction: Double) -> Duration {
        let exponent = min(failures - 1, 16)
        let raw = configuration.backoffBase * Double(1 << max(0, exponent))
        let capped = min(raw, configuration.backoffCap)
        return capped * (0.5 + 0.5 * min(max(randomFraction, 0), 1))
    }
}

/// Which shard a session is: `[id, count]`.
public struct ShardIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var id: Int
    public var count: Int

    public init(id: Int, count: Int) {
        self.id = id
        self.count = count
    }

    public var description: String { "[\(id), \(count)]" }
}

/// Why a shard stopped for good: an operator must act (fix the token, the shard layout or the intents).
public enum GatewayFatalError: Error, Sendable, Equatable, CustomStringConvertible {
    case authenticationFailed
    case invalidShard
    case shardingRequired
    case invalidAPIVersion
    case invalidIntents
    case disallowedIntents
    case shutdown

    init?(closeCode: UInt16) {
        switch closeCode {
        case 4004: self = .authenticationFailed
        case 4010: self = .invalidShard
        case 4011: self = .shardingRequired
        case 4012: self = .invalidAPIVersion
        case 4013: self = .invalidIntents
        case 4014: self = .disallowedIntents
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .authenticationFailed: "Discord refused the bot token (4004): check DISCORD_TOKEN; it may have been reset."
        case .invalidShard: "Discord refused the shard (4010): check shards.count and shards.range."
        case .shardingRequired: "Discord requires more shards (4011): raise shards.count or use \"auto\"."
        case .invalidAPIVersion: "Discord refused the gateway API version (4012)."
        case .invalidIntents: "Discord refused the intents bitmask (4013)."
        case .disallowedIntents:
            "Discord refused privileged intents (4014): enable MESSAGE_CONTENT (and any other privileged intent) for the application in the developer portal."
        case .shutdown: "The shard was shut down."
        }
    }
}
