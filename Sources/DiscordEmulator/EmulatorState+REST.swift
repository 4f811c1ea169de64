import DiscordModels
import Foundation

extension EmulatorState {
    /// Authenticates, rate-limits and runs one REST request. Returns the response and the bucket state for
    /// the `X-RateLimit-*` headers.
    mutating func handle(
        _ request: RESTRequest, route: RESTRoute, isControl: Bool
    )
        -> (RESTResponse, RESTRateLimiter.BucketStatus?)
    {
        let now = request.now.timeIntervalSince1970
        var request = request
        switch route.authentication {
        case .none:
            request.identity = .anonymous
        case .bot, .botOrBearer:
            guard let identity = authenticate(request.authorization, allowBearer: route.authentication == .botOrBearer)
            else {
                records.countInvalidRequest(at: now)
                return (.error(.unauthorized), nil)
            }
            request.identity = identity
        }
        var bucketStatus: RESTRateLimiter.BucketStatus?
        if !isControl {
            let major = route.majorParameters.compactMap { request.parameters[$0] }.joined(separator: ":")
            switch rateLimits.admit(
                bucket: route.bucket, majorParameter: major, countsTowardGlobal: route.countsTowardGlobal, now: now)
            {
            case .allowed(let status):
                bucketStatus = status
            case .limited(let scope, let retryAfter, let status):
                countRateLimited(scope: scope, now: now)
                return (.rateLimited(scope: scope, retryAfter: retryAfter, bucket: status), nil)
            }
        }
        if !request.rawBody.isEmpty, ["POST", "PUT", "PATCH"].contains(request.method),
            !Self.acceptedContentTypes.contains(where: { request.contentType?.hasPrefix($0) == true })
        {
            return (
                .error(
                    .invalidFormBody(
                        path: "", code: "CONTENT_TYPE_INVALID",
                        message: "Expected \"Content-Type\" header to be one of {'application/json'}.")),
                bucketStatus
            )
        }
        // A handler that cannot serve the request throws Discord's error; it is answered like any other.
        let response: RESTResponse
        do {
            response = try route.handler(&self, request)
        } catch let error as DiscordAPIError {
            response = .error(error)
        } catch {
            response = .error(DiscordAPIError(status: 500, code: 0, message: "500: Internal Server Error"))
        }
        if [401, 403].contains(response.status) {
            records.countInvalidRequest(at: now)
        }
        return (response, bucketStatus)
    }

    static let acceptedContentTypes = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]

    /// `Bot <token>` for the bot; `Bearer <token>` for an OAuth2 user where the route allows it.
    func authenticate(_ authorization: String?, allowBearer: Bool) -> RequestIdentity? {
        guard let authorization else { return nil }
        if authorization.hasPrefix("Bot ") {
            let token = authorization.dropFirst(4)
            return !tokenRevoked && token == configuration.botToken ? .bot : nil
        }
        if allowBearer, authorization.hasPrefix("Bearer "),
            let grant = oauth.grant(forAccessToken: String(authorization.dropFirst(7)))
        {
            return .bearer(grant.userID, scopes: grant.scopes)
        }
        return nil
    }

    /// Counts a 429; shared-scope ones are not the client's fault and do not count as invalid requests.
    mutating func countRateLimited(scope: String, now: Double) {
        records.rateLimitedResponses += 1
        records.rateLimitedByScope[scope, default: 0] += 1
        if scope != "shared" {
            records.countInvalidRequest(at: now)
        }
    }
}
