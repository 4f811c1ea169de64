import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("OAuth2 for the dashboard")
struct OAuth2Tests {
    @Test("authorize redirects with code and the same state; the form-encoded exchange yields a Bearer token")
    func authorizationCodeFlow() async throws {
        try await EmulatorHarness.run { harness in
            let guild = try #require(try await harness.guilds().first)
            let redirect = "http://127.0.0.1:9/callback"
            let application = EmulatorConfiguration.botUserID
            let authorize = try await harness.request(
                .GET,
                "/oauth2/authorize?response_type=code&client_id=\(application)&scope=identify%20guilds&state=xyz123&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&login_as=\(guild.owner)",
                authorization: nil)
            #expect(authorize.status == 302)
            let location = try #require(authorize.headers["Location"].first.flatMap(URLComponents.init(string:)))
            #expect(location.path == "/callback")
            #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz123")
            let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

            let json = try await harness.request(
                .POST, "/api/oauth2/token", authorization: nil, contentType: "application/json",
                body: #"{"grant_type":"authorization_code","code":"\#(code)"}"#)
            #expect(json.status == 400)

            let secret = EmulatorConfiguration.developmentClientSecret
            let form =
                "grant_type=authorization_code&code=\(code)&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&client_id=\(application)&client_secret=\(secret)"
            let token = try await harness.request(
                .POST, "/api/oauth2/token", authorization: nil, contentType: "application/x-www-form-urlencoded",
                body: form)
            #expect(token.status == 200)
            #expect(token.json?["token_type"]?.stringValue == "Bearer")
            #expect(token.json?["scope"]?.stringValue == "guilds identify")
            let accessToken = try #require(token.json?["access_token"]?.stringValue)

            let reused = try await harness.request(
                .POST, "/api/v10/oauth2/token", authorization: nil, contentType: "application/x-www-form-urlencoded",
                body: form)
            #expect(reused.json?["error"]?.stringValue == "invalid_grant")

            let me = try await harness.api(.GET, "/users/@me", authorization: "Bearer \(accessToken)")
            #expect(try me.decode(User.self).id == guild.owner)
            let guilds = try await harness.api(.GET, "/users/@me/guilds", authorization: "Bearer \(accessToken)")
            let partial = try guilds.decode([PartialGuild].self)
            let owned = try #require(partial.first { $0.id == guild.id })
            #expect(owned.owner)
            #expect(owned.permissions == .all)
            // A bearer token is not a bot token.
            #expect(
                try await harness.api(.GET, "/guilds/\(guild.id)/channels", authorization: "Bearer \(accessToken)")
                    .status == 401)
        }
    }

    @Test("without a chosen member, authorize shows a page listing seeded members, escaped")
    func chooserPage() async throws {
        try await EmulatorHarness.run { harness in
            let application = EmulatorConfiguration.botUserID
            let page = try await harness.request(
                .GET,
                "/oauth2/authorize?response_type=code&client_id=\(application)&scope=identify&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=%22%3E%3Cscript%3E",
                authorization: nil)
            #expect(page.status == 200)
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("login_as="))
            #expect(!html.contains("<script>"))
        }
    }
}
