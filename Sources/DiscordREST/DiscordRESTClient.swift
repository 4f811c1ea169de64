public import AetheriaPorts
public import AsyncHTTPClient
public import DiscordModels
public import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
public import NIOHTTP1

/// Discord's REST API over AsyncHTTPClient, rate-limited through a `RateLimitStore`, with Discord's errors
/// mapped to `DiscordRESTError`. Safe to share: every call may come from any task.
public struct DiscordRESTClient: Sendable {
    public struct Configuration: Sendable {
        /// REST base including the version: Discord's or the emulator's.
        public var baseURL: URL
        public var token: String
        /// `DiscordBot (<url>, <version>)`, as Discord requires.
        public var userAgent = "DiscordBot (https://github.com/aetheria/aetheria, 0.1.0)"
        public var requestTimeout: Duration = .seconds(15)
        /// Extra attempts for 5xx and connection errors, for idempotent requests only.
        public var retries = 3
        public var retryBackoff: Duration = .milliseconds(250)

        public init(baseURL: URL, token: String) {
            self.baseURL = baseURL
            self.token = token
        }
    }

    public let configuration: Configuration
    public let rateLimits: any RateLimitStore
    /// The guild this client's requests are done for (`accountable(to:)`), counted by the rate limiter's
    /// per-guild invalid-request budget.
    public private(set) var accountableGuild: GuildID?
    private let httpClient: HTTPClient
    private let logger: Logger

    public init(
        configuration: Configuration, rateLimits: any RateLimitStore = InProcessRateLimitStore(),
        httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "aetheria.rest")
    ) {
        self.configuration = configuration
        self.rateLimits = rateLimits
        self.httpClient = httpClient
        self.logger = logger
    }

    /// One REST request as the client sends it.
    public struct Request: Sendable {
        public var method: HTTPMethod
        /// Path after the base URL, with values filled in (`/channels/123/messages`).
        public var path: String
        /// The route as rate limits see it.
        public var route: RateLimitRoute
        public var query: [(String, String)] = []
        public var body: Data?
        public var auditLogReason: String?
        /// `false` for interaction callbacks and webhook routes: they need no bot token.
        public var authenticated = true
        /// An OAuth2 user token (dashboard calls) instead of the bot token.
        public var bearerToken: String?
        public var contentType = "application/json"

        public init(
            method: HTTPMethod, path: String, route: RateLimitRoute, body: Data? = nil, auditLogReason: String? = nil
        ) {
            self.method = method
            self.path = path
            self.route = route
            self.body = body
            self.auditLogReason = auditLogReason
        }

        var isIdempotent: Bool { [.GET, .PUT, .DELETE, .HEAD].contains(method) }
    }

    /// The same client, with every request counted against `guildID`'s invalid-request budget. A guild's
    /// workflows use it, so a guild that took a permission from the bot spends its own budget only.
    public func accountable(to guildID: GuildID) -> DiscordRESTClient {
        var copy = self
        copy.accountableGuild = guildID
        return copy
    }

    /// Sends a request: waits for the rate limiter, retries what may be retried, maps errors. Returns the body.
    @discardableResult
    public func send(_ unaccounted: Request) async throws(DiscordRESTError) -> Data {
        var accounted = unaccounted
        accounted.route.usesBotToken = accounted.authenticated && accounted.bearerToken == nil
        accounted.route.guildID = accountableGuild?.rawValue
        let request = accounted
        var attempt = 0
        while true {
            attempt += 1
            try await waitForSlot(request.route)
            let outcome: Outcome
            do {
                outcome = try await perform(request)
            } catch {
                await settle { await $0.abandon(request.route) }
                if request.isIdempotent && attempt <= configuration.retries && !Task.isCancelled {
                    try? await Task.sleep(for: configuration.retryBackoff * attempt)
                    continue
                }
                throw DiscordRESTError(
                    kind: .transport, status: nil, message: "\(error)", route: request.route.template)
            }
            await settle { await $0.record(outcome.rateLimit, for: request.route, now: .now) }
            RESTMetrics.recordResponse(route: request.route.template, status: outcome.status)
            if outcome.status == 429 {
                RESTMetrics.recordRateLimited(
                    scope: outcome.rateLimit.scope ?? (outcome.rateLimit.isGlobal ? "global" : "user"))
            }
            switch outcome.status {
            case 200..<300:
                return outcome.body
            case 429:
                // Not processed by Discord: safe to send again once the limiter allows it.
                if attempt <= configuration.retries + 5 { continue }
            case 500...599 where request.isIdempotent && attempt <= configuration.retries && !Task.isCancelled:
                try? await Task.sleep(for: configuration.retryBackoff * attempt)
                continue
            default:
                break
            }
            let body = try? JSONDecoder().decode(DiscordErrorBody.self, from: outcome.body)
            let error = DiscordRESTError(status: outcome.status, body: body, route: request.route.template)
            if error.kind == .unauthorized && request.authenticated && request.bearerToken == nil {
                logger.critical("Discord refused the bot token (401): all requests are stopped")
            }
            throw error
        }
    }

    /// Sends and decodes the JSON answer.
    public func send<Response: Decodable>(
        _ request: Request, as type: Response.Type
    ) async throws(DiscordRESTError)
        -> Response
    {
        let data = try await send(request)
        do {
            return try DiscordJSON.makeDecoder().decode(type, from: data)
        } catch {
            throw DiscordRESTError(
                kind: .other, status: 200, message: "unexpected response body: \(error)", route: request.route.template)
        }
    }

    /// Rate-limit bookkeeping must happen even when the caller was cancelled mid-request (a shared store
    /// would otherwise keep the slot taken for other processes): then it runs in a task cancellation cannot reach.
    private func settle(_ update: @escaping @Sendable (any RateLimitStore) async -> Void) async {
        let store = rateLimits
        if Task.isCancelled {
            await Task { await update(store) }.value
        } else {
            await update(store)
        }
    }

    private func waitForSlot(_ route: RateLimitRoute) async throws(DiscordRESTError) {
        let started = ContinuousClock.now
        var waited = false
        while true {
            switch await rateLimits.decide(route, now: .now) {
            case .send:
                if waited { RESTMetrics.recordWait(route: route.template, duration: .now - started) }
                return
            case .wait(let until):
                waited = true
                do {
                    try await Task.sleep(until: until, clock: .continuous)
                } catch {
                    // Cancelled: stop waiting (sleeping would return at once and spin).
                    throw DiscordRESTError(
                        kind: .transport, status: nil, message: "cancelled while waiting for a rate-limit slot",
                        route: route.template)
                }
            case .refuse(let refusal):
                RESTMetrics.recordRefusal(refusal)
                let kind: DiscordRESTError.Kind = refusal == .tokenRevoked ? .unauthorized : .refusedByRateLimiter
                throw DiscordRESTError(kind: kind, status: nil, message: refusal.description, route: route.template)
            }
        }
    }

    private struct Outcome {
        var status: Int
        var body: Data
        var rateLimit: RateLimitResponse
    }

    private func perform(_ request: Request) async throws -> Outcome {
        var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false)
        let basePath = components?.percentEncodedPath ?? ""
        components?.percentEncodedPath = basePath + request.path
        if !request.query.isEmpty {
            components?.queryItems = request.query.map { URLQueryItem(name: $0.0, value: $0.1) }
            // URLComponents leaves "+" as it is, which servers read as a space: a member search for "a+b" must
            // ask for "a+b".
            let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            components?.percentEncodedQuery = encoded
        }
        guard let url = components?.string else {
            throw DiscordRESTError(
                kind: .other, status: nil, message: "bad request path", route: request.route.template)
        }
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = request.method
        httpRequest.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let bearer = request.bearerToken {
            httpRequest.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        } else if request.authenticated {
            httpRequest.headers.add(name: "Authorization", value: "Bot \(configuration.token)")
        }
        if let reason = request.auditLogReason,
            let encoded = reason.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)
        {
            httpRequest.headers.add(name: "X-Audit-Log-Reason", value: encoded)
        }
        if let body = request.body {
            httpRequest.headers.add(name: "Content-Type", value: request.contentType)
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = TimeAmount(configuration.requestTimeout)
        let response = try await httpClient.execute(httpRequest, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 32 * 1024 * 1024)
        let headers = response.headers
        var rateLimit = RateLimitResponse.parsing(
            status: Int(response.status.code), header: { headers.first(name: $0) })
        let body = Data(buffer: bytes)
        if rateLimit.status == 429,
            let limited = try? DiscordJSON.makeDecoder().decode(RateLimitedBody.self, from: body)
        {
            // The body's retry_after is precise; the header is rounded up to whole seconds.
            rateLimit.retryAfter = RateLimitResponse.seconds(limited.retryAfter) ?? rateLimit.retryAfter
            rateLimit.isGlobal = rateLimit.isGlobal || limited.global
        }
        return Outcome(status: rateLimit.status, body: body, rateLimit: rateLimit)
    }
}
