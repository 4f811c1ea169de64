public import AetheriaPorts
import DequeModule
public import DiscordModels

/// Discord's REST rate limits as a pure state machine with an injected clock (discord-protocol.md §8):
/// buckets learnt from `X-RateLimit-Bucket` and counted per major parameter, a global per-second limit that
/// interaction routes skip, 429 handling by scope, and an invalid-request breaker that stops sending long
/// before Discord's 10,000-per-10-minutes ban. It decides; the client waits and sends.
public struct RateLimitState: Sendable {
    public struct Configuration: Sendable {
        /// Requests per second for the whole bot (Discord: 50 unless raised for the application).
        public var globalLimit = 50
        /// Invalid responses (401, 403, non-shared 429) tolerated per 10 minutes before the breaker opens;
        /// Discord bans at 10,000.
        public var invalidRequestBudget = 1_000
        public var invalidRequestWindow: Duration = .seconds(600)
        /// Invalid responses tolerated per guild in the same window: a twentieth of the process's budget, so
        /// a guild that removed a permission pauses itself long before it could trip the breaker for everyone.
        public var guildInvalidRequestBudget = 50
        /// While the token is believed revoked, one bot-authenticated request is let through this often to find
        /// out whether it works again (an operator replaced it; another process's flag in Redis was stale).
        public var revokedTokenProbeInterval: Duration = .seconds(60)

        public init() {}
    }

    public typealias Refusal = RateLimitRefusal
    public typealias Decision = RateLimitDecision

    private struct Bucket: Sendable {
        var limit: Int?
        var remaining: Int?
        var resetAt: ContinuousClock.Instant?
        /// Requests sent whose response has not come back: while the bucket is unknown only one may be.
        var inFlight = 0
        var lastUsed: ContinuousClock.Instant
    }

    public let configuration: Configuration
    /// Route template → bucket hash, as Discord reported it.
    private var bucketHashes: [String: String] = [:]
    private var buckets: [String: Bucket] = [:]
    /// Send times of the last `globalLimit` non-exempt requests: a sliding window, so that no one-second
    /// interval (however Discord aligns its own) ever holds more than the limit.
    private var globalSends: [ContinuousClock.Instant] = []
    private var globalSendsHead = 0
    private var globalBlockedUntil: ContinuousClock.Instant?
    private var invalidResponses: Deque<ContinuousClock.Instant> = []
    /// Invalid responses per guild (only guilds with some in the window are kept).
    private var invalidResponsesByGuild: [UInt64: [ContinuousClock.Instant]] = [:]
    public private(set) var tokenRevoked = false
    private var nextRevokedTokenProbeAt: ContinuousClock.Instant?
    private var nextPruneAt: ContinuousClock.Instant?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Discord counts the global limit per second; the margin absorbs requests that arrive later than sent.
    static let globalWindow: Duration = .milliseconds(1050)

    /// The key of the counter a route uses: its learnt bucket hash (or its template until one is known),
    /// plus the major parameter.
    public func bucketKey(for route: RateLimitRoute) -> String {
        (bucketHashes[route.template] ?? route.template) + ":" + route.majorParameter
    }

    /// Buckets currently remembered (per route and major parameter).
    public var trackedBucketCount: Int { buckets.count }

    /// How long an idle bucket whose window has passed is remembered. Every interaction and every interaction
    /// token is a major parameter of its own, so without forgetting, a long-running bot would keep one bucket
    /// per interaction it ever answered. Forgetting changes nothing: a bucket whose window has passed is probed
    /// afresh anyway.
    static let idleBucketLifetime: Duration = .seconds(60)

    /// How many invalid responses the last window holds.
    public func invalidRequestCount(now: ContinuousClock.Instant) -> Int {
        invalidResponses.reduce(0) { $0 + (now - $1 < configuration.invalidRequestWindow ? 1 : 0) }
    }

    // MARK: - Before sending

    /// How many invalid responses one guild's requests produced in the last window.
    public func invalidRequestCount(guildID: UInt64, now: ContinuousClock.Instant) -> Int {
        (invalidResponsesByGuild[guildID] ?? []).count { now - $0 < configuration.invalidRequestWindow }
    }

    public mutating func decide(_ route: RateLimitRoute, now: ContinuousClock.Instant) -> Decision {
        if tokenRevoked && route.usesBotToken {
            // Requests without the bot token (interaction callbacks) still work; bot requests probe now and then.
            guard let probeAt = nextRevokedTokenProbeAt, now >= probeAt else { return .refuse(.tokenRevoked) }
            nextRevokedTokenProbeAt = now + configuration.revokedTokenProbeInterval
        }
        trimInvalid(now: now, guildID: route.guildID)
        if invalidResponses.count >= configuration.invalidRequestBudget, let oldest = invalidResponses.first {
            return .refuse(.invalidRequestBreakerOpen(until: oldest + configuration.invalidRequestWindow))
        }
        if let guildID = route.guildID, let recent = invalidResponsesByGuild[guildID],
            recent.count >= configuration.guildInvalidRequestBudget, let oldest = recent.first
        {
            return .refuse(
                .guildInvalidRequestBudgetExhausted(
                    guildID: guildID, until: oldest + configuration.invalidRequestWindow))
        }
        if let blocked = globalBlockedUntil, !route.isExemptFromGlobalLimit {
            if now < blocked { return .wait(until: blocked) }
            globalBlockedUntil = nil
        }
        pruneIdleBuckets(now: now)
        let key = bucketKey(for: route)
        var bucket = buckets[key] ?? Bucket(lastUsed: now)
        bucket.lastUsed = now
        if let resetAt = bucket.resetAt, now >= resetAt {
            // A new window: how much of it is left is unknown until a response says so (requests sent late in
            // the old window may land in the new one), so one request goes first to find out.
            bucket.remaining = nil
            bucket.resetAt = nil
        }
        if bucket.limit == nil || bucket.remaining == nil {
            // Unknown bucket or fresh window: send one request to learn it, hold the rest.
            if bucket.inFlight > 0 { return .wait(until: now + .milliseconds(20)) }
        } else if let remaining = bucket.remaining, remaining <= 0 {
            if let resetAt = bucket.resetAt { return .wait(until: resetAt) }
            // No reset known and nothing left: one at a time until a response tells more.
            if bucket.inFlight > 0 { return .wait(until: now + .milliseconds(50)) }
        }
        if !route.isExemptFromGlobalLimit {
            if globalSends.count >= configuration.globalLimit {
                // The oldest of the last `globalLimit` sends must be a full window (plus a margin for network
                // jitter) behind us.
                let oldest = globalSends[globalSendsHead]
                let window = Self.globalWindow
                if now - oldest < window { return .wait(until: oldest + window) }
                globalSends[globalSendsHead] = now
                globalSendsHead = (globalSendsHead + 1) % globalSends.count
            } else {
                globalSends.append(now)
            }
        }
        bucket.inFlight += 1
        if let remaining = bucket.remaining { bucket.remaining = remaining - 1 }
        buckets[key] = bucket
        return .send
    }

    // MARK: - After the response

    /// Learns from a response's headers; counts invalid responses; applies 429s.
    public mutating func record(_ response: RateLimitResponse, for route: RateLimitRoute, now: ContinuousClock.Instant)
    {
        let oldKey = bucketKey(for: route)
        if var bucket = buckets[oldKey] {
            bucket.inFlight = max(0, bucket.inFlight - 1)
            buckets[oldKey] = bucket
        }
        if let hash = response.bucket, bucketHashes[route.template] != hash {
            bucketHashes[route.template] = hash
            // Carry the in-flight count over to the learnt key.
            if let carried = buckets.removeValue(forKey: oldKey) {
                buckets[bucketKey(for: route), default: carried].inFlight = carried.inFlight
            }
        }
        let key = bucketKey(for: route)
        var bucket = buckets[key] ?? Bucket(lastUsed: now)
        bucket.lastUsed = now
        if let limit = response.limit { bucket.limit = limit }
        if let remaining = response.remaining {
            // Responses can arrive out of order: never raise what we already counted down.
            bucket.remaining = min(remaining, bucket.remaining ?? remaining)
        }
        if let resetAfter = response.resetAfter {
            // Clamped again here: the state may be fed by any caller, not only the header parser.
            bucket.resetAt = now + Self.wait(seconds: resetAfter)
        }

        switch response.status {
        case 200..<300 where route.usesBotToken:
            // The bot token works (again): whatever said otherwise is over.
            tokenRevoked = false
            nextRevokedTokenProbeAt = nil
        case 401:
            if route.usesBotToken && !tokenRevoked {
                tokenRevoked = true
                nextRevokedTokenProbeAt = now + configuration.revokedTokenProbeInterval
            }
            countInvalid(route, now: now)
        case 403:
            countInvalid(route, now: now)
        case 429:
            let retryAfter = Self.wait(seconds: response.retryAfter ?? 1)
            if response.scope != "shared" {
                countInvalid(route, now: now)
            }
            if response.isGlobal || response.scope == "global" {
                globalBlockedUntil = max(globalBlockedUntil ?? now, now + retryAfter)
            } else {
                bucket.remaining = 0
                bucket.resetAt = max(bucket.resetAt ?? now, now + retryAfter)
                if bucket.limit == nil { bucket.limit = 1 }
            }
        default:
            break
        }
        buckets[key] = bucket
    }

    /// A request that never got a response (connection error, timeout) frees its slot.
    public mutating func abandon(_ route: RateLimitRoute) {
        let key = bucketKey(for: route)
        if var bucket = buckets[key] {
            bucket.inFlight = max(0, bucket.inFlight - 1)
            if let remaining = bucket.remaining, let limit = bucket.limit {
                bucket.remaining = min(limit, remaining + 1)
            }
            buckets[key] = bucket
        }
    }

    /// At most once per `idleBucketLifetime`: forgets buckets nobody used for that long, with nothing in flight
    /// and no window still running.
    private mutating func pruneIdleBuckets(now: ContinuousClock.Instant) {
        guard let due = nextPruneAt else {
            nextPruneAt = now + Self.idleBucketLifetime
            return
        }
        guard now >= due else { return }
        nextPruneAt = now + Self.idleBucketLifetime
        let window = configuration.invalidRequestWindow
        invalidResponsesByGuild = invalidResponsesByGuild.compactMapValues { times in
            let recent = times.filter { now - $0 < window }
            return recent.isEmpty ? nil : recent
        }
        buckets = buckets.filter { _, bucket in
            bucket.inFlight > 0 || now - bucket.lastUsed < Self.idleBucketLifetime
                || (bucket.resetAt.map { now < $0 } ?? false)
        }
    }

    /// A wait Discord asked for, through the outside-number rule: `0...RateLimitResponse.maximumWaitSeconds`,
    /// and a second for NaN.
    static func wait(seconds: Double) -> Duration {
        OutsideNumber.duration(seconds: seconds, maximum: .seconds(RateLimitResponse.maximumWaitSeconds))
            ?? .seconds(1)
    }

    private mutating func countInvalid(_ route: RateLimitRoute, now: ContinuousClock.Instant) {
        invalidResponses.append(now)
        if let guildID = route.guildID { invalidResponsesByGuild[guildID, default: []].append(now) }
    }

    /// Drops invalid responses older than the window: the process's, and those of the request's guild (every
    /// guild's are swept with the idle buckets, once a minute, so a decision never walks all of them).
    private mutating func trimInvalid(now: ContinuousClock.Instant, guildID: UInt64?) {
        let window = configuration.invalidRequestWindow
        if let guildID, let times = invalidResponsesByGuild[guildID] {
            let recent = times.filter { now - $0 < window }
            invalidResponsesByGuild[guildID] = recent.isEmpty ? nil : recent
        }
        if let firstRecent = invalidResponses.firstIndex(where: { now - $0 < window }) {
            if firstRecent > 0 { invalidResponses.removeFirst(firstRecent) }
        } else {
            invalidResponses.removeAll()
        }
    }
}
