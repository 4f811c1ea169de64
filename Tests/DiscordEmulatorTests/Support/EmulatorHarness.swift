import AsyncHTTPClient
import DiscordModels
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import DiscordEmulator

/// Runs a `LocalDiscord` on free loopback ports for the duration of a test, and talks to it over HTTP the
/// way any client would.
struct EmulatorHarness: Sendable {
    let emulator: LocalDiscord
    let endpoints: LocalDiscord.Endpoints
    var token: String { emulator.configuration.botToken }

    static func testConfiguration(_ adjust: (inout EmulatorConfiguration) -> Void = { _ in }) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.gatewayPort = 0
        configuration.guilds = 3
        configuration.identifyWindow = .milliseconds(0)
        adjust(&configuration)
        return configuration
    }

    static func run<Result: Sendable>(
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
            let harness = EmulatorHarness(emulator: emulator, endpoints: await emulator.endpoints())
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

    static let httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    struct HTTPResult: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        var json: JSONValue? { JSONValue.parse(body) }

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try DiscordJSON.makeDecoder().decode(type, from: body)
        }

        /// The error body with field paths, decoded as a client would (no key conversion).
        var error: DiscordErrorBody? { try? JSONDecoder().decode(DiscordErrorBody.self, from: body) }
    }

    /// Sends a request to `path` (relative to `http://HOST:PORT`), with the bot token unless told otherwise.
    func request(
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
    func api(
        _ method: HTTPMethod, _ path: String, json: String? = nil, authorization: String? = "bot"
    ) async throws
        -> HTTPResult
    {
        try await request(method, "/api/v10" + path, json: json, authorization: authorization)
    }

    /// `/_emulator` + `path`, the control API.
    func control(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> HTTPResult {
        try await request(method, "/_emulator" + path, json: json, authorization: nil)
    }

    // MARK: - The seeded world

    struct SeededGuild: Sendable {
        var guild: Guild
        var id: GuildID { guild.id }
        var roles: [Role] { guild.roles ?? [] }
        var channels: [DiscordModels.Channel] { guild.channels ?? [] }
        var members: [GuildMember] { guild.members ?? [] }

        func role(named name: String) -> Role? { roles.first { $0.name == name } }
        func channel(named name: String) -> DiscordModels.Channel? { channels.first { $0.name == name } }
        var owner: UserID { guild.ownerId! }
        /// Seeded members: owner, admin, two staff, then ordinary members (in that order of creation).
        var ordinaryMembers: [UserID] {
            members.compactMap { $0.user?.id }.filter { id in
                id != owner && id != EmulatorConfiguration.botUserID
                    && !(members.first { $0.user?.id == id }?.roles.isEmpty == false)
            }
        }
    }

    func guilds() async throws -> [SeededGuild] {
        let state = try await control(.GET, "/state")
        let ids = state.json?["guilds"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        var result: [SeededGuild] = []
        for id in ids {
            result.append(SeededGuild(guild: try await control(.GET, "/guilds/\(id)").decode(Guild.self)))
        }
        return result
    }
}
