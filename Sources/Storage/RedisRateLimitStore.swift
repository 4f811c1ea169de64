public import AetheriaPorts
public import DiscordModels
import Foundation

/// Discord's REST rate limits shared by every Aetheria process through Redis: one global window, the
/// buckets learnt from `X-RateLimit-Bucket`, the 429 blocks and the invalid-request breaker, each decided
/// atomically by a Lua script against Redis's own clock (`TIME`), so processes on different machines agree.
///
/// Keys (one hash tag, so the scripts stay in one Redis Cluster slot): `<namespace>:{rl}:global` (sorted set
/// of send times), `:buckets` (bucket key → `limit|remaining|resetAt|inFlight|since`), `:routes` (route
/// template → bucket hash), `:invalid` (sorted set), `:state` (`revoked`, `blocked` until), `:bucket-use`
/// (last use per bucket, to forget idle buckets after 10 minutes).
///
/// While Redis is unreachable, requests wait rather than guess: sending blind from several processes is what
/// gets a bot banned.
public struct RedisRateLimitStore: RateLimitStore {
    public let client: RedisClient
    private let keys: [String]
    private let globalLimit: Int
    private let invalidRequestBudget: Int
    private let invalidRequestWindow: Duration
    private let guildInvalidRequestBudget: Int
    private let revokedTokenProbeInterval: Duration
    private let namespace: String

    public init(
        client: RedisClient, namespace: String = "aetheria", globalLimit: Int = 50, invalidRequestBudget: Int = 1_000,
        invalidRequestWindow: Duration = .seconds(600), guildInvalidRequestBudget: Int = 50,
        revokedTokenProbeInterval: Duration = .seconds(60)
    ) {
        self.client = client
        self.namespace = namespace
        self.keys = ["global", "buckets", "routes", "invalid", "state", "bucket-use"].map { "\(namespace):{rl}:\($0)" }
        self.globalLimit = globalLimit
        self.invalidRequestBudget = invalidRequestBudget
        self.invalidRequestWindow = invalidRequestWindow
        self.guildInvalidRequestBudget = guildInvalidRequestBudget
        self.revokedTokenProbeInterval = revokedTokenProbeInterval
    }

    /// The keys of a script call: the shared ones, then the route's guild's invalid-response set (in the same
    /// `{rl}` slot; a placeholder when the request is nobody's).
    private func keys(for route: RateLimitRoute) -> [String] {
        keys + ["\(namespace):{rl}:invalid:g:\(route.guildID.map(String.init) ?? "none")"]
    }

    /// Whole milliseconds of a duration (the scripts count in milliseconds of Redis's clock).
    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// Discord counts the global limit per second; the margin absorbs requests that arrive later than sent
    /// (the same as the in-process limiter).
    static let globalWindowMilliseconds = 1_050

    public func decide(_ route: RateLimitRoute, now: ContinuousClock.Instant) async -> RateLimitDecision {
        let reply: RedisValue
        do {
            reply = try await client.evaluate(
                Self.decideScript, keys: keys(for: route),
                arguments: [
                    route.template, route.majorParameter, route.isExemptFromGlobalLimit ? "1" : "0",
                    String(globalLimit), String(Self.globalWindowMilliseconds), String(invalidRequestBudget),
                    String(Self.milliseconds(invalidRequestWindow)), UUID().uuidString,
                    route.usesBotToken ? "1" : "0", String(Self.milliseconds(revokedTokenProbeInterval)),
                    String(guildInvalidRequestBudget), route.guildID == nil ? "0" : "1",
                ])
        } catch {
            return .wait(until: now + .milliseconds(100))
        }
        guard let parts = reply.array, parts.count == 2, let verdict = parts[0].string else {
            return .wait(until: now + .milliseconds(100))
        }
        // A reply from the store is outside input too: a day at most.
        let milliseconds = min(max(parts[1].integer ?? Int64(parts[1].string ?? "") ?? 0, 0), 86_400_000)
        switch verdict {
        case "send": return .send
        case "revoked": return .refuse(.tokenRevoked)
        case "breaker": return .refuse(.invalidRequestBreakerOpen(until: now + .milliseconds(milliseconds)))
        case "guild":
            return .refuse(
                .guildInvalidRequestBudgetExhausted(
                    guildID: route.guildID ?? 0, until: now + .milliseconds(milliseconds)))
        default: return .wait(until: now + .milliseconds(max(1, milliseconds)))
        }
    }

    public func record(_ response: RateLimitResponse, for route: RateLimitRoute, now: ContinuousClock.Instant) async {
        func milliseconds(_ seconds: Double?) -> String {
            // Through the outside-number rule: the response's numbers come from Discord's headers.
            seconds.flatMap { OutsideNumber.duration(seconds: $0, maximum: .seconds(86_400)) }.map {
                String(Self.milliseconds($0))
            } ?? ""
        }
        _ = try? await client.evaluate(
            Self.recordScript, keys: keys(for: route),
            arguments: [
                route.template, route.majorParameter, String(response.status), response.bucket ?? "",
                response.limit.map(String.init) ?? "", response.remaining.map(String.init) ?? "",
                milliseconds(response.resetAfter), milliseconds(response.retryAfter), response.isGlobal ? "1" : "0",
                response.scope ?? "", UUID().uuidString, route.usesBotToken ? "1" : "0",
                String(Self.milliseconds(revokedTokenProbeInterval)), route.guildID == nil ? "0" : "1",
                String(Self.milliseconds(invalidRequestWindow)),
            ])
    }

    public func abandon(_ route: RateLimitRoute) async {
        _ = try? await client.evaluate(
            Self.abandonScript, keys: keys, arguments: [route.template, route.majorParameter])
    }

    // MARK: - Scripts

    /// Shared by the scripts: the clock, and a bucket's fields packed in one hash value.
    private static let prelude = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function enc(v) if v == nil then return '' end return string.format('%d', v) end
        local function load(key)
          local raw = redis.call('HGET', KEYS[2], key)
          local b = {inFlight = 0, since = 0}
          if not raw then return b end
          local f = {}
          for v in string.gmatch(raw .. '|', '([^|]*)|') do f[#f + 1] = v end
          b.limit = tonumber(f[1]); b.remaining = tonumber(f[2]); b.resetAt = tonumber(f[3])
          b.inFlight = tonumber(f[4]) or 0; b.since = tonumber(f[5]) or 0
          return b
        end
        local function save(key, b)
          redis.call('HSET', KEYS[2], key, enc(b.limit) .. '|' .. enc(b.remaining) .. '|' .. enc(b.resetAt) .. '|' ..
            enc(b.inFlight) .. '|' .. enc(b.since))
          redis.call('ZADD', KEYS[6], now, key)
        end
        local function bucketKey(template, major)
          return (redis.call('HGET', KEYS[3], template) or template) .. ':' .. major
        end

        """

    /// ARGV: template, major, exempt, global limit, global window ms, invalid budget, invalid window ms, nonce,
    /// uses bot token, revoked-token probe interval ms, guild invalid budget, has guild. KEYS[7]: the guild's
    /// invalid responses. Returns {verdict, milliseconds}: send, wait, revoked, breaker, guild.
    static let decideScript = RedisScript(
        prelude + """
            local state = redis.call('HMGET', KEYS[5], 'revoked', 'blocked', 'probeAt')
            if state[1] == '1' and ARGV[9] == '1' then
              -- Revoked: requests without the bot token go on; a bot request probes now and then.
              if now < (tonumber(state[3]) or 0) then return {'revoked', 0} end
              redis.call('HSET', KEYS[5], 'probeAt', enc(now + tonumber(ARGV[10])))
            end
            local invalidWindow = tonumber(ARGV[7])
            redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - invalidWindow)
            if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[6]) then
              local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
              return {'breaker', tonumber(oldest[2]) + invalidWindow - now}
            end
            if ARGV[12] == '1' then
              redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now - invalidWindow)
              if redis.call('ZCARD', KEYS[7]) >= tonumber(ARGV[11]) then
                local oldest = redis.call('ZRANGE', KEYS[7], 0, 0, 'WITHSCORES')
                return {'guild', tonumber(oldest[2]) + invalidWindow - now}
              end
            end
            -- Forget buckets idle for 10 minutes, a few at a time.
            local idle = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now - 600000, 'LIMIT', 0, 20)
            for _, key in ipairs(idle) do
              redis.call('HDEL', KEYS[2], key)
              redis.call('ZREM', KEYS[6], key)
            end
            local exempt = ARGV[3] == '1'
            local blocked = tonumber(state[2]) or 0
            if not exempt and blocked > now then return {'wait', blocked - now} end
            local key = bucketKey(ARGV[1], ARGV[2])
            local b = load(key)
            -- A process that died mid-request leaves its slot taken: after the request timeout it is freed.
            if b.inFlight > 0 and now - b.since > 15000 then b.inFlight = 0 end
            if b.resetAt and now >= b.resetAt then b.remaining = nil; b.resetAt = nil end
            if b.limit == nil or b.remaining == nil then
              if b.inFlight > 0 then return {'wait', 20} end
            elseif b.remaining <= 0 then
              if b.resetAt then return {'wait', b.resetAt - now} end
              if b.inFlight > 0 then return {'wait', 50} end
            end
            if not exempt then
              local window = tonumber(ARGV[5])
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
              if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
                local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
                return {'wait', math.max(1, tonumber(oldest[2]) + window - now)}
              end
              redis.call('ZADD', KEYS[1], now, ARGV[8])
              redis.call('PEXPIRE', KEYS[1], window * 2)
            end
            b.inFlight = b.inFlight + 1
            b.since = now
            if b.remaining then b.remaining = b.remaining - 1 end
            save(key, b)
            return {'send', 0}
            """)

    /// ARGV: template, major, status, bucket hash, limit, remaining, reset-after ms, retry-after ms, global,
    /// scope, nonce, uses bot token, revoked-token probe interval ms, has guild, invalid window ms. KEYS[7]: the
    /// guild's invalid responses.
    static let recordScript = RedisScript(
        prelude + """
            local oldKey = bucketKey(ARGV[1], ARGV[2])
            local old = load(oldKey)
            old.inFlight = math.max(0, old.inFlight - 1)
            local key = oldKey
            if ARGV[4] ~= '' and redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[4] then
              redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
              key = ARGV[4] .. ':' .. ARGV[2]
              redis.call('HDEL', KEYS[2], oldKey)
              redis.call('ZREM', KEYS[6], oldKey)
              local learnt = load(key)
              learnt.inFlight = old.inFlight
              learnt.since = old.since
              save(key, learnt)
            else
              save(key, old)
            end
            local b = load(key)
            if ARGV[5] ~= '' then b.limit = tonumber(ARGV[5]) end
            if ARGV[6] ~= '' then
              local remaining = tonumber(ARGV[6])
              b.remaining = math.min(remaining, b.remaining or remaining)
            end
            if ARGV[7] ~= '' then b.resetAt = now + tonumber(ARGV[7]) end
            local status = ARGV[3]
            local function invalid()
              redis.call('ZADD', KEYS[4], now, ARGV[11])
              if ARGV[14] == '1' then
                redis.call('ZADD', KEYS[7], now, ARGV[11])
                redis.call('PEXPIRE', KEYS[7], tonumber(ARGV[15]))
              end
            end
            local botToken = ARGV[12] == '1'
            if string.sub(status, 1, 1) == '2' and botToken then
              -- The bot token works: a revocation recorded by any process is over.
              redis.call('HDEL', KEYS[5], 'revoked', 'probeAt')
            elseif status == '401' then
              if botToken and redis.call('HGET', KEYS[5], 'revoked') ~= '1' then
                redis.call('HSET', KEYS[5], 'revoked', '1', 'probeAt', enc(now + tonumber(ARGV[13])))
              end
              invalid()
            elseif status == '403' then
              invalid()
            elseif status == '429' then
              local retry = tonumber(ARGV[8]) or 1000
              if ARGV[10] ~= 'shared' then invalid() end
              if ARGV[9] == '1' or ARGV[10] == 'global' then
                local blocked = tonumber(redis.call('HGET', KEYS[5], 'blocked')) or now
                redis.call('HSET', KEYS[5], 'blocked', enc(math.max(blocked, now + retry)))
              else
                b.remaining = 0
                b.resetAt = math.max(b.resetAt or now, now + retry)
                if b.limit == nil then b.limit = 1 end
              end
            end
            save(key, b)
            return 'OK'
            """)

    /// ARGV: template, major. A request that never got a response frees its slot.
    static let abandonScript = RedisScript(
        prelude + """
            local key = bucketKey(ARGV[1], ARGV[2])
            local b = load(key)
            b.inFlight = math.max(0, b.inFlight - 1)
            if b.remaining and b.limit then b.remaining = math.min(b.limit, b.remaining + 1) end
            save(key, b)
            return 'OK'
            """)
}
