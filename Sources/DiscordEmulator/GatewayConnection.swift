import DiscordModels
import NIOCore
import Synchronization

/// A thread-safe handle on one gateway WebSocket connection. The emulator's state holds it to deliver
/// dispatches from any thread; the frames are written, in order, on the connection's event loop.
final class GatewayConnection: Sendable {
    private struct Outbox {
        var frames: [[UInt8]] = []
        var drainScheduled = false
        var pendingClose: GatewayCloseCode?
        var closing = false
    }

    let eventLoop: any EventLoop
    let channel: any NIOCore.Channel
    /// Which session this connection carries, once IDENTIFY or RESUME succeeded.
    var sessionID: String? {
        get { sessionIDBox.withLock { $0 } }
        set { sessionIDBox.withLock { $0 = newValue } }
    }

    private let outbox = Mutex(Outbox())
    private let sessionIDBox = Mutex<String?>(nil)
    private let handlerBox: Mutex<NIOLoopBound<GatewayConnectionHandler>?>

    init(channel: any NIOCore.Channel, handler: NIOLoopBound<GatewayConnectionHandler>) {
        self.channel = channel
        self.eventLoop = channel.eventLoop
        self.handlerBox = Mutex(handler)
    }

    /// Frames queued for a client that reads too slowly before the emulator gives up on it (Discord, too,
    /// disconnects consumers that fall far behind). Keeps the emulator's memory bounded.
    static let maximumQueuedFrames = 100_000

    /// Queues one gateway payload (uncompressed JSON) for the client.
    func send(_ frame: [UInt8]) {
        let shouldSchedule = outbox.withLock { outbox -> Bool in
            guard !outbox.closing else { return false }
            if outbox.frames.count >= Self.maximumQueuedFrames {
                // Too far behind: drop what is queued and close; the session stays resumable.
                outbox.frames.removeAll()
                outbox.closing = true
                outbox.pendingClose = .unknownError
                defer { outbox.drainScheduled = true }
                return !outbox.drainScheduled
            }
            outbox.frames.append(frame)
            defer { outbox.drainScheduled = true }
            return !outbox.drainScheduled
        }
        if shouldSchedule { scheduleDrain() }
    }

    /// Puts frames the socket could not take yet back at the front of the queue.
    func requeueFront(_ frames: ArraySlice<[UInt8]>) {
        outbox.withLock { $0.frames.insert(contentsOf: frames, at: 0) }
    }

    /// Asks for another drain, for example when the socket becomes writable again.
    func requestDrain() {
        let shouldSchedule = outbox.withLock { outbox -> Bool in
            defer { outbox.drainScheduled = true }
            return !outbox.drainScheduled
        }
        if shouldSchedule { scheduleDrain() }
    }

    /// Sends everything queued so far, then a close frame with `code`, then closes the socket.
    func close(code: GatewayCloseCode) {
        let shouldSchedule = outbox.withLock { outbox -> Bool in
            guard !outbox.closing else { return false }
            outbox.closing = true
            outbox.pendingClose = code
            defer { outbox.drainScheduled = true }
            return !outbox.drainScheduled
        }
        if shouldSchedule { scheduleDrain() }
    }

    /// Drops the TCP connection without a close frame, as a network failure would.
    func dropWithoutCloseFrame() {
        outbox.withLock {
            $0.closing = true
            $0.frames.removeAll()
        }
        channel.close(promise: nil)
    }

    /// Called on the event loop by the handler: hands over the queued frames, and the pending close once
    /// no frames are left before it.
    func takeOutbox() -> (frames: [[UInt8]], close: GatewayCloseCode?) {
        outbox.withLock { outbox in
            let frames = outbox.frames
            outbox.frames = []
            let close = outbox.pendingClose
            outbox.pendingClose = nil
            outbox.drainScheduled = false
            return (frames, close)
        }
    }

    /// Puts a close back when frames had to be requeued ahead of it.
    func requeueClose(_ code: GatewayCloseCode) {
        outbox.withLock { $0.pendingClose = code }
    }

    /// Writes bytes as they are, bypassing compression: for faults such as a corrupt zlib stream.
    func sendRawFrame(_ bytes: [UInt8], binary: Bool) {
        guard let handler = handlerBox.withLock({ $0 }) else { return }
        eventLoop.execute {
            handler.value.writeRaw(bytes, binary: binary)
        }
    }

    /// Breaks the handler ↔ connection reference cycle once the channel is gone.
    func detachHandler() {
        handlerBox.withLock { $0 = nil }
        outbox.withLock {
            $0.closing = true
            $0.frames.removeAll()
        }
    }

    private func scheduleDrain() {
        guard let handler = handlerBox.withLock({ $0 }) else { return }
        eventLoop.execute {
            handler.value.drainOutbox()
        }
    }
}
