import DiscordModels
import Foundation
import NIOCore
import NIOWebSocket
import ZlibStream

/// One client's gateway connection: HELLO, heartbeats, the opcode rules and close codes of
/// discord-protocol.md §1–§2, and transport compression. Runs on the connection's event loop.
final class GatewayConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// What the client asked for in the connection URL.
    struct ConnectionOptions: Sendable {
        var compressed: Bool
        var viaResumeURL: Bool
        /// A close code to send right after HELLO because the URL itself is unacceptable (bad `v`/`encoding`).
        var rejection: GatewayCloseCode?
    }

    private let core: EmulatorCore
    private let options: ConnectionOptions
    private var connection: GatewayConnection?
    private var deflater: ZlibDeflater?
    private var context: ChannelHandlerContext?
    private var fragments: [UInt8] = []
    private var isFragmentBinary = false
    private var identified = false
    private var lastHeartbeat = NIODeadline.now()
    private var heartbeatCheck: Scheduled<Void>?
    private var recentSends: [NIODeadline] = []
    private var closed = false

    init(core: EmulatorCore, options: ConnectionOptions) {
        self.core = core
        self.options = options
        core.liveGatewayHandlers.add(1, ordering: .relaxed)
    }

    deinit {
        core.liveGatewayHandlers.subtract(1, ordering: .relaxed)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let connection = GatewayConnection(
            channel: context.channel, handler: NIOLoopBound(self, eventLoop: context.eventLoop))
        self.connection = connection
        if options.compressed {
            deflater = try? ZlibDeflater()
        }
        core.withState { $0.gateway.connections[ObjectIdentifier(connection)] = connection }
        let interval = core.configuration.heartbeatInterval
        let milliseconds = Int(interval.seconds * 1000)
        connection.send(
            GatewayDispatch.controlFrame(opcode: .hello, payload: #"{"heartbeat_interval":\#(milliseconds)}"#))
        if let rejection = options.rejection {
            connection.close(code: rejection)
            return
        }
        lastHeartbeat = .now()
        scheduleHeartbeatCheck(context: context)
    }

    /// The pipeline is done with this handler: let go of everything that points back at it. The handler kept its
    /// context (which holds the handler) and its connection (which held the handler until detached, and holds
    /// the channel): without this, every closed connection stayed in memory with its zlib context, about
    /// 105 KB each, for good.
    func handlerRemoved(context: ChannelHandlerContext) {
        finish(invalidateSession: false)
        heartbeatCheck?.cancel()
        heartbeatCheck = nil
        self.context = nil
        connection = nil
        deflater = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(invalidateSession: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Protocol errors from the WebSocket decoder (for example an oversized frame) end the connection.
        closeConnection(code: .decodeError)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            fragments.removeAll(keepingCapacity: true)
            isFragmentBinary = frame.opcode == .binary
            appendFragment(frame)
        case .continuation:
            appendFragment(frame)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose where closed:
            // The client's answer to our close frame: the handshake is complete.
            context.close(promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self) ?? 1005
            core.withState {
                $0.records.append(["by": "client", "code": String(code)], to: \.gatewayCloses)
            }
            finish(invalidateSession: GatewayCloseCode.invalidatesSession(code))
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.writeInteger(code == 1005 ? UInt16(1000) : code)
            let closeFrame = WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)
            context.writeAndFlush(wrapOutboundOut(closeFrame)).whenComplete { _ in
                context.close(promise: nil)
            }
        default:
            break
        }
    }

    private func appendFragment(_ frame: WebSocketFrame) {
        var data = frame.unmaskedData
        if fragments.count + data.readableBytes > 64 * 1024 {
            // Far beyond the 4096-byte payload limit: refuse without buffering more.
            closeConnection(code: .decodeError)
            return
        }
        fragments.append(contentsOf: data.readBytes(length: data.readableBytes) ?? [])
        if frame.fin {
            let payload = fragments
            fragments.removeAll(keepingCapacity: true)
            handlePayload(payload)
        }
    }

    // MARK: - Client payloads

    private struct ClientEnvelope: Decodable {
        var op: Int
        var d: JSONValue?
    }

    private func handlePayload(_ bytes: [UInt8]) {
        guard !closed, let connection else { return }
        guard admitSend() else {
            closeConnection(code: .rateLimited)
            return
        }
        guard bytes.count <= 4096 else {
            closeConnection(code: .decodeError)
            return
        }
        guard let envelope = try? JSONDecoder().decode(ClientEnvelope.self, from: Data(bytes)) else {
            closeConnection(code: .decodeError)
            return
        }
        let opcode = GatewayOpcode(rawValue: envelope.op)
        switch opcode {
        case .heartbeat:
            lastHeartbeat = .now()
            let acknowledges = core.withState { !$0.faults.heartbeatAcksSuspended(connection: connection) }
            if acknowledges {
                connection.send(GatewayDispatch.controlFrame(opcode: .heartbeatAck))
            }
        case .identify:
            guard !identified else { return closeConnection(code: .alreadyAuthenticated) }
            guard let identify = decode(GatewayIdentify.self, from: bytes) else {
                return closeConnection(code: .decodeError)
            }
            let resumeURL = core.gatewayResumeURL
            let outcome = core.withState {
                $0.identify(identify, connection: connection, resumeURL: resumeURL, now: Date().timeIntervalSince1970)
            }
            apply(outcome)
        case .resume:
            guard !identified else { return closeConnection(code: .alreadyAuthenticated) }
            guard let resume = decode(GatewayResume.self, from: bytes) else {
                return closeConnection(code: .decodeError)
            }
            let viaResumeURL = options.viaResumeURL
            let outcome = core.withState {
                $0.resume(resume, connection: connection, viaResumeURL: viaResumeURL, now: Date().timeIntervalSince1970)
            }
            apply(outcome)
        case .requestGuildMembers:
            guard identified else { return closeConnection(code: .notAuthenticated) }
            guard let request = envelope.d?.objectValue, let guildID = request["guild_id"]?.snowflakeValue else {
                return closeConnection(code: .decodeError)
            }
            let nonce = request["nonce"]?.stringValue
            core.withState {
                $0.answerGuildMembersRequest(
                    guildID: GuildID(guildID), nonce: nonce, userIDs: request["user_ids"]?.arrayValue,
                    connection: connection)
            }
        case .presenceUpdate, .voiceStateUpdate, .requestSoundboardSounds, .requestChannelInfo:
            guard identified else { return closeConnection(code: .notAuthenticated) }
        default:
            closeConnection(code: identified ? .unknownOpcode : .notAuthenticated)
        }
    }

    private func decode<Payload: Decodable>(_ type: Payload.Type, from bytes: [UInt8]) -> Payload? {
        try? DiscordJSON.makeDecoder().decode(PayloadEnvelope<Payload>.self, from: Data(bytes)).d
    }

    private func apply(_ outcome: SessionOutcome) {
        switch outcome {
        case .accepted:
            identified = true
        case .invalidSession(let resumable):
            connection?.send(
                GatewayDispatch.controlFrame(opcode: .invalidSession, payload: resumable ? "true" : "false"))
        case .close(let code):
            closeConnection(code: code)
        }
    }

    /// The send limit: `gatewaySendLimit` payloads per `gatewaySendWindow` per connection.
    private func admitSend() -> Bool {
        let now = NIODeadline.now()
        let window = TimeAmount(core.configuration.gatewaySendWindow)
        recentSends.removeAll { $0 < now - window }
        recentSends.append(now)
        return recentSends.count <= core.configuration.gatewaySendLimit
    }

    // MARK: - Heartbeat timeout

    private func scheduleHeartbeatCheck(context: ChannelHandlerContext) {
        let configuration = core.configuration
        let allowance = TimeAmount(configuration.heartbeatInterval * configuration.heartbeatTimeoutFactor)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        heartbeatCheck = context.eventLoop.scheduleTask(deadline: lastHeartbeat + allowance) {
            let handler = loopBound.value
            guard !handler.closed, let context = handler.context else { return }
            if NIODeadline.now() >= handler.lastHeartbeat + allowance {
                // The client went silent: close, keeping the session resumable.
                handler.closeConnection(code: .unknownError)
            } else {
                handler.scheduleHeartbeatCheck(context: context)
            }
        }
    }

    // MARK: - Output

    /// Writes queued payloads (compressed into binary frames when asked) while the socket takes them, then a
    /// pending close. A client that reads slowly keeps the rest queued until it catches up.
    func drainOutbox() {
        guard let context, let connection else { return }
        let (frames, close) = connection.takeOutbox()
        var written = 0
        for frame in frames {
            if !context.channel.isWritable {
                // Resumed by channelWritabilityChanged once the client has read what is in flight.
                connection.requeueFront(frames[written...])
                if let close { connection.requeueClose(close) }
                if written > 0 { context.flush() }
                return
            }
            write(frame, context: context)
            written += 1
        }
        if written > 0 { context.flush() }
        if let close {
            sendCloseFrame(close, context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            connection?.requestDrain()
        }
        context.fireChannelWritabilityChanged()
    }

    /// Writes one frame untouched (no compression): fault injection only.
    func writeRaw(_ bytes: [UInt8], binary: Bool) {
        guard let context, !closed else { return }
        let frame = WebSocketFrame(
            fin: true, opcode: binary ? .binary : .text, data: context.channel.allocator.buffer(bytes: bytes))
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    private func write(_ frame: [UInt8], context: ChannelHandlerContext) {
        let out: WebSocketFrame
        if let deflater {
            var compressed: [UInt8] = []
            compressed.reserveCapacity(frame.count / 3 + 32)
            do {
                try deflater.compress(frame, into: &compressed)
            } catch {
                return
            }
            out = WebSocketFrame(fin: true, opcode: .binary, data: context.channel.allocator.buffer(bytes: compressed))
        } else {
            out = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(bytes: frame))
        }
        context.write(wrapOutboundOut(out), promise: nil)
    }

    /// Queues a close behind anything already queued.
    private func closeConnection(code: GatewayCloseCode) {
        guard !closed else { return }
        connection?.close(code: code)
    }

    private func sendCloseFrame(_ code: GatewayCloseCode, context: ChannelHandlerContext) {
        guard !closed else { return }
        core.withState {
            $0.records.append(["by": "server", "code": String(code.rawValue)], to: \.gatewayCloses)
        }
        finish(invalidateSession: code.requiresNewSession)
        var data = context.channel.allocator.buffer(capacity: 2 + code.reason.utf8.count)
        data.writeInteger(code.rawValue)
        data.writeString(code.reason)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        // RFC 6455: wait for the client's close frame before dropping TCP, but not forever.
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .seconds(2)) {
            channel.close(promise: nil)
        }
    }

    /// Ends this connection's part in its session exactly once.
    private func finish(invalidateSession: Bool) {
        guard !closed else { return }
        closed = true
        heartbeatCheck?.cancel()
        guard let connection else { return }
        core.withState {
            $0.connectionClosed(connection, invalidateSession: invalidateSession, now: Date().timeIntervalSince1970)
        }
        connection.detachHandler()
    }
}

/// `{"op": …, "d": Payload}` as a client sends it.
private struct PayloadEnvelope<Payload: Decodable>: Decodable {
    var d: Payload
}
