public import DiscordEmulator
public import DiscordModels
public import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient
import ZlibStream

/// A minimal gateway client for black-box tests: it connects (optionally with zlib-stream), lets the test
/// send raw payloads, and hands back every payload and the close code the server sent.
public final class GatewayTestClient: Sendable {
    public struct Payload: Sendable {
        public var op: Int
        public var s: Int?
        public var t: String?
        public var d: JSONValue?
        public var raw: String
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var waitingFor: String
        public var description: String { "timed out waiting for \(waitingFor)" }
    }

    private let received: IteratorBox
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let closeCode = Mutex<UInt16?>(nil)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let finished: AsyncStream<Void>.Continuation

    private init(received: AsyncStream<Payload>, finished: AsyncStream<Void>.Continuation) {
        self.received = IteratorBox(received.makeAsyncIterator())
        self.finished = finished
    }

    /// Connects to `url` (a gateway URL, with or without a path) with `?v=10&encoding=json`.
    public static func connect(
        to url: URL, compressed: Bool = false, path: String = "/", query: String? = nil
    ) async throws
        -> GatewayTestClient
    {
        let (stream, continuation) = AsyncStream<Payload>.makeStream()
        let (finishedStream, finishedContinuation) = AsyncStream<Void>.makeStream()
        let client = GatewayTestClient(received: stream, finished: finishedContinuation)
        let target =
            url.absoluteString + path + "?"
            + (query ?? ("v=10&encoding=json" + (compressed ? "&compress=zlib-stream" : "")))
        let connected = AsyncStream<Void>.makeStream()
        let task = Task {
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 64 * 1024 * 1024
            configuration.autoPing = .disabled
            configuration.closeTimeout = .seconds(1)
            let close = try? await WebSocketClient.connect(
                url: target, configuration: configuration,
                logger: Logger(label: "test.gateway", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { inbound, outbound, _ in
                let inflater = try? ZlibInflater()
                client.writer.withLock { $0 = outbound }
                connected.continuation.yield()
                for try await frame in inbound {
                    var data = frame.data
                    let bytes = data.readBytes(length: data.readableBytes) ?? []
                    let message: [UInt8]?
                    if frame.opcode == .binary, let inflater {
                        message = try inflater.append(bytes)
                    } else {
                        message = bytes
                    }
                    guard let message, let value = JSONValue.parse(Data(message)) else { continue }
                    continuation.yield(
                        Payload(
                            op: value["op"]?.intValue ?? -1, s: value["s"]?.intValue, t: value["t"]?.stringValue,
                            d: value["d"], raw: String(decoding: message, as: UTF8.self)))
                }
            }
            if let close {
                client.closeCode.withLock { $0 = UInt16(webSocketErrorCode: close.closeCode) }
            }
            connected.continuation.yield()
            continuation.finish()
            finishedContinuation.yield()
            finishedContinuation.finish()
        }
        client.task.withLock { $0 = task }
        var waiter = connected.stream.makeAsyncIterator()
        _ = await waiter.next()
        _ = finishedStream
        return client
    }

    /// Sends one raw text payload.
    public func send(_ text: String) async throws {
        guard let writer = writer.withLock({ $0 }) else { throw TimedOut(waitingFor: "an open connection") }
        try await writer.write(.text(text))
    }

    /// Sends one payload as a binary frame, as ETF-less clients sometimes do.
    public func sendBinary(_ text: String) async throws {
        guard let writer = writer.withLock({ $0 }) else { throw TimedOut(waitingFor: "an open connection") }
        try await writer.write(.binary(ByteBuffer(string: text)))
    }

    public func identify(
        token: String, intents: GatewayIntents = .ticketBot, shard: [Int]? = nil, largeThreshold: Int? = nil
    ) async throws {
        let shardJSON = shard.map { #","shard":[\#($0[0]),\#($0[1])]"# } ?? ""
        let threshold = largeThreshold.map { #","large_threshold":\#($0)"# } ?? ""
        try await send(
            #"{"op":2,"d":{"token":"\#(token)","intents":\#(intents.rawValue),"properties":{"os":"linux","browser":"aetheria-test","device":"aetheria-test"},"capabilities":16381\#(shardJSON)\#(threshold)}}"#
        )
    }

    public func resume(token: String, sessionID: String, sequence: Int) async throws {
        try await send(#"{"op":6,"d":{"token":"\#(token)","session_id":"\#(sessionID)","seq":\#(sequence)}}"#)
    }

    public func heartbeat(_ sequence: Int?) async throws {
        try await send(#"{"op":1,"d":\#(sequence.map(String.init) ?? "null")}"#)
    }

    /// The next payload from the server, or `nil` once the connection has closed. A timeout fails the test
    /// (the stream cannot be read after one).
    public func next(timeout: Duration = .seconds(5)) async throws -> Payload? {
        let box = received
        return try await withThrowingTaskGroup(of: Payload?.self) { group in
            group.addTask { await box.next() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOut(waitingFor: "a gateway payload")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Reads payloads until one satisfies `predicate`; fails on close or timeout.
    public func next(
        where predicate: (Payload) -> Bool, timeout: Duration = .seconds(5), description: String = "a matching payload"
    ) async throws -> Payload {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let payload = try await next(timeout: deadline - ContinuousClock.now) else {
                throw TimedOut(waitingFor: "\(description) (connection closed with \(String(describing: closedWith)))")
            }
            if predicate(payload) { return payload }
        }
        throw TimedOut(waitingFor: description)
    }

    public func dispatch(_ event: String, timeout: Duration = .seconds(5)) async throws -> Payload {
        try await next(where: { $0.op == 0 && $0.t == event }, timeout: timeout, description: event)
    }

    /// Reads until the server closes, returning its close code.
    public func waitForClose(timeout: Duration = .seconds(5)) async throws -> UInt16? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await next(timeout: deadline - ContinuousClock.now) == nil {
                return closedWith
            }
        }
        throw TimedOut(waitingFor: "the server to close")
    }

    public var closedWith: UInt16? { closeCode.withLock { $0 } }

    /// Closes from the client side with `code` (1000/1001 end the session; others keep it resumable).
    public func close(code: UInt16 = 4000) async {
        if let writer = writer.withLock({ $0 }) {
            try? await writer.close(.init(codeNumber: Int(code)), reason: nil)
        }
        _ = try? await waitForClose(timeout: .seconds(3))
        task.withLock { $0?.cancel() }
    }
}

/// Moves a stream iterator in and out of a child task.
private final class IteratorBox: @unchecked Sendable {
    var iterator: AsyncStream<GatewayTestClient.Payload>.Iterator

    init(_ iterator: AsyncStream<GatewayTestClient.Payload>.Iterator) {
        self.iterator = iterator
    }

    func next() async -> GatewayTestClient.Payload? {
        await iterator.next()
    }
}
