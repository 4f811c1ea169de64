import NIOCore
import NIOWebSocket

/// Reads WebSocket frames for one connection of a shard and hands whole messages to the `ShardRunner`,
/// on the same event loop. Answers pings and completes the close handshake.
final class ShardFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let runner: ShardRunner
    private let generation: Int
    private var fragments: [UInt8] = []
    private var fragmentsAreBinary = false
    private let maximumMessageSize: Int

    init(runner: ShardRunner, generation: Int, maximumMessageSize: Int) {
        self.runner = runner
        self.generation = generation
        self.maximumMessageSize = maximumMessageSize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            fragmentsAreBinary = frame.opcode == .binary
            if frame.fin {
                var data = frame.unmaskedData
                let bytes = data.readBytes(length: data.readableBytes) ?? []
                runner.received(bytes, binary: fragmentsAreBinary, generation: generation)
            } else {
                fragments.removeAll(keepingCapacity: true)
                append(frame)
            }
        case .continuation:
            append(frame)
            if frame.fin {
                let message = fragments
                fragments.removeAll(keepingCapacity: false)
                runner.received(message, binary: fragmentsAreBinary, generation: generation)
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self)
            runner.serverClosed(code: code, generation: generation)
            // Complete the handshake, then drop the connection.
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.writeInteger(code ?? 1000)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)))
                .whenComplete { _ in context.close(promise: nil) }
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        runner.transportFailed(reason: "\(error)", generation: generation)
        context.close(promise: nil)
    }

    private func append(_ frame: WebSocketFrame) {
        var data = frame.unmaskedData
        guard fragments.count + data.readableBytes <= maximumMessageSize else {
            fragments.removeAll()
            runner.transportFailed(
                reason: "fragmented message over \(maximumMessageSize) bytes", generation: generation)
            return
        }
        fragments.append(contentsOf: data.readBytes(length: data.readableBytes) ?? [])
    }
}
