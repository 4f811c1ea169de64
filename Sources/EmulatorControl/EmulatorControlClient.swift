public import AsyncHTTPClient
public import DiscordEmulator
public import DiscordModels
public import Foundation
import NIOCore
import NIOFoundationCompat
public import NIOHTTP1

/// The one client of the emulator's control API (`/_emulator`, docs/emulator.md), used by the tests, the demo
/// and the load test: typed calls for what they do (read the world, act as members, read records, inject
/// faults, drive the firehose), and `send` for the tests of the control API itself.
///
/// A typed call that the emulator refuses throws `EmulatorControlError` with the status and Discord's error
/// message, so a test failure says what the emulator said instead of "nil".
public struct EmulatorControlClient: Sendable {
    /// `http://HOST:PORT/_emulator`.
    public let baseURL: URL
    private let httpClient: HTTPClient

    public init(baseURL: URL, httpClient: HTTPClient = .shared) {
        self.baseURL = baseURL
        self.httpClient = httpClient
    }

    /// A control API answer, as it came.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        public var json: JSONValue? { JSONValue.parse(body) }
        public var text: String { String(decoding: body, as: UTF8.self) }

        /// Decodes Discord's JSON (snake_case keys, Discord timestamps).
        public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try DiscordJSON.makeDecoder().decode(type, from: body)
        }
    }

    // MARK: - Transport

    /// `method` on `/_emulator` + `path`, with an optional JSON body. Never follows redirects.
    public func send(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL.absoluteString + path)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return Response(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// `send`, refusing anything but 2xx with the emulator's message.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> Response {
        let response = try await send(method, path, json: json)
        guard (200..<300).contains(response.status) else {
            throw EmulatorControlError(
                method: method.rawValue, path: path, status: response.status,
                message: response.json?["message"]?.stringValue ?? response.text)
        }
        return response
    }

    /// `call` with an `Encodable` body.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, body: some Encodable) async throws -> Response {
        // The control API speaks Discord's snake_case, like the REST API.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try await call(method, path, json: String(decoding: try encoder.encode(body), as: UTF8.self))
    }
}

/// The emulator refused a control call.
public struct EmulatorControlError: Error, CustomStringConvertible, Sendable {
    public var method: String
    public var path: String
    public var status: Int
    public var message: String

    public var description: String { "\(method) /_emulator\(path) answered \(status): \(message)" }
}
