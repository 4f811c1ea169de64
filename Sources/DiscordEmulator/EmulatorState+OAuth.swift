import DiscordModels
import Foundation

extension EmulatorState {
    /// `GET /oauth2/authorize`: approves as the member named by `login_as` (an emulator extension) or the
    /// control API's default user, else shows a page to pick a seeded member. Redirects with `code` and `state`.
    mutating func authorizePage(query: [String: String]) -> RESTResponse {
        guard query["response_type"] == "code" else {
            return .html(status: 400, body: Self.page("Invalid OAuth2 request", "response_type must be code."))
        }
        guard query["client_id"] == applicationID.description else {
            return .html(
                status: 400,
                body: Self.page("Unknown application", "client_id does not match the emulated application."))
        }
        guard let redirectURI = query["redirect_uri"], let redirectURL = URLComponents(string: redirectURI),
            ["http", "https"].contains(redirectURL.scheme ?? "")
        else {
            return .html(
                status: 400, body: Self.page("Invalid OAuth2 redirect_uri", "redirect_uri must be an http(s) URL."))
        }
        let scopes = Set((query["scope"] ?? "").split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init))
        let chosen = query["login_as"].flatMap { UserID($0) } ?? oauth.defaultUserID
        guard let userID = chosen, users[userID] != nil, userID != botID else {
            return .html(status: 200, body: chooserPage(query: query))
        }
        let code = Self.randomHex(bytes: 15)
        oauth.codes[code] = OAuthBook.PendingCode(
            userID: userID, redirectURI: redirectURI, scopes: scopes, expiresAt: Date().addingTimeInterval(600))
        var target = redirectURL
        var items = target.queryItems ?? []
        items.append(URLQueryItem(name: "code", value: code))
        if let state = query["state"] { items.append(URLQueryItem(name: "state", value: state)) }
        target.queryItems = items
        return .redirect(location: target.string ?? redirectURI)
    }

    private func chooserPage(query: [String: String]) -> String {
        let members = guilds.values.flatMap { $0.members.keys }.filter { $0 != botID }
        let unique = Array(Set(members)).sorted().prefix(200)
        let links = unique.compactMap { userID -> String? in
            guard let user = users[userID] else { return nil }
            var items = query.map { URLQueryItem(name: $0.key, value: $0.value) }
            items.append(URLQueryItem(name: "login_as", value: userID.description))
            var components = URLComponents()
            components.path = "/oauth2/authorize"
            components.queryItems = items.sorted { $0.name < $1.name }
            let href = Self.escapeHTML(components.string ?? "")
            return #"<li><a href="\#(href)">\#(Self.escapeHTML(user.displayName)) (\#(user.id))</a></li>"#
        }
        return Self.page(
            "Authorize the application", "The local Discord emulator approves as the member you pick:",
            list: links.joined())
    }

    static func page(_ title: String, _ text: String, list: String = "") -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem}</style></head>
        <body><h1>\(escapeHTML(title))</h1><p>\(escapeHTML(text))</p><ul>\(list)</ul></body></html>
        """
    }

    static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `POST /api/oauth2/token` (and `/api/v10/oauth2/token`): form-encoded only, as Discord requires.
    mutating func oauthToken(_ request: RESTRequest) -> RESTResponse {
        guard request.contentType?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return Self.oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        }
        let form = Self.parseForm(request.rawBody)
        var clientID = form["client_id"]
        var clientSecret = form["client_secret"]
        if let authorization = request.authorization, authorization.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).flatMap({
                String(data: $0, encoding: .utf8)
            }),
            let colon = decoded.firstIndex(of: ":")
        {
            clientID = String(decoded[..<colon])
            clientSecret = String(decoded[decoded.index(after: colon)...])
        }
        guard clientID == applicationID.description, clientSecret == configuration.clientSecret else {
            records.countInvalidRequest(at: request.now.timeIntervalSince1970)
            return Self.oauthError(401, "invalid_client", nil)
        }
        let grant: OAuthBook.Grant
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"], let pending = oauth.codes.removeValue(forKey: code),
                pending.expiresAt > request.now
            else { return Self.oauthError(400, "invalid_grant", "Invalid \"code\" in request.") }
            guard form["redirect_uri"] == pending.redirectURI else {
                return Self.oauthError(400, "invalid_grant", "Invalid \"redirect_uri\" in request.")
            }
            grant = oauth.issue(userID: pending.userID, scopes: pending.scopes, now: request.now)
        case "refresh_token":
            guard let refresh = form["refresh_token"], let accessToken = oauth.accessTokenByRefreshToken[refresh],
                let previous = oauth.grantsByAccessToken[accessToken]
            else { return Self.oauthError(400, "invalid_grant", "Invalid \"refresh_token\" in request.") }
            oauth.revoke(token: accessToken)
            grant = oauth.issue(userID: previous.userID, scopes: previous.scopes, now: request.now)
        default:
            return Self.oauthError(400, "unsupported_grant_type", nil)
        }
        let body: JSONValue = .object([
            "access_token": .string(grant.accessToken), "token_type": .string("Bearer"),
            "expires_in": .number(604_800), "refresh_token": .string(grant.refreshToken),
            "scope": .string(grant.scopes.sorted().joined(separator: " ")),
        ])
        return .ok(body)
    }

    mutating func oauthRevoke(_ request: RESTRequest) -> RESTResponse {
        let form = Self.parseForm(request.rawBody)
        if let token = form["token"] { oauth.revoke(token: token) }
        return .ok(JSONValue.object([:]))
    }

    static func oauthError(_ status: Int, _ error: String, _ description: String?) -> RESTResponse {
        var body: [String: JSONValue] = ["error": .string(error)]
        if let description { body["error_description"] = .string(description) }
        let data = (try? JSONEncoder().encode(JSONValue.object(body))) ?? Data()
        return .json(status: status, body: data)
    }

    static func parseForm(_ body: [UInt8]) -> [String: String] {
        let text = String(decoding: body, as: UTF8.self)
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            guard let key = parts.first else { continue }
            form[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return form
    }

    // MARK: - Users

    mutating func currentUser(_ request: RESTRequest) -> RESTResponse {
        switch request.identity {
        case .bot: return .ok(botUser.asCurrentUser)
        case .bearer(let userID, let scopes):
            guard scopes.contains("identify"), let user = users[userID] else { return .error(.unauthorized) }
            return .ok(user.asCurrentUser)
        case .anonymous: return .error(.unauthorized)
        }
    }

    mutating func currentUserGuilds(_ request: RESTRequest) -> RESTResponse {
        let userID: UserID
        switch request.identity {
        case .bot: userID = botID
        case .bearer(let id, let scopes):
            guard scopes.contains("guilds") else { return .error(.unauthorized) }
            userID = id
        case .anonymous: return .error(.unauthorized)
        }
        var validator = FormValidator()
        let limit =
            validator.integer(request.query["limit"].map { .number(Double($0) ?? .nan) }, at: "limit", range: 1...200)
            ?? 200
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        let before = request.query["before"].flatMap { GuildID($0) }
        let after = request.query["after"].flatMap { GuildID($0) }
        let memberGuilds = guilds.values.filter { $0.members[userID] != nil }.sorted { $0.id < $1.id }
            .filter { guild in (before.map { guild.id < $0 } ?? true) && (after.map { guild.id > $0 } ?? true) }
        let page = memberGuilds.prefix(limit).map { guild in
            PartialGuild(
                id: guild.id, name: guild.name, owner: guild.ownerID == userID,
                permissions: guild.basePermissions(of: userID))
        }
        return .ok(Array(page))
    }

    mutating func getUser(_ request: RESTRequest) -> RESTResponse {
        guard let userID = request.id("user", as: UserEntity.self), let user = users[userID] else {
            return .error(.unknownUser)
        }
        return .ok(user)
    }

    mutating func currentAuthorization(_ request: RESTRequest) -> RESTResponse {
        guard case .bearer(let userID, let scopes) = request.identity else { return .error(.unauthorized) }
        var body: [String: JSONValue] = [
            "application": .object(applicationObject(includingPrivateFields: false)),
            "scopes": .array(scopes.sorted().map(JSONValue.string)),
            "expires": .string(DiscordTimestamp.string(from: Date().addingTimeInterval(604_800))),
        ]
        if scopes.contains("identify"), let user = users[userID],
            let data = try? DiscordJSON.makeEncoder().encode(user), let value = JSONValue.parse(data)
        {
            body["user"] = value
        }
        return .ok(JSONValue.object(body))
    }
}
