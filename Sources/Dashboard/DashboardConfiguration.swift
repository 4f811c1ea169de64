public import Foundation

/// How the dashboard listens and how it logs people in.
public struct DashboardConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The address users reach (for the OAuth2 redirect URI and links).
    public var publicURL: URL
    /// Discord's authorize page (the emulator's in tests and the demo).
    public var authorizeURL: URL
    public var clientID: String
    /// `Secure` cookies; turn off only for plain-HTTP local use (the demo on 127.0.0.1).
    public var secureCookies: Bool
    /// When set, `/metrics` requires `Authorization: Bearer <token>`.
    public var metricsToken: String?
    public var sessionLifetime: Duration = .seconds(7 * 86_400)
    /// Login attempts allowed per client address, and form posts per user, per minute.
    public var postsPerMinute = 30
    /// Guild pages (including live updates and chart refreshes) per user per minute.
    public var guildPagesPerMinute = 240
    public var maximumBodyBytes = 64 * 1024

    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: URL, authorizeURL: URL, clientID: String,
        secureCookies: Bool = true, metricsToken: String? = nil
    ) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.authorizeURL = authorizeURL
        self.clientID = clientID
        self.secureCookies = secureCookies
        self.metricsToken = metricsToken
    }

    var redirectURI: String { publicURL.absoluteString.trimmingSuffix("/") + "/oauth/callback" }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
