import DiscordModels
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The gateway's WebSocket listener on its own port (Discord serves the gateway from its own host too).
/// Accepts `?v=10&encoding=json[&compress=zlib-stream]` on any path; `/resume…` paths mark resumes that
/// used `resume_gateway_url`.
struct GatewayServer: Sendable {
    /// Large enough for any client payload Discord accepts (4096 bytes) with room for fragmentation; bigger
    /// frames close the connection with 4002.
    static let maximumClientFrameSize = 1 << 16

    let core: EmulatorCore
    let logger: Logger

    func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> any NIOCore.Channel {
        let core = self.core
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: Self.maximumClientFrameSize,
            shouldUpgrade: { channel, head in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, head in
                let options = Self.connectionOptions(uri: head.uri)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        GatewayConnectionHandler(core: core, options: options))
                }
            })
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let refusal = PlainHTTPRefusal()
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(refusal, promise: nil)
                            }
                        ))
                    try channel.pipeline.syncOperations.addHandler(refusal)
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    /// Reads `v`, `encoding` and `compress` from the connection URL.
    static func connectionOptions(uri: String) -> GatewayConnectionHandler.ConnectionOptions {
        let components = URLComponents(string: uri)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        var rejection: GatewayCloseCode?
        if let version = query["v"], !["9", "10"].contains(version) {
            rejection = .invalidAPIVersion
        } else if let encoding = query["encoding"], encoding != "json" {
            // The emulator speaks JSON only (no ETF).
            rejection = .decodeError
        } else if let compress = query["compress"], compress != "zlib-stream" {
            rejection = .decodeError
        }
        return .init(
            compressed: query["compress"] == "zlib-stream",
            viaResumeURL: (components?.path ?? "").hasPrefix("/resume"), rejection: rejection)
    }
}

/// Answers plain HTTP requests to the gateway port (no WebSocket upgrade) with 400, as Discord's does.
private final class PlainHTTPRefusal: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let body = "WebSocket upgrade required.\n"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
