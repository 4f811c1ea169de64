import DiscordModels
import Foundation

/// The control API's operations: acting as Discord itself or as a human member, never as the bot.
extension EmulatorState {
    private static func controlError(_ message: String) -> RESTResponse {
        .error(DiscordAPIError(status: 400, code: 0, message: message))
    }

    func controlSummary(liveGatewayHandlers: Int) -> RESTResponse {
        let guildList: [JSONValue] = guilds.values.sorted { $0.id < $1.id }.map { guild in
            .object([
                "id": .string(guild.id.description), "name": .string(guild.name),
                "owner_id": .string(guild.ownerID.description),
                "member_count": .number(Double(guild.members.count)),
                "channel_count": .number(Double(guild.channels.count)),
            ])
        }
        return .ok(
            JSONValue.object([
                "bot_user_id": .string(botID.description), "application_id": .string(applicationID.description),
                "gateway_url": .string(gatewayURLForClients), "guilds": .array(guildList),
                "sessions": .number(Double(gateway.sessions.count)),
                "connections": .number(Double(gateway.connections.count)),
                "gateway_handlers_alive": .number(Double(liveGatewayHandlers)),
            ]))
    }

    /// Full guild state: roles, channels (with overwrites) and members with their user objects.
    func controlGuild(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self), let guild = guilds[guildID] else {
            return .error(.unknownGuild)
        }
        let members = guild.members.keys.sorted().compactMap { guild.member($0, users: users) }
        var payload = Guild(
            id: guild.id, name: guild.name, ownerId: guild.ownerID, roles: guild.sortedRoles,
            channels: guild.sortedChannels, members: members, memberCount: members.count, joinedAt: guild.joinedAt)
        payload.large = false
        return .ok(payload)
    }

    mutating func controlCreateGuild(_ request: RESTRequest) -> RESTResponse {
        let body = request.object
        var seeder = WorldSeeder(seed: UInt64(guilds.count) &+ configuration.seed &+ 1)
        let guildID = seeder.addGuild(
            // Bounded like Discord's own limits: a test asking for 1e15 members must not hang the emulator.
            to: &self, name: body["name"]?.stringValue,
            memberCount: min(max(body["members"]?.intValue ?? 6, 0), 25_000),
            textChannelCount: min(max(body["channels"]?.intValue ?? 4, 0), 450),
            extraRoles: min(max(body["roles"]?.intValue ?? 1, 0), 240),
            createdAt: request.now)
        guard let guild = guilds[guildID] else { return .error(.unknownGuild) }
        // The bot joins: each session on the guild's shard gets GUILD_CREATE.
        for (sessionID, session) in gateway.sessions where session.covers(guildID) && session.intents.contains(.guilds)
        {
            deliver(
                event: "GUILD_CREATE",
                payload: guildCreatePayload(guild, intents: session.intents, largeThreshold: session.largeThreshold),
                toSession: sessionID)
        }
        return controlGuild(
            RESTRequest(
                method: "GET", path: "", parameters: ["guild": guildID.description], query: [:], body: nil, rawBody: [],
                contentType: nil, auditLogReason: nil, identity: .anonymous, authorization: nil, now: request.now))
    }

    mutating func controlCreateRole(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self), let guild = guilds[guildID] else {
            return .error(.unknownGuild)
        }
        let body = request.object
        var validator = FormValidator()
        let name = validator.string(body["name"], at: "name", length: 1...100) ?? "new role"
        let permissions = validator.permissions(body["permissions"], at: "permissions") ?? []
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        let role = Role(
            id: RoleID(mintID(at: request.now)), name: name, color: body["color"]?.intValue ?? 0,
            position: (guild.roles.values.map(\.position).max() ?? 0) + 1, permissions: permissions,
            mentionable: body["mentionable"]?.boolValue ?? false)
        guilds[guildID]?.roles[role.id] = role
        dispatchRoleEvent("GUILD_ROLE_CREATE", role: role, guildID: guildID)
        return .ok(role, status: 201)
    }

    mutating func controlUpdateRole(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self),
            let roleID = request.id("role", as: RoleEntity.self), var role = guilds[guildID]?.roles[roleID]
        else { return .error(.unknownRole) }
        let body = request.object
        var validator = FormValidator()
        if let name = validator.string(body["name"], at: "name", length: 1...100) { role.name = name }
        if let permissions = validator.permissions(body["permissions"], at: "permissions") {
            role.permissions = permissions
        }
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        guilds[guildID]?.roles[roleID] = role
        dispatchRoleEvent("GUILD_ROLE_UPDATE", role: role, guildID: guildID)
        return .ok(role)
    }

    mutating func controlDeleteRole(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self),
            let roleID = request.id("role", as: RoleEntity.self), guilds[guildID]?.roles[roleID] != nil,
            roleID != guildID.converted(to: RoleEntity.self)
        else { return .error(.unknownRole) }
        guilds[guildID]?.roles[roleID] = nil
        for userID in guilds[guildID]?.members.keys.map({ $0 }) ?? [] {
            guilds[guildID]?.members[userID]?.roles.removeAll { $0 == roleID }
        }
        let payload = #"{"guild_id":"\#(guildID)","role_id":"\#(roleID)"}"#
        dispatch(
            GatewayDispatch(event: "GUILD_ROLE_DELETE", payload: Array(payload.utf8), intent: .guilds), guildID: guildID
        )
        return .noContent
    }

    private mutating func dispatchRoleEvent(_ event: String, role: Role, guildID: GuildID) {
        let roleData = (try? DiscordJSON.makeEncoder().encode(role)) ?? Data("{}".utf8)
        let payload = Array(#"{"guild_id":"\#(guildID)","role":"#.utf8) + Array(roleData) + Array("}".utf8)
        dispatch(GatewayDispatch(event: event, payload: payload, intent: .guilds), guildID: guildID)
    }

    mutating func controlAddMember(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self), guilds[guildID] != nil else {
            return .error(.unknownGuild)
        }
        let body = request.object
        var validator = FormValidator()
        let username = validator.string(body["username"], at: "username", length: 2...32, required: true)
        let roles = (validator.array(body["roles"], at: "roles") ?? []).compactMap(\.snowflakeValue).map({ RoleID($0) })
        guard validator.isValid, let username else { return .error(.invalidFormBody(validator.problems)) }
        let existing = body["user_id"]?.snowflakeValue.map({ UserID($0) }).flatMap { users[$0] }
        let user =
            existing ?? User(id: UserID(mintID(at: request.now)), username: username, globalName: username.capitalized)
        users[user.id] = user
        let member = EmulatedMember(
            userID: user.id, nick: body["nick"]?.stringValue, roles: roles,
            joinedAt: DiscordTimestamp.string(from: request.now))
        guilds[guildID]?.members[user.id] = member
        let memberJSON = guilds[guildID]?.member(user.id, users: users)
        let memberData = (try? DiscordJSON.makeEncoder().encode(memberJSON)) ?? Data("{}".utf8)
        var payload = Array(memberData.dropLast())
        payload += Array(#","guild_id":"\#(guildID)"}"#.utf8)
        dispatch(GatewayDispatch(event: "GUILD_MEMBER_ADD", payload: payload, intent: .guildMembers), guildID: guildID)
        return .ok(memberJSON, status: 201)
    }

    /// A member leaves the guild (or is kicked): GUILD_MEMBER_REMOVE, for sessions with GUILD_MEMBERS.
    mutating func controlRemoveMember(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self),
            let userID = request.id("user", as: UserEntity.self), guilds[guildID]?.members[userID] != nil,
            let user = users[userID]
        else { return .error(.unknownMember) }
        guilds[guildID]?.members[userID] = nil
        let userData = (try? DiscordJSON.makeEncoder().encode(user)) ?? Data("{}".utf8)
        let payload = Array(#"{"guild_id":"\#(guildID)","user":"#.utf8) + Array(userData) + Array("}".utf8)
        dispatch(
            GatewayDispatch(event: "GUILD_MEMBER_REMOVE", payload: payload, intent: .guildMembers), guildID: guildID)
        return .noContent
    }

    mutating func controlUpdateMember(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self),
            let userID = request.id("user", as: UserEntity.self), guilds[guildID]?.members[userID] != nil
        else { return .error(.unknownMember) }
        if let roles = request.object["roles"]?.arrayValue {
            guilds[guildID]?.members[userID]?.roles = roles.compactMap(\.snowflakeValue).map({ RoleID($0) })
        }
        if let nick = request.object["nick"] {
            guilds[guildID]?.members[userID]?.nick = nick.stringValue
        }
        let member = guilds[guildID]?.member(userID, users: users)
        let memberData = (try? DiscordJSON.makeEncoder().encode(member)) ?? Data("{}".utf8)
        let payload = Array(memberData.dropLast()) + Array(#","guild_id":"\#(guildID)"}"#.utf8)
        dispatch(
            GatewayDispatch(event: "GUILD_MEMBER_UPDATE", payload: payload, intent: .guildMembers), guildID: guildID)
        return .ok(member)
    }

    /// Creates a channel as a human admin would (no bot permission checks).
    mutating func controlCreateChannel(_ request: RESTRequest) -> RESTResponse {
        guard let guildID = request.id("guild", as: GuildEntity.self), let guild = guilds[guildID] else {
            return .error(.unknownGuild)
        }
        let body = request.object
        var validator = FormValidator()
        let name = validator.string(body["name"], at: "name", length: 1...100, required: true)
        let type = ChannelType(rawValue: validator.integer(body["type"], at: "type") ?? 0)
        let parentID = validator.snowflake(body["parent_id"], at: "parent_id").map({ ChannelID($0) })
        let overwrites = parseOverwrites(body["permission_overwrites"], validator: &validator)
        guard validator.isValid, let name else { return .error(.invalidFormBody(validator.problems)) }
        let channel = Channel(
            id: ChannelID(mintID(at: request.now)), type: type, guildId: guildID,
            position: guild.channels.count, name: type.hasNormalizedName ? ChannelNameNormalizer.normalize(name) : name,
            permissionOverwrites: overwrites, topic: body["topic"]?.stringValue, parentId: parentID)
        guilds[guildID]?.channels[channel.id] = channel
        channelGuilds[channel.id] = guildID
        dispatch(GatewayDispatch(event: "CHANNEL_CREATE", encoding: channel, intent: .guilds), guildID: guildID)
        return .ok(channel, status: 201)
    }

    func controlChannel(_ request: RESTRequest) -> RESTResponse {
        guard let channelID = request.id("channel", as: ChannelEntity.self), let (_, channel) = channel(channelID)
        else {
            return .error(.unknownChannel)
        }
        return .ok(channel)
    }

    /// Deletes a channel by hand, as a moderator would.
    mutating func controlDeleteChannel(_ request: RESTRequest) -> RESTResponse {
        guard let channelID = request.id("channel", as: ChannelEntity.self), let (guild, channel) = channel(channelID)
        else { return .error(.unknownChannel) }
        removeChannel(channel, from: guild.id)
        return .ok(channel)
    }

    /// The whole stored history, oldest first, regardless of permissions.
    func controlMessages(_ request: RESTRequest) -> RESTResponse {
        guard let channelID = request.id("channel", as: ChannelEntity.self), channel(channelID) != nil else {
            return .error(.unknownChannel)
        }
        return .ok(messages[channelID] ?? [])
    }

    /// A member sends a message; refused with 50001/50013 when they could not in Discord.
    mutating func controlSendMessage(_ request: RESTRequest) -> RESTResponse {
        guard let channelID = request.id("channel", as: ChannelEntity.self), let (guild, channel) = channel(channelID)
        else { return .error(.unknownChannel) }
        guard let userID = request.object["user_id"]?.snowflakeValue.map({ UserID($0) }), guild.members[userID] != nil
        else { return Self.controlError("user_id must name a member of the guild") }
        let permissions = guild.permissions(of: userID, in: channel)
        guard permissions.contains(.viewChannel) else { return .error(.missingAccess) }
        guard permissions.contains(.sendMessages) else { return .error(.missingPermissions) }
        var validator = FormValidator()
        let draft = MessageDraft.parse(request.object, forInteraction: false, validator: &validator)
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        guard !draft.isEmpty else { return .error(.emptyMessage) }
        var message = postMessage(draft, author: userID, in: channelID, guildID: guild.id, now: request.now)
        if let attachments = request.object["attachments"]?.arrayValue, !attachments.isEmpty {
            message.attachments = attachments.enumerated().compactMap { index, value in
                guard let filename = value["filename"]?.stringValue else { return nil }
                let id = AttachmentID(message.id.rawValue + UInt64(index) + 1)
                let contentType = value["content_type"]?.stringValue
                // With `data_base64` the file's bytes are kept and served at a CDN-style URL of the emulator's
                // own, as Discord's CDN serves uploads; without it the attachment is a description only.
                if let encoded = value["data_base64"]?.stringValue, let bytes = Data(base64Encoded: encoded),
                    bytes.count <= Self.attachmentSizeLimit
                {
                    let safe = AttachmentBook.safeFilename(filename)
                    attachmentFiles.store(
                        .init(
                            channelID: channelID, filename: safe,
                            contentType: contentType ?? "application/octet-stream", bytes: Array(bytes)), as: id)
                    return Attachment(
                        id: id, filename: safe, size: bytes.count,
                        url: "\(originForClients)/attachments/\(channelID)/\(id)/\(safe)", contentType: contentType)
                }
                return Attachment(
                    id: id, filename: filename, size: value["size"]?.intValue ?? 0,
                    url: "https://cdn.discordapp.com/attachments/\(channelID)/\(message.id)/\(filename)",
                    contentType: contentType)
            }
            if let index = messages[channelID]?.lastIndex(where: { $0.id == message.id }) {
                messages[channelID]?[index] = message
            }
        }
        return .ok(message)
    }

    mutating func controlEditMessage(_ request: RESTRequest) -> RESTResponse {
        guard let channelID = request.id("channel", as: ChannelEntity.self), let (guild, _) = channel(channelID),
            let messageID = request.id("message", as: MessageEntity.self),
            let index = messages[channelID]?.firstIndex(where: { $0.id == messageID }),
            let original = messages[channelID]?[index]
        else { return .error(.unknownMessage) }
        var validator = FormValidator()
        let draft = MessageDraft.parse(request.object, forInteraction: false, validator: &validator)
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        let edited = applyEdit(draft, body: request.object, to: original, now: request.now)
        messages[channelID]?[index] = edited
        dispatchMessage(edited, event: "MESSAGE_UPDATE", guildID: guild.id)
        return .ok(edited)
    }

    mutating func controlDeleteMessage(_ request: RESTRequest) -> RESTResponse {
        guard let channelID = request.id("channel", as: ChannelEntity.self), let (guild, _) = channel(channelID),
            let messageID = request.id("message", as: MessageEntity.self),
            messages[channelID]?.contains(where: { $0.id == messageID }) == true
        else { return .error(.unknownMessage) }
        removeMessage(messageID, in: channelID, guildID: guild.id)
        return .noContent
    }

    /// "Can member X see channel Y?": the effective permissions by Discord's algorithm.
    func controlPermissions(_ request: RESTRequest) -> RESTResponse {
        guard let userID = request.query["user_id"].flatMap({ UserID($0) }) else {
            return Self.controlError("user_id is required")
        }
        if let channelID = request.query["channel_id"].flatMap({ ChannelID($0) }) {
            guard let (guild, channel) = channel(channelID) else { return .error(.unknownChannel) }
            let permissions = guild.members[userID] == nil ? [] : guild.permissions(of: userID, in: channel)
            return .ok(Self.permissionReport(permissions))
        }
        guard let guildID = request.query["guild_id"].flatMap({ GuildID($0) }), let guild = guilds[guildID] else {
            return Self.controlError("channel_id or guild_id is required")
        }
        let permissions = guild.members[userID] == nil ? [] : guild.basePermissions(of: userID)
        return .ok(Self.permissionReport(permissions))
    }

    static func permissionReport(_ permissions: Permissions) -> JSONValue {
        .object([
            "permissions": .string(permissions.description),
            "view_channel": .bool(permissions.contains(.viewChannel)),
            "send_messages": .bool(permissions.contains(.sendMessages)),
            "read_message_history": .bool(permissions.contains(.readMessageHistory)),
            "manage_channels": .bool(permissions.contains(.manageChannels)),
            "administrator": .bool(permissions.contains(.administrator)),
        ])
    }

    mutating func controlSetOAuthUser(_ request: RESTRequest) -> RESTResponse {
        oauth.defaultUserID = request.object["user_id"]?.snowflakeValue.map({ UserID($0) })
        return .noContent
    }

    func controlSessions() -> RESTResponse {
        let list: [JSONValue] = gateway.sessions.values.sorted { $0.id < $1.id }.map { session in
            .object([
                "session_id": .string(session.id),
                "shard": .array((session.shard ?? [0, 1]).map { .number(Double($0)) }),
                "intents": .number(Double(session.intents.rawValue)), "sequence": .number(Double(session.sequence)),
                "connected": .bool(session.connection != nil),
            ])
        }
        return .ok(JSONValue.array(list))
    }

    /// The sequence numbers and events a session has been dispatched (for continuity checks).
    func controlDispatches(_ request: RESTRequest) -> RESTResponse {
        guard let sessionID = request.query["session_id"], let session = gateway.sessions[sessionID] else {
            return Self.controlError("session_id must name a live session")
        }
        let entries: [JSONValue] = session.replay.map { entry in
            .object(["s": .number(Double(entry.sequence)), "t": .string(Self.eventName(in: entry.frame))])
        }
        return .ok(
            JSONValue.object([
                "session_id": .string(session.id), "sequence": .number(Double(session.sequence)),
                "dispatches": .array(entries),
            ]))
    }

    static func eventName(in frame: [UInt8]) -> String {
        let marker = Array(#""t":""#.utf8)
        guard let start = frame.firstRange(of: marker)?.upperBound,
            let end = frame[start...].firstIndex(of: UInt8(ascii: "\""))
        else { return "" }
        return String(decoding: frame[start..<end], as: UTF8.self)
    }

    func controlRateLimitRecord(_ request: RESTRequest) -> RESTResponse {
        let now = request.now.timeIntervalSince1970
        return .ok(
            JSONValue.object([
                "rate_limited_responses": .number(Double(records.rateLimitedResponses)),
                "by_scope": .object(records.rateLimitedByScope.mapValues { .number(Double($0)) }),
                "invalid_requests_last_10_minutes": .number(Double(records.invalidRequestsInLastTenMinutes(now: now))),
                "total_requests": .number(Double(records.totalRequests)),
                "malformed_requests": .number(Double(records.malformedRequests)),
            ]))
    }

    /// Injects a gateway fault into one shard's (or session's) connection.
    mutating func controlGatewayFault(_ request: RESTRequest) -> RESTResponse {
        let body = request.object
        guard let action = body["action"]?.stringValue else { return Self.controlError("action is required") }
        let shard = body["shard"]?.intValue
        let sessionFilter = body["session_id"]?.stringValue
        let targets = gateway.sessions.values.filter { session in
            (sessionFilter == nil || session.id == sessionFilter) && (shard == nil || session.shardID == shard)
        }
        guard !targets.isEmpty else { return Self.controlError("no session matches") }
        for session in targets {
            switch action {
            case "close":
                let code = GatewayCloseCode(rawValue: UInt16(clamping: body["code"]?.intValue ?? 4000))
                session.connection?.close(code: code)
            case "drop":
                session.connection?.dropWithoutCloseFrame()
            case "reconnect":
                session.connection?.send(GatewayDispatch.controlFrame(opcode: .reconnect))
            case "invalidate":
                let resumable = body["resumable"]?.boolValue ?? false
                session.connection?.send(
                    GatewayDispatch.controlFrame(opcode: .invalidSession, payload: resumable ? "true" : "false"))
                if !resumable { gateway.sessions[session.id] = nil }
            case "silence":
                if let connection = session.connection {
                    faults.silencedConnections.insert(ObjectIdentifier(connection))
                }
            case "unsilence":
                if let connection = session.connection {
                    faults.silencedConnections.remove(ObjectIdentifier(connection))
                }
            case "request_heartbeat":
                session.connection?.send(GatewayDispatch.controlFrame(opcode: .heartbeat))
            case "invalid_json":
                // Compressed like any message, so only the JSON inside is wrong.
                session.connection?.send(Array("{this is not json".utf8))
            case "corrupt_zlib":
                session.connection?.sendRawFrame(
                    [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0x00, 0x00, 0xFF, 0xFF], binary: true)
            case "oversized_frame":
                let size = max(0, body["bytes"]?.intValue ?? 80 * 1024 * 1024)
                session.connection?.sendRawFrame(
                    [UInt8](repeating: UInt8(ascii: " "), count: min(size, 256 << 20)), binary: false)
            default:
                return Self.controlError("unknown action \(action)")
            }
        }
        return .ok(JSONValue.object(["affected_sessions": .array(targets.map { .string($0.id) })]))
    }

    mutating func controlRESTFault(_ request: RESTRequest) -> RESTResponse {
        guard let fault = request.body?.decoded(as: FaultBook.RouteFault.self) else {
            return Self.controlError("body must be a route fault: kind, path_contains, …")
        }
        faults.routeFaults.append(fault)
        return .noContent
    }

    /// Where the firehose generates traffic: every guild's text channels and human members.
    func firehosePlaces() -> [FirehoseEventFactory.Place] {
        guilds.values.sorted { $0.id < $1.id }.map { guild in
            FirehoseEventFactory.Place(
                guildID: guild.id,
                channelIDs: guild.sortedChannels.filter { $0.type == .guildText }.map(\.id),
                authors: guild.members.values.filter { $0.userID != botID }.sorted { $0.userID < $1.userID }
                    .map { ($0.userID, users[$0.userID]?.username ?? "user", $0.roles) })
        }
    }
}
