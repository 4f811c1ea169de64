import DiscordModels
import Foundation

/// Faults injected through the control API.
struct FaultBook: Sendable {
    /// A forced response for requests whose path matches, `count` times (or forever when `nil`).
    struct RouteFault: Sendable, Codable {
        enum Kind: String, Sendable, Codable {
            case rateLimit = "429"
            case serverError = "5xx"
            case latency
        }

        var kind: Kind
        /// A substring of the request path (`/channels/123/messages`) or `*` for every route.
        var pathContains: String
        var method: String?
        var remaining: Int?
        /// For 429s: `user`, `global` or `shared`.
        var scope: String?
        var retryAfterSeconds: Double?
        /// For 5xx: 500, 502, 503 or 504.
        var status: Int?
        var latencyMilliseconds: Int?
        /// For 429s: header values sent instead of the ones the emulator would write (a test's hostile
        /// `Retry-After: inf`, say). Discord never sends such values; the bot must survive them anyway.
        var headers: [String: String]?
    }

    var routeFaults: [RouteFault] = []
    /// Connections whose heartbeats are no longer acknowledged (a zombie connection, as the client sees
    /// it). A new connection, resumed or not, is acknowledged again.
    var silencedConnections: Set<ObjectIdentifier> = []

    func heartbeatAcksSuspended(connection: GatewayConnection) -> Bool {
        silencedConnections.contains(ObjectIdentifier(connection))
    }

    /// The first fault that applies to this request, consuming one use of it.
    mutating func takeFault(method: String, path: String) -> RouteFault? {
        guard
            let index = routeFaults.firstIndex(where: { fault in
                (fault.pathContains == "*" || path.contains(fault.pathContains))
                    && (fault.method == nil || fault.method?.uppercased() == method)
            })
        else { return nil }
        let fault = routeFaults[index]
        if let remaining = fault.remaining {
            if remaining <= 1 {
                routeFaults.remove(at: index)
            } else {
                routeFaults[index].remaining = remaining - 1
            }
        }
        return fault
    }
}
