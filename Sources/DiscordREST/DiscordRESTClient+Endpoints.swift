public import AetheriaPorts
public import DiscordModels
import Foundation
import NIOHTTP1

/// Typed calls for every endpoint Aetheria uses. Routes carry the template and major parameter that the
/// rate limiter keys buckets by.
extension DiscordRESTClient {
    private static func encode<Body: Encodable>(_ body: Body) -> Data? {
        try? DiscordJSON.makeEncoder().encode(body)
    }

    private static func route(
        _ template: String, _ major: some CustomStringConvertible = "", exempt: Bool = false
    )
        -> RateLimitRoute
    {
        RateLimitRoute(template: template, majorParameter: major.description, isExemptFromGlobalLimit: exempt)
    }

    // MARK: - Gateway and users

    public func getGatewayBot() async throws(DiscordRESTError) -> GatewayBotInfo {
        try await send(
            .init(method: .GET, path: "/gateway/bot", route: Self.route("GET /gateway/bot")), as: GatewayBotInfo.self)
    }

    public func getCurrentUser() async throws(DiscordRESTError) -> User {
        try await send(.init(method: .GET, path: "/users/@me", route: Self.route("GET /users/@me")), as: User.self)
    }

    /// The dashboard's logged-in user (OAuth2 `identify`).
    public func getCurrentUser(bearerToken: String) async throws(DiscordRESTError) -> User {
        var request = Request(method: .GET, path: "/users/@me", route: Self.route("GET /users/@me (bearer)"))
        request.bearerToken = bearerToken
        return try await send(request, as: User.self)
    }

    /// The dashboard user's guilds with their permissions (OAuth2 `guilds`).
    public func getCurrentUserGuilds(bearerToken: String) async throws(DiscordRESTError) -> [PartialGuild] {
        var request = Request(
            method: .GET, path: "/users/@me/guilds", route: Self.route("GET /users/@me/guilds (bearer)"))
        request.bearerToken = bearerToken
        return try await send(request, as: [PartialGuild].self)
    }

    /// The guilds the bot is in, a page at a time (at most 200, IDs above `after`, in ID order).
    public func getBotGuilds(after: GuildID?, limit: Int = 200) async throws(DiscordRESTError) -> [PartialGuild] {
        var request = Request(method: .GET, path: "/users/@me/guilds", route: Self.route("GET /users/@me/guilds"))
        request.query = [("limit", String(min(max(limit, 1), 200)))]
        if let after { request.query.append(("after", after.description)) }
        return try await send(request, as: [PartialGuild].self)
    }

    /// The dashboard's login: exchanges an authorization code for a user token. Form-encoded, as Discord
    /// requires; the client secret travels only in the body.
    public func exchangeAuthorizationCode(
        code: String, redirectURI: String, clientID: String, clientSecret: String
    )
        async throws(DiscordRESTError) -> OAuthToken
    {
        func encoded(_ value: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }
        let form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("client_id", clientID), ("client_secret", clientSecret),
        ].map { "\($0.0)=\(encoded($0.1))" }.joined(separator: "&")
        var request = Request(
            method: .POST, path: "/oauth2/token", route: Self.route("POST /oauth2/token"), body: Data(form.utf8))
        request.authenticated = false
        request.contentType = "application/x-www-form-urlencoded"
        return try await send(request, as: OAuthToken.self)
    }

    // MARK: - Guilds

    /// The guild with its roles (Discord's `GET /guilds/{id}`; channels come from `getGuildChannels`).
    public func getGuild(_ guildID: GuildID) async throws(DiscordRESTError) -> Guild {
        try await send(
            .init(method: .GET, path: "/guilds/\(guildID)", route: Self.route("GET /guilds/{guild}", guildID)),
            as: Guild.self)
    }

    public func getGuildChannels(_ guildID: GuildID) async throws(DiscordRESTError) -> [Channel] {
        try await send(
            .init(
                method: .GET, path: "/guilds/\(guildID)/channels",
                route: Self.route("GET /guilds/{guild}/channels", guildID)),
            as: [Channel].self)
    }

    public func getGuildRoles(_ guildID: GuildID) async throws(DiscordRESTError) -> [Role] {
        try await send(
            .init(
                method: .GET, path: "/guilds/\(guildID)/roles", route: Self.route("GET /guilds/{guild}/roles", guildID)),
            as: [Role].self)
    }

    public func getGuildMember(_ guildID: GuildID, _ userID: UserID) async throws(DiscordRESTError) -> GuildMember {
        try await send(
            .init(
                method: .GET, path: "/guilds/\(guildID)/members/\(userID)",
                route: Self.route("GET /guilds/{guild}/members/{user}", guildID)), as: GuildMember.self)
    }

    /// Members whose username or nickname starts with `query` (Search Guild Members; no privileged intent).
    public func searchGuildMembers(
        _ guildID: GuildID, query: String, limit: Int = 10
    ) async throws(DiscordRESTError) -> [GuildMember] {
        var request = Request(
            method: .GET, path: "/guilds/\(guildID)/members/search",
            route: Self.route("GET /guilds/{guild}/members/search", guildID))
        request.query = [("query", String(query.prefix(100))), ("limit", String(min(1_000, max(1, limit))))]
        return try await send(request, as: [GuildMember].self)
    }

    // MARK: - Channels

    public func createGuildChannel(
        _ guildID: GuildID, _ body: CreateChannelRequest, reason: String? = nil
    )
        async throws(DiscordRESTError) -> Channel
    {
        try await send(
            .init(
                method: .POST, path: "/guilds/\(guildID)/channels",
                route: Self.route("POST /guilds/{guild}/channels", guildID),
                body: Self.encode(body), auditLogReason: reason), as: Channel.self)
    }

    public func getChannel(_ channelID: ChannelID) async throws(DiscordRESTError) -> Channel {
        try await send(
            .init(
                method: .GET, path: "/channels/\(channelID)", route: Self.route("GET /channels/{channel}", channelID)),
            as: Channel.self)
    }

    public func modifyChannel(
        _ channelID: ChannelID, _ body: ModifyChannelRequest, reason: String? = nil
    )
        async throws(DiscordRESTError) -> Channel
    {
        try await send(
            .init(
                method: .PATCH, path: "/channels/\(channelID)",
                route: Self.route("PATCH /channels/{channel}", channelID),
                body: Self.encode(body), auditLogReason: reason), as: Channel.self)
    }

    @discardableResult
    public func deleteChannel(_ channelID: ChannelID, reason: String? = nil) async throws(DiscordRESTError) -> Channel {
        try await send(
            .init(
                method: .DELETE, path: "/channels/\(channelID)",
                route: Self.route("DELETE /channels/{channel}", channelID),
                auditLogReason: reason), as: Channel.self)
    }

    public func editChannelPermission(
        _ channelID: ChannelID, _ overwrite: PermissionOverwrite, reason: String? = nil
    )
        async throws(DiscordRESTError)
    {
        struct Body: Encodable {
            var type: Int
            var allow: Permissions
            var deny: Permissions
        }
        let body = Body(type: overwrite.type.rawValue, allow: overwrite.allow, deny: overwrite.deny)
        try await send(
            .init(
                method: .PUT, path: "/channels/\(channelID)/permissions/\(overwrite.id)",
                route: Self.route("PUT /channels/{channel}/permissions/{overwrite}", channelID),
                body: Self.encode(body),
                auditLogReason: reason))
    }

    public func deleteChannelPermission(
        _ channelID: ChannelID, target: MentionableID, reason: String? = nil
    )
        async throws(DiscordRESTError)
    {
        try await send(
            .init(
                method: .DELETE, path: "/channels/\(channelID)/permissions/\(target)",
                route: Self.route("DELETE /channels/{channel}/permissions/{overwrite}", channelID),
                auditLogReason: reason))
    }

    // MARK: - Messages

    public func createMessage(
        _ channelID: ChannelID, _ message: MessageRequest
    ) async throws(DiscordRESTError) -> Message {
        try await send(
            .init(
                method: .POST, path: "/channels/\(channelID)/messages",
                route: Self.route("POST /channels/{channel}/messages", channelID), body: Self.encode(message)),
            as: Message.self)
    }

    /// A message with files: a multipart body whose `payload_json` lists them as `attachments`.
    public func createMessage(
        _ channelID: ChannelID, _ message: MessageRequest, files: [FileUpload]
    ) async throws(DiscordRESTError) -> Message {
        guard !files.isEmpty else { return try await createMessage(channelID, message) }
        var message = message
        message.attachments = files.enumerated().map { AttachmentReference(id: $0, filename: $1.filename) }
        let (body, contentType) = FileUpload.multipartBody(payload: Self.encode(message) ?? Data(), files: files)
        var request = Request(
            method: .POST, path: "/channels/\(channelID)/messages",
            route: Self.route("POST /channels/{channel}/messages", channelID), body: body)
        request.contentType = contentType
        return try await send(request, as: Message.self)
    }

    /// The DM channel with a user (Discord returns the same one every time).
    public func createDirectMessageChannel(_ recipientID: UserID) async throws(DiscordRESTError) -> Channel {
        struct Body: Encodable { var recipientId: UserID }
        return try await send(
            .init(
                method: .POST, path: "/users/@me/channels", route: Self.route("POST /users/@me/channels"),
                body: Self.encode(Body(recipientId: recipientID))),
            as: Channel.self)
    }

    public func editMessage(
        _ channelID: ChannelID, _ messageID: MessageID, _ message: MessageRequest
    )
        async throws(DiscordRESTError) -> Message
    {
        try await send(
            .init(
                method: .PATCH, path: "/channels/\(channelID)/messages/\(messageID)",
                route: Self.route("PATCH /channels/{channel}/messages/{message}", channelID), body: Self.encode(message)
            ),
            as: Message.self)
    }

    public func deleteMessage(
        _ channelID: ChannelID, _ messageID: MessageID, reason: String? = nil
    )
        async throws(DiscordRESTError)
    {
        try await send(
            .init(
                method: .DELETE, path: "/channels/\(channelID)/messages/\(messageID)",
                route: Self.route("DELETE /channels/{channel}/messages/{message}", channelID), auditLogReason: reason))
    }

    /// One page of history, newest first (Discord's order), at most 100.
    public func getMessages(
        _ channelID: ChannelID, anchor: MessageAnchor? = nil, limit: Int = 100
    )
        async throws(DiscordRESTError) -> [Message]
    {
        var request = Request(
            method: .GET, path: "/channels/\(channelID)/messages",
            route: Self.route("GET /channels/{channel}/messages", channelID))
        request.query = [("limit", String(min(100, max(1, limit))))]
        switch anchor {
        case .before(let id): request.query.append(("before", id.description))
        case .after(let id): request.query.append(("after", id.description))
        case .around(let id): request.query.append(("around", id.description))
        case nil: break
        }
        return try await send(request, as: [Message].self)
    }

    /// The whole history of a channel, oldest first, fetched in pages of 100.
    public func getAllMessages(
        _ channelID: ChannelID, maximum: Int = 50_000
    ) async throws(DiscordRESTError) -> [Message] {
        var collected: [Message] = []
        var anchor: MessageAnchor?
        while collected.count < maximum {
            let page = try await getMessages(channelID, anchor: anchor, limit: 100)
            collected.append(contentsOf: page)
            guard page.count == 100, let oldest = page.last else { break }
            anchor = .before(oldest.id)
        }
        return collected.reversed()
    }

    // MARK: - Commands and interactions

    public func getGlobalCommands(_ applicationID: ApplicationID) async throws(DiscordRESTError) -> [ApplicationCommand]
    {
        try await send(
            .init(
                method: .GET, path: "/applications/\(applicationID)/commands",
                route: Self.route("GET /applications/{application}/commands", applicationID)),
            as: [ApplicationCommand].self)
    }

    public func bulkOverwriteGlobalCommands(
        _ applicationID: ApplicationID, _ commands: [ApplicationCommand]
    )
        async throws(DiscordRESTError) -> [ApplicationCommand]
    {
        try await send(
            .init(
                method: .PUT, path: "/applications/\(applicationID)/commands",
                route: Self.route("PUT /applications/{application}/commands", applicationID),
                body: Self.encode(commands)),
            as: [ApplicationCommand].self)
    }

    public func createInteractionResponse(
        _ interactionID: InteractionID, token: String, _ response: InteractionResponse
    )
        async throws(DiscordRESTError)
    {
        var request = Request(
            method: .POST, path: "/interactions/\(interactionID)/\(token)/callback",
            route: Self.route("POST /interactions/{interaction}/{token}/callback", interactionID, exempt: true),
            body: Self.encode(response))
        request.authenticated = false
        try await send(request)
    }

    public func editOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String, _ message: MessageRequest
    )
        async throws(DiscordRESTError) -> Message
    {
        var request = Request(
            method: .PATCH, path: "/webhooks/\(applicationID)/\(token)/messages/@original",
            route: Self.route(
                "PATCH /webhooks/{application}/{token}/messages/@original", "\(applicationID):\(token)", exempt: true),
            body: Self.encode(message))
        request.authenticated = false
        return try await send(request, as: Message.self)
    }

    /// Removes the interaction's original response (a deferred ephemeral reply that has done its job).
    public func deleteOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String
    ) async throws(DiscordRESTError) {
        var request = Request(
            method: .DELETE, path: "/webhooks/\(applicationID)/\(token)/messages/@original",
            route: Self.route(
                "DELETE /webhooks/{application}/{token}/messages/@original", "\(applicationID):\(token)",
                exempt: true))
        request.authenticated = false
        _ = try await send(request)
    }

    public func createFollowupMessage(
        _ applicationID: ApplicationID, token: String, _ message: MessageRequest
    )
        async throws(DiscordRESTError) -> Message
    {
        var request = Request(
            method: .POST, path: "/webhooks/\(applicationID)/\(token)",
            route: Self.route("POST /webhooks/{application}/{token}", "\(applicationID):\(token)", exempt: true),
            body: Self.encode(message))
        request.authenticated = false
        return try await send(request, as: Message.self)
    }
}
