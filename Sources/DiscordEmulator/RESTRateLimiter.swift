import Foundation

/// The emulator's server-side rate limits (discord-protocol.md §8): a per-route bucket counted separately
/// for each major parameter, and a global per-second limit that interaction routes do not count against.
struct RESTRateLimiter: Sendable {
    /// What a request learns about its bucket, for the `X-RateLimit-*` headers.
    struct BucketStatus: Sendable {
        var limit: Int
        var remaining: Int
        /// Epoch seconds when the bucket refills.
        var resetAt: Double
        var resetAfter: Double
        var bucketHash: String
    }

    enum Decision: Sendable {
        case allowed(BucketStatus?)
        case limited(scope: String, retryAfter: Double, bucket: BucketStatus?)
    }

    private struct Window: Sendable {
        var used: Int
        var resetAt: Double
    }

    var globalLimit: Int
    var routeLimits: [String: RouteLimit]
    private var globalWindow = Window(used: 0, resetAt: 0)
    private var windows: [String: Window] = [:]

    init(globalLimit: Int, routeLimits: [String: RouteLimit]) {
        self.globalLimit = globalLimit
        self.routeLimits = routeLimits
    }

    /// The opaque `X-RateLimit-Bucket` value of a bucket name: stable, hex, like Discord's hashes.
    static func bucketHash(_ name: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// Counts one request against the global limit (unless exempt) and its route bucket.
    mutating func admit(
        bucket name: String?, majorParameter: String, countsTowardGlobal: Bool, now: Double
    )
        -> Decision
    {
        var status: BucketStatus?
        var windowKey: String?
        if let name, let routeLimit = routeLimits[name] {
            let key = "\(name):\(majorParameter)"
            var window = windows[key] ?? Window(used: 0, resetAt: now + routeLimit.window.seconds)
            if now >= window.resetAt {
                window = Window(used: 0, resetAt: now + routeLimit.window.seconds)
            }
            status = BucketStatus(
                limit: routeLimit.limit, remaining: max(0, routeLimit.limit - window.used), resetAt: window.resetAt,
                resetAfter: max(0, window.resetAt - now), bucketHash: Self.bucketHash(name))
            if window.used >= routeLimit.limit {
                windows[key] = window
                return .limited(scope: "user", retryAfter: max(0.001, window.resetAt - now), bucket: status)
            }
            windows[key] = window
            windowKey = key
        }
        if countsTowardGlobal {
            if now >= globalWindow.resetAt {
                globalWindow = Window(used: 0, resetAt: now + 1)
            }
            if globalWindow.used >= globalLimit {
                return .limited(scope: "global", retryAfter: max(0.001, globalWindow.resetAt - now), bucket: nil)
            }
            globalWindow.used += 1
        }
        if let windowKey, var window = windows[windowKey], var admitted = status {
            window.used += 1
            windows[windowKey] = window
            admitted.remaining = max(0, admitted.limit - window.used)
            status = admitted
        }
        // Forget idle windows now and then, so memory stays bounded however many channels are used.
        if windows.count > 50_000 {
            windows = windows.filter { $0.value.resetAt > now }
        }
        return .allowed(status)
    }
}
