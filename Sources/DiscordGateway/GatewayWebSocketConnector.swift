import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Opens a WebSocket to the gateway on a given event loop: TCP (+ TLS for `wss://`), the HTTP upgrade, then
/// the caller's frame handler. Bytes that arrive in the same packet as the 101 (Discord's HELLO often does)
/// are forwarded to the WebSocket decoder, not dropped.
enum GatewayWebSocketConnector {
    struct InvalidURL: Error, CustomStringConvertible {
        var url: String
        var description: String { "not a ws:// or wss:// URL: \(url)" }
    }

    private static let tlsContext: NIOSSLContext? = try? NIOSSLContext(configuration: .makeClientConfiguration())

    /// Connects and upgrades. `installHandler` runs on `eventLoop` once the upgrade succeeded.
    static func connect(
        to urlString: String, maximumFrameSize: Int, connectTimeout: Duration, eventLoop: any EventLoop,
        installHandler: @escaping @Sendable (any Channel) throws -> Void
    ) -> EventLoopFuture<any Channel> {
        guard let url = URLComponents(string: urlString), let host = url.host, let scheme = url.scheme,
            scheme == "ws" || scheme == "wss"
        else {
            return eventLoop.makeFailedFuture(InvalidURL(url: urlString))
        }
        let secure = scheme == "wss"
        let port = url.port ?? (secure ? 443 : 80)
        var target = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        if let query = url.percentEncodedQuery { target += "?" + query }
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        let tlsContext = secure ? Self.tlsContext : nil
        if secure && tlsContext == nil {
            return eventLoop.makeFailedFuture(NIOSSLError.failedToLoadCertificate)
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: host)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    let requester = UpgradeRequester(target: target, host: hostHeader)
                    let upgrader = NIOWebSocketClientUpgrader(
                        maxFrameSize: maximumFrameSize, automaticErrorHandling: true,
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture { try installHandler(channel) }
                        })
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(requester, promise: nil)
                            }
                        ))
                    try channel.pipeline.syncOperations.addHandler(requester)
                }
            }
            .connect(host: host, port: port)
    }
}

/// Sends the upgrade request once the connection is up; the upgrade handler adds the WebSocket headers.
private final class UpgradeRequester: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let target: String
    let host: String

    init(target: String, host: String) {
        self.target = target
        self.host = host
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "User-Agent", value: "DiscordBot (https://github.com/aetheria, 0.1)")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Any HTTP response reaching here means the server refused the upgrade.
        if case .head(let head) = unwrapInboundIn(data), head.status != .switchingProtocols {
            context.close(promise: nil)
        }
    }
}
