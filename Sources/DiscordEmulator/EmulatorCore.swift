import DiscordModels
import Synchronization

/// The emulator's shared heart: its configuration, the URLs it is reachable at, and its state behind one
/// lock. REST handlers, gateway connections, the control API and the firehose all go through it.
final class EmulatorCore: Sendable {
    let configuration: EmulatorConfiguration
    private let state: Mutex<EmulatorState>
    private let urls = Mutex<(rest: String, gateway: String)>(("", ""))
    /// Gateway connection handlers alive (each holds a connection's zlib context, about 100 KB): a closed
    /// connection's must go, or a long demo or load test with reconnects grows without bound. Reported by
    /// `GET /_emulator/state` as `gateway_handlers_alive`.
    let liveGatewayHandlers = Atomic<Int>(0)

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        self.state = Mutex(EmulatorState(configuration: configuration))
    }

    /// Runs `body` with exclusive access to the state. Keep it short and never await inside.
    func withState<Result>(_ body: (inout EmulatorState) throws -> Result) rethrows -> Result {
        try state.withLock { try body(&$0) }
    }

    func setURLs(restBase: String, gateway: String) {
        urls.withLock { $0 = (restBase, gateway) }
    }

    /// `http://HOST:PORT`, without `/api/v10`.
    var restOrigin: String { urls.withLock { $0.rest } }
    var gatewayURL: String { urls.withLock { $0.gateway } }
    /// Where READY tells clients to resume: the same server on its own path, so the records show which URL
    /// a client resumed through.
    var gatewayResumeURL: String { gatewayURL + "/resume" }
}
