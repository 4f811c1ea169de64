import DiscordModels
import Foundation

/// OAuth2 authorization codes and tokens for the dashboard's "Log in with Discord".
struct OAuthBook: Sendable {
    struct PendingCode: Sendable {
        var userID: UserID
        var redirectURI: String
        var scopes: Set<String>
        var expiresAt: Date
    }

    struct Grant: Sendable {
        var userID: UserID
        var scopes: Set<String>
        var accessToken: String
        var refreshToken: String
        var expiresAt: Date
    }

    var codes: [String: PendingCode] = [:]
    var grantsByAccessToken: [String: Grant] = [:]
    var accessTokenByRefreshToken: [String: String] = [:]
    /// Who `/oauth2/authorize` approves as when the request does not pick a member; set by the control API.
    var defaultUserID: UserID?

    func grant(forAccessToken token: String) -> Grant? {
        guard let grant = grantsByAccessToken[token], grant.expiresAt > Date() else { return nil }
        return grant
    }

    mutating func issue(userID: UserID, scopes: Set<String>, now: Date) -> Grant {
        let grant = Grant(
            userID: userID, scopes: scopes, accessToken: EmulatorState.randomHex(bytes: 15),
            refreshToken: EmulatorState.randomHex(bytes: 15), expiresAt: now.addingTimeInterval(604_800))
        grantsByAccessToken[grant.accessToken] = grant
        accessTokenByRefreshToken[grant.refreshToken] = grant.accessToken
        return grant
    }

    mutating func revoke(token: String) {
        let accessToken = accessTokenByRefreshToken[token] ?? token
        guard let grant = grantsByAccessToken.removeValue(forKey: accessToken) else { return }
        accessTokenByRefreshToken[grant.refreshToken] = nil
    }
}
