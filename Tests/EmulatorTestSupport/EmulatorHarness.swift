public import AsyncHTTPClient
public import DiscordEmulator
public import DiscordModels
public import EmulatorControl
public import Foundation
import Logging
import NIOCore
public import NIOHTTP1
import Testing

/// Runs a `LocalDiscord` on free loopback ports for the duration of a test, and talks to it over HTTP the
/// way any client would.
public struct EmulatorHarness: Sendable {
    public let emulator: LocalDiscord
    public let endpoints: LocalDiscord.Endpoints
    public var token: String { emulator.configuration.botToken }

    public static func testConfiguration(
        _ adjust: (inout EmulatorConfiguration) -> Void = { _ in }
    ) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.gatewayPort = 0
        configuration.guilds = 3
        configuration.identifyWindow = .milliseconds(0)
        adjust(&configuration)
        return configuration
    }

    public static func run<Result: Sendable>(
        _ adjust: (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: @Sendable (EmulatorHarness) async throws -> Result
    ) async throws -> Result {
        let emulator = LocalDiscord(
            configuration: testConfiguration(adjust),
            logger: Logger(label: "test.emulator", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await emulator.run()
                return nil
            }
            let harness = EmulatorHarness(emulator: emulator, endpoints: try await emulator.endpoints())
            do {
                let result = try await body(harness)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    // MARK: - HTTP

    public static let httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    public struct HTTPResult: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        public var json: JSONValue? { JSONValue.parse(body) }

        public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try DiscordJSON.makeDecoder().decode(type, from: body)
        }

        /// The error body with field paths, decoded as a client would (no key conversion).
        public var error: DiscordErrorBody? { try? JSONDecoder().decode(DiscordErrorBody.self, from: body) }
    }

    /// Sends a request to `path` (relative to `http://HOST:PORT`), with the bot token unless told otherwise.
    public func request(
        _ method: HTTPMethod, _ path: String, json: String? = nil, authorization: String? = "bot",
        contentType: String? = "application/json", body: String? = nil
    ) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: endpoints.origin.absoluteString + path)
        request.method = method
        switch authorization {
        case "bot": request.headers.add(name: "Authorization", value: "Bot \(token)")
        case .some(let value): request.headers.add(name: "Authorization", value: value)
        case .none: break
        }
        request.headers.add(name: "User-Agent", value: "DiscordBot (https://example.invalid, 1.0)")
        if let payload = json ?? body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(string: payload))
        }
        // Redirects are part of what tests check (OAuth2), so the client never follows them.
        let response = try await Self.httpClient.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return HTTPResult(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// `/api/v10` + `path` as the bot.
    public func api(
        _ method: HTTPMethod, _ path: String, json: String? = nil, authorization: String? = "bot"
    ) async throws
        -> HTTPResult
    {
        try await request(method, "/api/v10" + path, json: json, authorization: authorization)
    }

    /// The emulator's control API, typed: the same client the demo and the load test use.
    public var controlAPI: EmulatorControlClient {
        EmulatorControlClient(baseURL: endpoints.controlURL, httpClient: Self.httpClient)
    }

    /// `/_emulator` + `path` as it answered, for the tests of the control API itself and for records that
    /// have no typed call.
    public func control(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> HTTPResult {
        let response = try await controlAPI.send(method, path, json: json)
        return HTTPResult(status: response.status, headers: response.headers, body: response.body)
    }

    // MARK: - The seeded world

    public struct SeededGuild: Sendable {
        public var guild: Guild
        public var id: GuildID { guild.id }
        public var roles: [Role] { guild.roles ?? [] }
        public var channels: [DiscordModels.Channel] { guild.channels ?? [] }
        public var members: [GuildMember] { guild.members ?? [] }

        public func role(named name: String) -> Role? { roles.first { $0.name == name } }
        public func channel(named name: String) -> DiscordModels.Channel? { channels.first { $0.name == name } }
        public var owner: UserID { guild.ownerId! }
        /// Seeded members: owner, admin, two staff, then ordinary members (in that order of creation).
        public var ordinaryMembers: [UserID] {
            members.compactMap { $0.user?.id }.filter { id in
                id != owner && id != EmulatorConfiguration.botUserID
                    && !(members.first { $0.user?.id == id }?.roles.isEmpty == false)
            }
        }
    }

    public func guilds() async throws -> [SeededGuild] {
        var result: [SeededGuild] = []
        for id in try await controlAPI.guildIDs() {
            result.append(SeededGuild(guild: try await controlAPI.guild(id)))
        }
        return result
    }
}
