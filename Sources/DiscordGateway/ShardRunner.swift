import AetheriaPorts
import DequeModule
import DiscordModels
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import ZlibStream

/// The imperative shell around `GatewaySessionMachine` for one shard: it owns the socket, the inflate
/// context, the timers and the send limiter, performs the machine's actions, and feeds it what happens.
/// Everything runs on the shard's event loop; the ingest path (frame → inflate → envelope → consumer) never
/// leaves it.
final class ShardRunner {
    let identity: ShardIdentity
    let eventLoop: any EventLoop
    private let configuration: GatewayConfiguration
    private let identifyQueue: IdentifyQueue
    private let sessionStore: any SessionStore
    private let consumer: any GatewayEventConsumer
    private var logger: Logger
    private let statusBox: ShardStatusBox
    private let metrics: ShardMetrics
    private var machine: GatewaySessionMachine

    private var channel: (any NIOCore.Channel)?
    private var generation = 0
    private var inflater: ZlibInflater?
    private var serverCloseCode: UInt16?
    private var heartbeatTimer: Scheduled<Void>?
    private var readyTimer: Scheduled<Void>?
    private var reconnectTimer: Scheduled<Void>?
    private var sendLimiter: SendLimiter
    private var deferredSends: Deque<(payload: [UInt8], isHeartbeat: Bool)> = []
    private var deferredFlush: Scheduled<Void>?
    private var pendingSave: Task<Void, Never>?
    private var shutdownPromise: EventLoopPromise<Void>?
    private var random = SystemRandomNumberGenerator()
    private var resumePosition: DurableResumePosition

    init(
        identity: ShardIdentity, gatewayURL: String, configuration: GatewayConfiguration, identifyQueue: IdentifyQueue,
        sessionStore: any SessionStore, consumer: any GatewayEventConsumer, eventLoop: any EventLoop, logger: Logger,
        restoring snapshot: GatewaySessionSnapshot?, statusBox: ShardStatusBox
    ) {
        self.identity = identity
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.identifyQueue = identifyQueue
        self.sessionStore = sessionStore
        self.consumer = consumer
        self.logger = logger
        self.logger[metadataKey: "shard"] = "\(identity)"
        self.statusBox = statusBox
        self.metrics = ShardMetrics(shard: identity)
        var machineConfiguration = GatewaySessionMachine.Configuration(shard: identity, gatewayURL: gatewayURL)
        machineConfiguration.readyTimeout = configuration.readyTimeout
        machineConfiguration.backoffBase = configuration.backoffBase
        machineConfiguration.backoffCap = configuration.backoffCap
        self.machine = GatewaySessionMachine(configuration: machineConfiguration, restoring: snapshot)
        self.resumePosition = DurableResumePosition(lag: configuration.resumePositionLag)
        self.sendLimiter = SendLimiter(
            limit: configuration.sendLimit, window: configuration.sendWindow,
            reservedForHeartbeats: configuration.sendsReservedForHeartbeats)
    }

    private var loopBound: NIOLoopBound<ShardRunner> { NIOLoopBound(self, eventLoop: eventLoop) }

    // MARK: - Entry points (event loop)

    func start() {
        perform(machine.start())
    }

    func shutdown(promise: EventLoopPromise<Void>) {
        shutdownPromise = promise
        let hadSocket = channel != nil
        perform(machine.shutdown())
        cancelTimers()
        reconnectTimer?.cancel()
        if !hadSocket { finishShutdown() }
    }

    func received(_ bytes: [UInt8], binary: Bool, generation: Int) {
        guard generation == self.generation else { return }
        let message: [UInt8]
        if binary, let inflater {
            do {
                guard let inflated = try inflater.append(bytes) else { return }
                message = inflated
            } catch {
                return transportFailed(reason: "\(error)", generation: generation)
            }
        } else {
            message = bytes
        }
        guard let envelope = GatewayEnvelope.scan(message) else {
            return transportFailed(reason: "undecodable gateway payload", generation: generation)
        }
        handle(envelope, message: message)
    }

    func serverClosed(code: UInt16?, generation: Int) {
        guard generation == self.generation, machine.phase != .disconnecting else { return }
        serverCloseCode = code
    }

    func transportFailed(reason: String, generation: Int) {
        guard generation == self.generation else { return }
        logger.warning("gateway connection failed; reconnecting", metadata: ["reason": "\(reason)"])
        perform(machine.receivedReconnect())
    }

    func identifyPermitGranted() {
        perform(machine.identifyPermitGranted())
    }

    // MARK: - Incoming payloads

    private func handle(_ envelope: GatewayEnvelope, message: [UInt8]) {
        switch envelope.opcode {
        case 0:
            var ready: (sessionID: String, resumeURL: String)?
            if envelope.event == .ready, let range = envelope.payloadRange {
                ready = Self.decodeReady(message[range])
                metrics.identifies.increment()
                statusBox.withLock {
                    $0.identifies += 1
                    $0.guildCount = Self.countUnavailableGuilds(message[range])
                }
            }
            if envelope.event == .resumed {
                metrics.resumes.increment()
                statusBox.withLock { $0.resumes += 1 }
            }
            metrics.countEvent(envelope.event ?? .other)
            var envelope = envelope
            // Between RESUME and RESUMED, Discord replays what the session missed.
            envelope.isReplayed = machine.phase == .resuming && envelope.event != .resumed
            if ready != nil { resumePosition.reset() }
            perform(
                machine.receivedDispatch(sequence: envelope.sequence, ready: ready, resumed: envelope.event == .resumed)
            )
            if let ready, machine.resumeURL == nil {
                logger.warning(
                    "READY named a resume_gateway_url outside the configured gateway's domain; resuming through the configured URL instead",
                    metadata: ["resume_url_host": "\(URLComponents(string: ready.resumeURL)?.host ?? "unparsable")"])
            }
            statusBox.withLock { status in
                status.dispatchCount += 1
                status.sequence = machine.sequence
                status.lastEventAt = .now
                status.eventCounts[Int((envelope.event ?? .other).rawValue)] += 1
            }
            consumer.shard(identity, dispatched: envelope, frame: message, on: eventLoop)
            advanceResumePosition(sequence: envelope.sequence)
        case 1:
            perform(machine.receivedHeartbeatRequest(now: .now))
        case 7:
            logger.info("gateway asked to reconnect (op 7)")
            perform(machine.receivedReconnect())
        case 9:
            let resumable = envelope.payloadRange.map { message[$0].elementsEqual("true".utf8) } ?? false
            logger.info("invalid session (op 9)", metadata: ["resumable": "\(resumable)"])
            perform(machine.receivedInvalidSession(resumable: resumable))
        case 10:
            let interval = envelope.payloadRange.flatMap { Self.decodeHeartbeatInterval(message[$0]) } ?? 41_250
            perform(
                machine.receivedHello(
                    interval: .milliseconds(interval), jitter: Double.random(in: 0..<1, using: &random)))
        case 11:
            perform(machine.receivedHeartbeatAck(now: .now))
            advanceResumePosition(sequence: nil)
            if let latency = machine.lastHeartbeatLatency {
                metrics.heartbeatLatency.recordNanoseconds(
                    Int64(latency.components.seconds) * 1_000_000_000 + latency.components.attoseconds / 1_000_000_000)
            }
            statusBox.withLock { $0.heartbeatLatency = machine.lastHeartbeatLatency }
        default:
            logger.debug("ignoring gateway opcode", metadata: ["op": "\(envelope.opcode)"])
        }
    }

    private struct ReadyFields: Decodable {
        var sessionId: String
        var resumeGatewayUrl: String
    }

    static func decodeReady(_ payload: ArraySlice<UInt8>) -> (sessionID: String, resumeURL: String)? {
        guard let fields = try? DiscordJSON.makeDecoder().decode(ReadyFields.self, from: Data(payload)) else {
            return nil
        }
        return (fields.sessionId, fields.resumeGatewayUrl)
    }

    static func countUnavailableGuilds(_ payload: ArraySlice<UInt8>) -> Int {
        struct Guilds: Decodable { var guilds: [Guild] }
        return (try? DiscordJSON.makeDecoder().decode(Guilds.self, from: Data(payload)))?.guilds.count ?? 0
    }

    static func decodeHeartbeatInterval(_ payload: ArraySlice<UInt8>) -> Int? {
        struct Hello: Decodable { var heartbeatInterval: Int }
        return (try? DiscordJSON.makeDecoder().decode(Hello.self, from: Data(payload)))?.heartbeatInterval
    }

    /// Stores the resume position that is `resumePositionLag` old, now and then (DurableResumePosition).
    private func advanceResumePosition(sequence: Int?) {
        // Runs for every dispatch: the session snapshot is only built when a position is due to be stored.
        guard machine.phase == .connected, let durable = resumePosition.observe(sequence: sequence, now: .now),
            let snapshot = machine.snapshot
        else { return }
        var settled = snapshot
        settled.sequence = min(durable, snapshot.sequence)
        let position = settled
        persist { store in try await store.save(position) }
    }

    // MARK: - Actions

    private func perform(_ actions: [GatewaySessionMachine.Action]) {
        for action in actions {
            perform(action)
        }
        statusBox.withLock { $0.state = Self.describe(machine.phase) }
        metrics.connected.record(machine.phase == .connected ? 1 : 0)
    }

    private func perform(_ action: GatewaySessionMachine.Action) {
        switch action {
        case .connect(let url):
            connect(to: url)
        case .requestIdentifyPermit:
            let queue = identifyQueue
            let shardID = identity.id
            let loopBound = self.loopBound
            let eventLoop = self.eventLoop
            Task {
                do {
                    try await queue.acquire(shardID: shardID)
                    eventLoop.execute { loopBound.value.identifyPermitGranted() }
                } catch {}
            }
        case .sendIdentify:
            send(identifyPayload(), isHeartbeat: false)
        case .sendResume(let sessionID, let sequence):
            send(resumePayload(sessionID: sessionID, sequence: sequence), isHeartbeat: false)
        case .sendHeartbeat(let sequence):
            send(Array(#"{"op":1,"d":\#(sequence.map(String.init) ?? "null")}"#.utf8), isHeartbeat: true)
        case .scheduleHeartbeat(let delay):
            heartbeatTimer?.cancel()
            let loopBound = self.loopBound
            heartbeatTimer = eventLoop.scheduleTask(in: .init(delay)) {
                loopBound.value.perform(loopBound.value.machine.heartbeatDue(now: .now))
            }
        case .scheduleReadyTimeout(let delay):
            readyTimer?.cancel()
            let loopBound = self.loopBound
            readyTimer = eventLoop.scheduleTask(in: .init(delay)) {
                loopBound.value.perform(loopBound.value.machine.readyTimeoutFired())
            }
        case .close(let code):
            closeSocket(code: code)
        case .scheduleReconnect(let delay):
            metrics.reconnects.increment()
            statusBox.withLock { $0.reconnects += 1 }
            reconnectTimer?.cancel()
            let loopBound = self.loopBound
            reconnectTimer = eventLoop.scheduleTask(in: .init(delay)) {
                loopBound.value.start()
            }
        case .saveSession(let snapshot):
            persist { store in try await store.save(snapshot) }
        case .discardSession:
            let identity = self.identity
            persist { store in try await store.remove(shardID: identity.id, shardCount: identity.count) }
        case .stop(let error):
            logger.critical("shard stopped: \(error)")
            statusBox.withLock { $0.fatalError = error }
            cancelTimers()
        }
    }

    /// Saves run one after another, so an older snapshot never overwrites a newer one.
    private func persist(_ operation: @escaping @Sendable (any SessionStore) async throws -> Void) {
        let previous = pendingSave
        let store = sessionStore
        let logger = self.logger
        pendingSave = Task {
            await previous?.value
            do {
                try await operation(store)
            } catch {
                logger.error("could not save the gateway session", metadata: ["error": "\(error)"])
            }
        }
    }

    private func identifyPayload() -> [UInt8] {
        let token = Self.jsonEscaped(configuration.token)
        return Array(
            #"{"op":2,"d":{"token":"\#(token)","intents":\#(configuration.intents.rawValue),"properties":{"os":"linux","browser":"aetheria","device":"aetheria"},"compress":false,"large_threshold":\#(configuration.largeThreshold),"shard":[\#(identity.id),\#(identity.count)]}}"#
                .utf8)
    }

    private func resumePayload(sessionID: String, sequence: Int) -> [UInt8] {
        Array(
            #"{"op":6,"d":{"token":"\#(Self.jsonEscaped(configuration.token))","session_id":"\#(Self.jsonEscaped(sessionID))","seq":\#(sequence)}}"#
                .utf8)
    }

    static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    // MARK: - Socket

    private func connect(to url: String) {
        generation += 1
        let generation = self.generation
        serverCloseCode = nil
        sendLimiter.reset()
        deferredSends.removeAll()
        inflater =
            configuration.compression ? try? ZlibInflater(maximumMessageSize: configuration.maximumMessageSize) : nil
        let separator = url.contains("?") ? "&" : (url.hasSuffix("/") ? "?" : "/?")
        let fullURL =
            url + separator + "v=10&encoding=json" + (configuration.compression ? "&compress=zlib-stream" : "")
        let loopBound = self.loopBound
        let maximumMessageSize = configuration.maximumMessageSize
        GatewayWebSocketConnector.connect(
            to: fullURL, maximumFrameSize: configuration.maximumFrameSize, connectTimeout: configuration.connectTimeout,
            eventLoop: eventLoop
        ) { channel in
            let runner = loopBound.value
            try channel.pipeline.syncOperations.addHandler(
                ShardFrameHandler(runner: runner, generation: generation, maximumMessageSize: maximumMessageSize))
            runner.socketOpened(channel, generation: generation)
        }.whenComplete { result in
            let runner = loopBound.value
            switch result {
            case .success(let channel):
                channel.closeFuture.whenComplete { _ in loopBound.value.socketClosed(generation: generation) }
            case .failure(let error):
                guard generation == runner.generation else { return }
                runner.logger.warning("could not connect to the gateway", metadata: ["error": "\(error)"])
                runner.socketClosed(generation: generation)
            }
        }
    }

    private func socketOpened(_ channel: any NIOCore.Channel, generation: Int) {
        guard generation == self.generation else {
            channel.close(promise: nil)
            return
        }
        self.channel = channel
        perform(machine.socketOpened())
    }

    private func socketClosed(generation: Int) {
        guard generation == self.generation else { return }
        self.generation += 1  // ignore anything still in flight from this connection
        channel = nil
        cancelTimers()
        if shutdownPromise != nil {
            finishShutdown()
            return
        }
        let code = serverCloseCode
        if let code {
            logger.info("gateway closed the connection", metadata: ["code": "\(code)"])
        }
        perform(machine.socketClosed(code: code, randomFraction: Double.random(in: 0...1, using: &random)))
    }

    private func closeSocket(code: UInt16) {
        guard let channel else { return }
        var data = channel.allocator.buffer(capacity: 2)
        data.writeInteger(code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        channel.writeAndFlush(frame, promise: nil)
        // A zombie server may never answer the close: drop TCP after a moment regardless.
        eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }

    private func send(_ payload: [UInt8], isHeartbeat: Bool) {
        guard payload.count <= configuration.maximumPayloadSize else {
            logger.error(
                "refusing to send a gateway payload over the size limit", metadata: ["bytes": "\(payload.count)"])
            return
        }
        guard deferredSends.isEmpty || isHeartbeat else {
            deferredSends.append((payload, isHeartbeat))
            return
        }
        if let wait = sendLimiter.admit(isHeartbeat: isHeartbeat, now: .now) {
            deferredSends.append((payload, isHeartbeat))
            scheduleDeferredFlush(after: wait)
            return
        }
        write(payload)
    }

    private func write(_ payload: [UInt8]) {
        guard let channel else { return }
        let frame = WebSocketFrame(fin: true, opcode: .text, data: channel.allocator.buffer(bytes: payload))
        channel.writeAndFlush(frame, promise: nil)
    }

    private func scheduleDeferredFlush(after wait: Duration) {
        guard deferredFlush == nil else { return }
        let loopBound = self.loopBound
        deferredFlush = eventLoop.scheduleTask(in: .init(wait)) {
            let runner = loopBound.value
            runner.deferredFlush = nil
            while let next = runner.deferredSends.first {
                if let wait = runner.sendLimiter.admit(isHeartbeat: next.isHeartbeat, now: .now) {
                    runner.scheduleDeferredFlush(after: wait)
                    return
                }
                runner.deferredSends.removeFirst()
                runner.write(next.payload)
            }
        }
    }

    private func cancelTimers() {
        heartbeatTimer?.cancel()
        readyTimer?.cancel()
        deferredFlush?.cancel()
        deferredFlush = nil
        heartbeatTimer = nil
        readyTimer = nil
    }

    private func finishShutdown() {
        guard let promise = shutdownPromise else { return }
        shutdownPromise = nil
        let save = pendingSave
        let eventLoop = self.eventLoop
        Task {
            await save?.value
            eventLoop.execute { promise.succeed() }
        }
    }

    static func describe(_ phase: GatewaySessionMachine.Phase) -> String {
        switch phase {
        case .idle: "idle"
        case .connecting: "connecting"
        case .awaitingHello: "awaiting hello"
        case .waitingForIdentifyPermit: "waiting to identify"
        case .identifying: "identifying"
        case .resuming: "resuming"
        case .connected: "connected"
        case .disconnecting: "disconnecting"
        case .waitingToReconnect: "waiting to reconnect"
        case .stopped(let error): error == .shutdown ? "stopped" : "stopped: \(error)"
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
