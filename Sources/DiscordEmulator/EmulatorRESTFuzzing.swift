import DiscordModels
import Foundation

/// The emulator's REST handlers fed arbitrary requests, for the `emulator-rest` fuzz target: the emulator is
/// part of the product (every test leans on it), so what a client sends it must not trap it either.
package enum EmulatorRESTFuzzing {
    /// A seeded world, copied for every input (the handlers mutate it).
    private static let seeded: EmulatorState = {
        var configuration = EmulatorConfiguration()
        configuration.guilds = 1
        var state = EmulatorState(configuration: configuration)
        var seeder = WorldSeeder(seed: configuration.seed)
        seeder.seed(&state)
        return state
    }()

    private static let methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]

    /// Input: a method byte, then the path after `/api/v10` up to a `0xFF`, then the JSON body.
    package static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let rest = bytes.dropFirst()
        let split = rest.firstIndex(of: 0xFF) ?? rest.endIndex
        let path = String(decoding: rest[..<split], as: UTF8.self)
        let rawBody = Array(rest[split...].dropFirst())
        let method = methods[Int(first) % methods.count]
        var state = seeded
        // Placeholders for IDs the world holds, so the fuzzer reaches the handlers behind an ID lookup:
        // G guild, C text channel, R role, U member, M message.
        let guild = state.guilds.values.min { $0.id < $1.id }
        let channel = guild?.channels.values.filter { $0.type == .guildText }.min { $0.id < $1.id }
        let message = channel.flatMap { state.messages[$0.id]?.first }
        let placeholders: [String: String] = [
            "G": guild.map { "\($0.id)" } ?? "1", "C": channel.map { "\($0.id)" } ?? "1",
            "R": guild?.roles.keys.max().map { "\($0)" } ?? "1", "U": guild?.members.keys.max().map { "\($0)" } ?? "1",
            "M": message.map { "\($0.id)" } ?? "1",
        ]
        let segments = path.split(separator: "/").map { Substring(placeholders[String($0)] ?? String($0)) }
        guard
            let (route, parameters) = RESTRoutes.all.lazy.compactMap({ route -> (RESTRoute, [String: String])? in
                guard route.method == method, let matched = route.match(segments) else { return nil }
                return (route, matched)
            }).first
        else { return }
        let request = RESTRequest(
            method: method, path: "/api/v10" + path, parameters: parameters, query: [:],
            body: JSONValue.parse(Data(rawBody)), rawBody: rawBody, contentType: "application/json",
            auditLogReason: nil, identity: .anonymous, authorization: "Bot \(state.configuration.botToken)",
            now: Date(timeIntervalSince1970: 1_750_000_000))
        _ = state.handle(request, route: route, isControl: false)
    }
}
