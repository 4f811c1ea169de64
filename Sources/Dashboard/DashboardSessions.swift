public import DiscordModels
import Foundation
import Synchronization

/// Logged-in users, kept on the server: the cookie holds only a random ID. Each session has its own CSRF
/// token. (Kept in memory: a restart asks users to log in again.)
final class DashboardSessions: Sendable {
    struct Session: Sendable {
        var id: String
        var userID: UserID
        var username: String
        var guilds: [PartialGuild]
        var csrfToken: String
        var expiresAt: Date
    }

    private struct State {
        var sessions: [String: Session] = [:]
        /// OAuth2 `state` nonces waiting for their callback, with their expiry.
        var pendingStates: [String: Date] = [:]
    }

    private let state = Mutex(State())
    let lifetime: TimeInterval

    init(lifetime: Duration) {
        self.lifetime = Double(lifetime.components.seconds)
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    func newLoginState(now: Date) -> String {
        let nonce = Self.randomToken()
        state.withLock {
            $0.pendingStates = $0.pendingStates.filter { $0.value > now }
            $0.pendingStates[nonce] = now.addingTimeInterval(600)
        }
        return nonce
    }

    /// A state is good once, and only within 10 minutes.
    func consumeLoginState(_ nonce: String, now: Date) -> Bool {
        state.withLock { $0.pendingStates.removeValue(forKey: nonce).map { $0 > now } ?? false }
    }

    /// A new session (a new ID at every login, so an ID planted before login is worthless).
    func create(userID: UserID, username: String, guilds: [PartialGuild], now: Date) -> Session {
        let session = Session(
            id: Self.randomToken(), userID: userID, username: username, guilds: guilds, csrfToken: Self.randomToken(),
            expiresAt: now.addingTimeInterval(lifetime))
        state.withLock { $0.sessions[session.id] = session }
        return session
    }

    func session(_ id: String?, now: Date) -> Session? {
        guard let id else { return nil }
        return state.withLock { state in
            guard let session = state.sessions[id] else { return nil }
            guard session.expiresAt > now else {
                state.sessions[id] = nil
                return nil
            }
            return session
        }
    }

    func end(_ id: String) {
        _ = state.withLock { $0.sessions.removeValue(forKey: id) }
    }
}
