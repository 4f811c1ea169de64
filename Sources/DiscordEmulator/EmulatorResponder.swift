import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The emulator's HTTP front door: Discord's REST API under `/api/v10`, OAuth2 under `/oauth2` and
/// `/api/oauth2`, and the control API under `/_emulator`.
struct EmulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let core: EmulatorCore
    let routes: [RESTRoute]
    let controlRoutes: [RESTRoute]

    init(core: EmulatorCore, firehose: Firehose) {
        self.core = core
        self.routes = RESTRoutes.all
        self.controlRoutes = ControlRoutes.all(core: core, firehose: firehose)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value)
        }
        if path == "/oauth2/authorize" {
            return http(core.withState { $0.authorizePage(query: query) })
        }
        if path.hasPrefix("/attachments/"), request.method == .get {
            return http(core.withState { $0.attachmentDownload(path: path) })
        }
        let segments = path.split(separator: "/")
        let apiPath: ArraySlice<Substring>
        let table: [RESTRoute]
        if segments.first == "_emulator" {
            apiPath = segments.dropFirst()
            table = controlRoutes
        } else if segments.count >= 2, segments[0] == "api", segments[1] == "v10" {
            apiPath = segments.dropFirst(2)
            table = routes
        } else if segments.count >= 2, segments[0] == "api", segments[1] == "oauth2" {
            // The unversioned token endpoint is the one Discord's OAuth2 documentation names.
            apiPath = segments.dropFirst()
            table = routes
        } else if segments.count >= 2, segments[0] == "api", segments[1].hasPrefix("v") {
            return http(
                .error(DiscordAPIError(status: 400, code: 50041, message: "Invalid API version provided.")))
        } else {
            return http(.error(.notFound))
        }
        let pathSegments = Array(apiPath)
        var routeForPath: RESTRoute?
        var parameters: [String: String] = [:]
        var methodMismatch = false
        for route in table {
            guard let matched = route.match(pathSegments) else { continue }
            if route.method == method {
                routeForPath = route
                parameters = matched
                break
            }
            methodMismatch = true
        }
        guard let route = routeForPath else {
            return record(
                method: method, path: path, bucket: nil, http(.error(methodMismatch ? .methodNotAllowed : .notFound)))
        }
        let isControl = segments.first == "_emulator"
        let contentType = request.headers[.contentType]
        /// Records the exchange (when the test command asked for it) and the call, then answers.
        func answer(_ encoded: (response: Response, body: [UInt8]), requestBody: [UInt8] = []) -> Response {
            if !isControl, let recorder = ExchangeRecorder.shared {
                recorder.record(
                    .init(
                        method: method, template: route.template, status: Int(encoded.response.status.code),
                        query: query, requestContentType: contentType, requestBody: requestBody,
                        responseContentType: encoded.response.headers[.contentType], responseBody: encoded.body))
            }
            return record(method: method, path: path, bucket: route.bucket, encoded.response, isControl: isControl)
        }

        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: core.configuration.maximumRequestBodyBytes)
        } catch {
            return answer(encoded(.error(.requestTooLarge)))
        }
        let rawBody = Array(body.readableBytesView)
        var parsedBody: JSONValue?
        if !rawBody.isEmpty, contentType?.hasPrefix("application/json") == true {
            guard let parsed = JSONValue.parse(Data(rawBody)) else {
                core.withState { $0.records.malformedRequests += 1 }
                return answer(encoded(.error(.invalidJSON)), requestBody: rawBody)
            }
            parsedBody = parsed
        }

        if !isControl, let fault = core.withState({ $0.faults.takeFault(method: method, path: path) }) {
            if let response = await apply(fault, route: route) {
                return answer(response, requestBody: rawBody)
            }
        }

        let authorization = request.headers[.authorization]
        let now = Date()
        let restRequest = RESTRequest(
            method: method, path: path, parameters: parameters, query: query, body: parsedBody, rawBody: rawBody,
            contentType: contentType, auditLogReason: request.headers[HTTPField.Name("X-Audit-Log-Reason")!],
            identity: .anonymous, authorization: authorization, now: now)
        let (response, bucketStatus) = core.withState { state in
            state.handle(restRequest, route: route, isControl: isControl)
        }
        var httpResponse = encoded(response)
        if let bucketStatus, route.sendsRateLimitHeaders {
            Self.addRateLimitHeaders(bucketStatus, to: &httpResponse.response.headers)
        }
        return answer(httpResponse, requestBody: rawBody)
    }

    /// Applies an injected fault: latency delays the request; 429s and 5xx answer it.
    private func apply(_ fault: FaultBook.RouteFault, route: RESTRoute) async -> (response: Response, body: [UInt8])? {
        switch fault.kind {
        case .latency:
            try? await Task.sleep(for: .milliseconds(min(max(fault.latencyMilliseconds ?? 100, 0), 60_000)))
            return nil
        case .serverError:
            let status = fault.status ?? 502
            let body = Data(#"{"message": "\#(status): Server Error", "code": 0}"#.utf8)
            return encoded(.json(status: status, body: body))
        case .rateLimit:
            let scope = fault.scope ?? "user"
            let retryAfter = fault.retryAfterSeconds ?? 1
            var response = Self.rateLimited(scope: scope, retryAfter: retryAfter, bucket: nil)
            if scope != "global", let bucket = route.bucket {
                let now = Date().timeIntervalSince1970
                Self.addRateLimitHeaders(
                    .init(
                        limit: 1, remaining: 0, resetAt: now + retryAfter, resetAfter: retryAfter,
                        bucketHash: RESTRateLimiter.bucketHash(bucket)), to: &response.response.headers)
            }
            // A test of hostile headers replaces any of them with its own text.
            for (name, value) in fault.headers ?? [:] {
                if let field = HTTPField.Name(name) { response.response.headers[field] = value }
            }
            core.withState { state in
                state.countRateLimited(scope: scope, now: Date().timeIntervalSince1970)
            }
            return response
        }
    }

    private func record(
        method: String, path: String, bucket: String?, _ response: Response, isControl: Bool = false
    ) -> Response {
        guard !isControl else { return response }
        core.withState { state in
            state.records.totalRequests += 1
            state.records.append(
                EmulatorRecords.RESTCall(
                    method: method, path: path, bucket: bucket, status: Int(response.status.code),
                    at: Date().timeIntervalSince1970), to: \.restCalls)
        }
        return response
    }

    func http(_ response: RESTResponse) -> Response { encoded(response).response }

    /// The HTTP response and the bytes of its body (kept for the exchange records).
    func encoded(_ response: RESTResponse) -> (response: Response, body: [UInt8]) {
        var headers = HTTPFields()
        switch response {
        case .json(let status, let body):
            headers[.contentType] = "application/json"
            return (
                Response(
                    status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body))),
                Array(body)
            )
        case .noContent:
            return (Response(status: .noContent), [])
        case .error(let error):
            headers[.contentType] = "application/json"
            let body = (try? JSONEncoder().encode(error.body)) ?? Data()
            return (
                Response(
                    status: .init(code: error.status), headers: headers,
                    body: .init(byteBuffer: ByteBuffer(bytes: body))),
                Array(body)
            )
        case .redirect(let location):
            headers[.location] = location
            return (Response(status: .found, headers: headers), [])
        case .rateLimited(let scope, let retryAfter, let bucket):
            return Self.rateLimited(scope: scope, retryAfter: retryAfter, bucket: bucket)
        case .file(let contentType, let body):
            headers[.contentType] = contentType
            return (Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body))), [])
        case .html(let status, let body):
            headers[.contentType] = "text/html; charset=utf-8"
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:"
            return (
                Response(
                    status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body))),
                Array(body.utf8)
            )
        }
    }

    static func addRateLimitHeaders(_ status: RESTRateLimiter.BucketStatus, to headers: inout HTTPFields) {
        headers[HTTPField.Name("X-RateLimit-Limit")!] = String(status.limit)
        headers[HTTPField.Name("X-RateLimit-Remaining")!] = String(status.remaining)
        headers[HTTPField.Name("X-RateLimit-Reset")!] = String(format: "%.3f", status.resetAt)
        headers[HTTPField.Name("X-RateLimit-Reset-After")!] = String(format: "%.3f", status.resetAfter)
        headers[HTTPField.Name("X-RateLimit-Bucket")!] = status.bucketHash
    }

    /// Whole seconds, rounded up, as Discord writes `Retry-After`. A fault may ask for any value (a test of how
    /// the bot handles absurd headers), so the text is formatted, never converted to `Int`.
    static func retryAfterHeader(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds.isNaN ? "0" : (seconds > 0 ? "inf" : "0") }
        return String(format: "%.0f", max(0, seconds.rounded(.up)))
    }

    /// A 429 as Discord sends it: JSON body, `Retry-After`, `X-RateLimit-Scope`, `Via`.
    static func rateLimited(
        scope: String, retryAfter: Double, bucket: RESTRateLimiter.BucketStatus?
    ) -> (response: Response, body: [UInt8]) {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.retryAfter] = retryAfterHeader(retryAfter)
        headers[HTTPField.Name("X-RateLimit-Scope")!] = scope
        headers[HTTPField.Name("Via")!] = "1.1 google"
        if scope == "global" {
            headers[HTTPField.Name("X-RateLimit-Global")!] = "true"
        }
        if let bucket {
            addRateLimitHeaders(bucket, to: &headers)
        }
        let message = scope == "shared" ? "The resource is being rate limited." : "You are being rate limited."
        let body = RateLimitedBody(
            message: message, retryAfter: (retryAfter * 1000).rounded() / 1000, global: scope == "global", code: 0)
        let data = (try? DiscordJSON.makeEncoder().encode(body)) ?? Data()
        return (
            Response(status: .tooManyRequests, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data))),
            Array(data)
        )
    }
}
