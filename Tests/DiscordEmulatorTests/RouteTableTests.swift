import DiscordModels
import EmulatorTestSupport
import Foundation
import NIOHTTP1
import Synchronization
import Testing

@testable import DiscordEmulator

/// Calls every REST route the emulator serves, the way a bot or a dashboard would, plus the errors Discord
/// documents for them. Under the test command (AETHERIA_EMULATOR_EXCHANGES) every answer is recorded and
/// `scripts/check-discord-schema.py` validates it against Discord's OpenAPI document. The route list is the
/// emulator's own table: a route added without a call here fails this test, so the schema check cannot drift.
@Suite("Every REST route the emulator serves, called once")
struct RouteTableTests {
    /// `METHOD template` of each call made, matched against `RESTRoutes.all`.
    final class Calls: Sendable {
        let made = Mutex<Set<String>>([])
        func note(_ method: HTTPMethod, _ template: String) {
            _ = made.withLock { $0.insert("\(method.rawValue) \(template)") }
        }
    }

    @Test("each route answers a valid request and a documented error, and no route is left out")
    func everyRoute() async throws {
        let calls = Calls()
        try await EmulatorHarness.run({ configuration in
            // Every bucket roomy: this test is about shapes, not limits.
            for bucket in configuration.routeLimits.keys {
                configuration.routeLimits[bucket] = RouteLimit(limit: 100, window: .seconds(1))
            }
        }) { harness in
            let guild = try #require(try await harness.guilds().first)
            let member = try #require(guild.ordinaryMembers.first)
            let application = EmulatorConfiguration.botUserID

            func expect(
                _ method: HTTPMethod, _ template: String, _ path: String, json: String? = nil,
                authorization: String? = "bot", status: Int
            ) async throws -> EmulatorHarness.HTTPResult {
                calls.note(method, template)
                let result = try await harness.api(method, path, json: json, authorization: authorization)
                #expect(
                    result.status == status,
                    "\(method) \(path): \(String(decoding: result.body, as: UTF8.self).prefix(300))")
                return result
            }

            _ = try await expect(.GET, "gateway", "/gateway", authorization: nil, status: 200)
            _ = try await expect(.GET, "gateway/bot", "/gateway/bot", status: 200)
            _ = try await expect(.GET, "gateway/bot", "/gateway/bot", authorization: "Bot wrong", status: 401)
            _ = try await expect(.GET, "users/@me", "/users/@me", status: 200)
            _ = try await expect(.GET, "users/@me/guilds", "/users/@me/guilds?limit=10", status: 200)
            _ = try await expect(.GET, "users/{user}", "/users/\(member)", status: 200)
            _ = try await expect(.GET, "users/{user}", "/users/1", status: 404)
            // A DM: opened, written to, then refused once the member turns DMs off (50007).
            let dm = try await expect(
                .POST, "users/@me/channels", "/users/@me/channels", json: #"{"recipient_id":"\#(member)"}"#,
                status: 200)
            let dmID = try #require(dm.json?["id"]?.stringValue)
            #expect(dm.json?["type"]?.intValue == 1)
            _ = try await expect(
                .POST, "users/@me/channels", "/users/@me/channels", json: #"{"recipient_id":"1"}"#, status: 404)
            _ = try await expect(.POST, "users/@me/channels", "/users/@me/channels", json: "{}", status: 400)
            _ = try await expect(
                .POST, "channels/{channel}/messages", "/channels/\(dmID)/messages",
                json: #"{"content":"Your ticket was closed"}"#, status: 200)
            _ = try await harness.control(.PATCH, "/users/\(member)", json: #"{"accepts_dms":false}"#)
            let refused = try await expect(
                .POST, "channels/{channel}/messages", "/channels/\(dmID)/messages", json: #"{"content":"again"}"#,
                status: 403)
            #expect(refused.json?["code"]?.intValue == 50007)
            _ = try await harness.control(.PATCH, "/users/\(member)", json: #"{"accepts_dms":true}"#)
            _ = try await expect(.GET, "oauth2/applications/@me", "/oauth2/applications/@me", status: 200)
            _ = try await expect(.GET, "applications/@me", "/applications/@me", status: 200)

            // OAuth2: a member logs in (authorize → token), then the bearer routes, then revocation.
            let redirect = "http://127.0.0.1:9/callback".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let authorize = try await harness.request(
                .GET,
                "/oauth2/authorize?response_type=code&client_id=\(application)&scope=identify%20guilds&state=s&redirect_uri=\(redirect)&login_as=\(member)",
                authorization: nil)
            let location = try #require(authorize.headers["Location"].first.flatMap(URLComponents.init(string:)))
            let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
            let secret = EmulatorConfiguration.developmentClientSecret
            calls.note(.POST, "oauth2/token")
            let token = try await harness.request(
                .POST, "/api/v10/oauth2/token", authorization: nil, contentType: "application/x-www-form-urlencoded",
                body:
                    "grant_type=authorization_code&code=\(code)&redirect_uri=\(redirect)&client_id=\(application)&client_secret=\(secret)"
            )
            #expect(token.status == 200)
            let accessToken = try #require(token.json?["access_token"]?.stringValue)
            _ = try await expect(.GET, "oauth2/@me", "/oauth2/@me", authorization: "Bearer \(accessToken)", status: 200)
            _ = try await expect(
                .GET, "users/@me", "/users/@me", authorization: "Bearer \(accessToken)", status: 200)
            calls.note(.POST, "oauth2/token/revoke")
            let revoked = try await harness.request(
                .POST, "/api/v10/oauth2/token/revoke", authorization: nil,
                contentType: "application/x-www-form-urlencoded",
                body: "token=\(accessToken)&client_id=\(application)&client_secret=\(secret)")
            #expect(revoked.status == 200)
            _ = try await expect(.GET, "oauth2/@me", "/oauth2/@me", authorization: "Bearer \(accessToken)", status: 401)

            // Application commands.
            let commands = "/applications/\(application)/commands"
            _ = try await expect(
                .PUT, "applications/{application}/commands", commands,
                json:
                    #"[{"name":"ticket-setup","description":"Post the ticket panel","default_member_permissions":"8"}]"#,
                status: 200)
            _ = try await expect(
                .PUT, "applications/{application}/commands", commands, json: #"[{"name":"x","description":""}]"#,
                status: 400)
            _ = try await expect(.GET, "applications/{application}/commands", commands, status: 200)

            // Guilds.
            _ = try await expect(.GET, "guilds/{guild}", "/guilds/\(guild.id)", status: 200)
            _ = try await expect(.GET, "guilds/{guild}", "/guilds/1", status: 404)
            _ = try await expect(.GET, "guilds/{guild}/channels", "/guilds/\(guild.id)/channels", status: 200)
            _ = try await expect(.GET, "guilds/{guild}/roles", "/guilds/\(guild.id)/roles", status: 200)
            let fetched = try await expect(
                .GET, "guilds/{guild}/members/{user}", "/guilds/\(guild.id)/members/\(member)", status: 200)
            // Searching by the start of the member's username, in another letter case: they are found.
            let username = try #require(
                (try JSONSerialization.jsonObject(with: Data(fetched.body)) as? [String: Any])
                    .flatMap { $0["user"] as? [String: Any] }?["username"] as? String)
            let search = "/guilds/\(guild.id)/members/search"
            let found = try await expect(
                .GET, "guilds/{guild}/members/search",
                search + "?query=\(username.prefix(2).uppercased())&limit=1000", status: 200)
            let foundIDs = (try JSONSerialization.jsonObject(with: Data(found.body)) as? [[String: Any]] ?? [])
                .compactMap { ($0["user"] as? [String: Any])?["id"] as? String }
            #expect(foundIDs.contains(member.description))
            _ = try await expect(.GET, "guilds/{guild}/members/search", search, status: 400)
            _ = try await expect(.GET, "guilds/{guild}/members/search", search + "?query=a&limit=0", status: 400)
            _ = try await expect(.GET, "guilds/{guild}/members/{user}", "/guilds/\(guild.id)/members/1", status: 404)
            let created = try await expect(
                .POST, "guilds/{guild}/channels", "/guilds/\(guild.id)/channels",
                json:
                    #"{"name":"ticket-0001","type":0,"topic":"Support","permission_overwrites":[{"id":"\#(member)","type":1,"allow":"1024","deny":"0"}]}"#,
                status: 201)
            _ = try await expect(
                .POST, "guilds/{guild}/channels", "/guilds/\(guild.id)/channels", json: #"{"type":0}"#, status: 400)
            let channel = try created.decode(DiscordModels.Channel.self).id

            // Channels and their overwrites.
            _ = try await expect(.GET, "channels/{channel}", "/channels/\(channel)", status: 200)
            _ = try await expect(.GET, "channels/{channel}", "/channels/1", status: 404)
            _ = try await expect(
                .PATCH, "channels/{channel}", "/channels/\(channel)", json: #"{"topic":"Closed"}"#, status: 200)
            _ = try await expect(
                .PUT, "channels/{channel}/permissions/{overwrite}", "/channels/\(channel)/permissions/\(member)",
                json: #"{"type":1,"allow":"0","deny":"2048"}"#, status: 204)
            _ = try await expect(
                .DELETE, "channels/{channel}/permissions/{overwrite}", "/channels/\(channel)/permissions/\(member)",
                status: 204)

            // Messages.
            let messages = "/channels/\(channel)/messages"
            let posted = try await expect(
                .POST, "channels/{channel}/messages", messages,
                json:
                    #"{"content":"Welcome","embeds":[{"title":"Ticket","fields":[{"name":"By","value":"a"}]}],"components":[{"type":1,"components":[{"type":2,"style":4,"label":"Close","custom_id":"close"}]}]}"#,
                status: 200)
            _ = try await expect(.POST, "channels/{channel}/messages", messages, json: #"{"content":""}"#, status: 400)
            let message = try posted.decode(Message.self).id
            let second = try await expect(
                .POST, "channels/{channel}/messages", messages, json: #"{"content":"two"}"#, status: 200
            ).decode(Message.self).id
            _ = try await expect(.GET, "channels/{channel}/messages", messages + "?limit=50", status: 200)
            _ = try await expect(.GET, "channels/{channel}/messages", messages + "?limit=500", status: 400)
            _ = try await expect(.GET, "channels/{channel}/messages/{message}", "\(messages)/\(message)", status: 200)
            _ = try await expect(.GET, "channels/{channel}/messages/{message}", "\(messages)/1", status: 404)
            _ = try await expect(
                .PATCH, "channels/{channel}/messages/{message}", "\(messages)/\(message)",
                json: #"{"content":"Edited"}"#,
                status: 200)
            _ = try await expect(
                .POST, "channels/{channel}/messages/bulk-delete", "\(messages)/bulk-delete",
                json: #"{"messages":["\#(message)","\#(second)"]}"#, status: 204)
            let third = try await expect(
                .POST, "channels/{channel}/messages", messages, json: #"{"content":"three"}"#, status: 200
            ).decode(Message.self).id
            _ = try await expect(.DELETE, "channels/{channel}/messages/{message}", "\(messages)/\(third)", status: 204)

            // Interactions: the callback, then the original response and a follow-up through the webhook routes.
            let click = try await InteractionTests.clickOpenButton(harness)
            let webhook = "/webhooks/\(application)/\(click.token)"
            _ = try await expect(
                .POST, "interactions/{interaction}/{token}/callback",
                "/interactions/\(click.id)/\(click.token)/callback?with_response=true",
                json: #"{"type":5,"data":{"flags":64}}"#, authorization: nil, status: 200)
            _ = try await expect(
                .POST, "interactions/{interaction}/{token}/callback",
                "/interactions/\(click.id)/\(click.token)/callback",
                json: #"{"type":5}"#, authorization: nil, status: 400)
            _ = try await expect(
                .PATCH, "webhooks/{application}/{token}/messages/@original", "\(webhook)/messages/@original",
                json: #"{"content":"Your ticket is ready"}"#, authorization: nil, status: 200)
            _ = try await expect(
                .GET, "webhooks/{application}/{token}/messages/@original", "\(webhook)/messages/@original",
                authorization: nil, status: 200)
            let followUp = try await expect(
                .POST, "webhooks/{application}/{token}", webhook, json: #"{"content":"One more thing","flags":64}"#,
                authorization: nil, status: 200
            ).decode(Message.self).id
            _ = try await expect(
                .GET, "webhooks/{application}/{token}/messages/{message}", "\(webhook)/messages/\(followUp)",
                authorization: nil, status: 200)
            _ = try await expect(
                .PATCH, "webhooks/{application}/{token}/messages/{message}", "\(webhook)/messages/\(followUp)",
                json: #"{"content":"Edited"}"#, authorization: nil, status: 200)
            _ = try await expect(
                .DELETE, "webhooks/{application}/{token}/messages/{message}", "\(webhook)/messages/\(followUp)",
                authorization: nil, status: 204)
            _ = try await expect(
                .DELETE, "webhooks/{application}/{token}/messages/@original", "\(webhook)/messages/@original",
                authorization: nil, status: 204)
            _ = try await expect(
                .GET, "webhooks/{application}/{token}/messages/@original",
                "/webhooks/\(application)/wrong/messages/@original",
                authorization: nil, status: 404)

            _ = try await expect(.DELETE, "channels/{channel}", "/channels/\(channel)", status: 200)
        }
        let served = Set(RESTRoutes.all.map { "\($0.method) \($0.template)" })
        let made = calls.made.withLock { $0 }
        #expect(served.subtracting(made).isEmpty, "routes never called: \(served.subtracting(made).sorted())")
        #expect(
            made.subtracting(served).isEmpty,
            "calls to routes the emulator does not serve: \(made.subtracting(served).sorted())")
    }
}
