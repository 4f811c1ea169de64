public import AetheriaPorts
public import DiscordModels
import Foundation
import TicketCore

/// Logged-in users, kept on the server in the configured store (SQLite or Redis), so sessions survive a
/// restart and work across processes: the cookie holds only a random ID. Each session has its own CSRF
/// token. OAuth2 login states live there too, each usable once.
struct DashboardSessions: Sendable {
    struct Session: Sendable, Codable {
        var id: String
        var userID: UserID
        var username: String
        var guilds: [PartialGuild]
        var csrfToken: String
        var expiresAt: Date
    }

    let store: any ExpiringRecordStore
    let lifetime: TimeInterval

    init(store: any ExpiringRecordStore, lifetime: Duration) {
        self.store = store
        self.lifetime = Double(lifetime.components.seconds)
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    func newLoginState(now: Date) async throws -> String {
        let nonce = Self.randomToken()
        try await store.put("oauth-state:\(nonce)", [1], expiresAt: now.addingTimeInterval(600))
        return nonce
    }

    /// A state is good once, and only within 10 minutes.
    func consumeLoginState(_ nonce: String, now: Date) async -> Bool {
        guard nonce.count == 64, nonce.allSatisfy(\.isHexDigit) else { return false }
        return (try? await store.take("oauth-state:\(nonce)", now: now)) != nil
    }

    /// A new session (a new ID at every login, so an ID planted before login is worthless).
    func create(userID: UserID, username: String, guilds: [PartialGuild], now: Date) async throws -> Session {
        let session = Session(
            id: Self.randomToken(), userID: userID, username: username, guilds: guilds, csrfToken: Self.randomToken(),
            expiresAt: now.addingTimeInterval(lifetime))
        try await store.put(
            "session:\(session.id)", Array(try JSONEncoder().encode(session)), expiresAt: session.expiresAt)
        return session
    }

    func session(_ id: String?, now: Date) async -> Session? {
        guard let id, id.count == 64, id.allSatisfy(\.isHexDigit),
            let bytes = try? await store.get("session:\(id)", now: now),
            let session = try? JSONDecoder().decode(Session.self, from: Data(bytes)), session.expiresAt > now
        else { return nil }
        return session
    }

    func end(_ id: String) async {
        try? await store.delete("session:\(id)")
    }
}
