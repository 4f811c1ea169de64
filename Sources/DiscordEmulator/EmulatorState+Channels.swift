import DiscordModels
import Foundation

extension EmulatorState {
    // MARK: - Access checks

    /// The channel, if the bot can see it: 10003 when it does not exist, 50001 when the bot lacks VIEW_CHANNEL.
    func visibleChannel(_ request: RESTRequest) throws(DiscordAPIError) -> (EmulatedGuild, Channel) {
        guard let channelID = request.id("channel", as: ChannelEntity.self), let (guild, channel) = channel(channelID)
        else { throw .unknownChannel }
        guard guild.permissions(of: botID, in: channel).contains(.viewChannel) else {
            throw .missingAccess
        }
        return (guild, channel)
    }

    func botGuild(_ request: RESTRequest) throws(DiscordAPIError) -> EmulatedGuild {
        guard let guildID = request.id("guild", as: GuildEntity.self), let guild = guilds[guildID] else {
            throw .unknownGuild
        }
        return guild
    }

    // MARK: - Guilds

    mutating func getGuild(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let guild = try botGuild(request)
        var payload = Guild(
            id: guild.id, name: guild.name, ownerId: guild.ownerID, roles: guild.sortedRoles, channels: [],
            members: [], memberCount: guild.members.count, joinedAt: guild.joinedAt)
        payload.channels = nil
        payload.members = nil
        payload.threads = nil
        payload.memberCount = nil
        payload.joinedAt = nil
        payload.large = nil
        payload.unavailable = nil
        let data = (try? DiscordJSON.makeEncoder().encode(payload)) ?? Data()
        return .json(status: 200, body: Self.addingGuildExtras(to: data))
    }

    mutating func getGuildChannels(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let guild = try botGuild(request)
        return .ok(guild.sortedChannels)
    }

    mutating func getGuildRoles(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let guild = try botGuild(request)
        return .ok(guild.sortedRoles)
    }

    mutating func getGuildMember(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let guild = try botGuild(request)
        guard let userID = request.id("user", as: UserEntity.self), let member = guild.member(userID, users: users)
        else { return .error(.unknownMember) }
        return .ok(member)
    }

    /// Search Guild Members: members whose username, global name or nickname starts with `query` (letter case
    /// ignored), at most `limit` (1–1000, default 1), by user ID. Unlike listing members, it needs no privileged
    /// intent.
    mutating func searchGuildMembers(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let guild = try botGuild(request)
        var validator = FormValidator()
        let query = validator.string(
            request.query["query"].map(JSONValue.string), at: "query", length: 1...100, required: true)
        let limitValue = request.query["limit"].map { JSONValue.number(Double($0) ?? .nan) }
        let limit = validator.integer(limitValue, at: "limit", range: 1...1_000) ?? 1
        guard validator.isValid, let query else { return .error(.invalidFormBody(validator.problems)) }
        let prefix = query.lowercased()
        let found = guild.members.keys.sorted().compactMap { userID -> GuildMember? in
            guard let user = users[userID] else { return nil }
            let names = [user.username, user.globalName, guild.members[userID]?.nick].compactMap { $0 }
            guard names.contains(where: { $0.lowercased().hasPrefix(prefix) }) else { return nil }
            return guild.member(userID, users: users)
        }
        return .ok(Array(found.prefix(limit)))
    }

    // MARK: - Channels

    mutating func getChannel(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (_, channel) = try visibleChannel(request)
        return .ok(channel)
    }

    mutating func createGuildChannel(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let guild = try botGuild(request)
        let body = request.object
        var validator = FormValidator()
        let name = validator.string(body["name"], at: "name", length: 1...100, required: true)
        let typeValue = validator.integer(body["type"], at: "type") ?? 0
        let type = ChannelType(rawValue: typeValue)
        if ![0, 2, 4, 5, 13, 15, 16].contains(typeValue) {
            validator.fail("type", code: "BASE_TYPE_CHOICES", message: "Value must be one of (0, 2, 4, 5, 13, 15, 16).")
        }
        let topic = validator.string(body["topic"], at: "topic", length: 0...1024)
        let parentID = validator.snowflake(body["parent_id"], at: "parent_id").map({ ChannelID($0) })
        let position = validator.integer(body["position"], at: "position")
        let overwrites = parseOverwrites(body["permission_overwrites"], validator: &validator)
        var parent: Channel?
        if let parentID {
            if let candidate = guild.channels[parentID], candidate.type == .guildCategory, type != .guildCategory {
                parent = candidate
                let children = guild.channels.values.filter { $0.parentId == parentID }.count
                if children >= 50 {
                    validator.fail(
                        "parent_id", code: "CHANNEL_PARENT_MAX_CHANNELS",
                        message: "Maximum number of channels in category reached (50)")
                }
            } else {
                validator.fail("parent_id", code: "CHANNEL_PARENT_INVALID", message: "Category does not exist")
            }
        }
        var normalizedName = name ?? ""
        if type.hasNormalizedName, let name, !name.isEmpty {
            normalizedName = ChannelNameNormalizer.normalize(name)
            if normalizedName.isEmpty {
                validator.fail("name", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length.")
            }
        }
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }

        // MANAGE_CHANNELS where the channel will live; overwrites may only carry bits the bot has.
        let botBase = guild.basePermissions(of: botID)
        let botWhereCreated = parent.map { guild.permissions(of: botID, in: $0) } ?? botBase
        guard botWhereCreated.contains(.manageChannels) else { return .error(.missingPermissions) }
        if let error = overwriteGrantError(
            overwrites, botPermissions: botWhereCreated, isAdministrator: botBase.contains(.administrator))
        {
            return .error(error)
        }
        guard guild.channels.count < 500 else { return .error(.maximumGuildChannels) }

        let channel = Channel(
            id: ChannelID(mintID(at: request.now)), type: type, guildId: guild.id,
            position: position ?? (guild.channels.values.map { $0.position ?? 0 }.max() ?? 0) + 1, name: normalizedName,
            permissionOverwrites: overwrites, topic: topic, parentId: parent?.id)
        guilds[guild.id]?.channels[channel.id] = channel
        channelGuilds[channel.id] = guild.id
        dispatch(GatewayDispatch(event: "CHANNEL_CREATE", encoding: channel, intent: .guilds), guildID: guild.id)
        return .ok(channel, status: 201)
    }

    mutating func modifyChannel(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        let botPermissions = guild.permissions(of: botID, in: channel)
        guard botPermissions.contains(.manageChannels) else { return .error(.missingPermissions) }
        let body = request.object
        var validator = FormValidator()
        var updated = channel
        if body["name"] != nil, let name = validator.string(body["name"], at: "name", length: 1...100) {
            updated.name = channel.type.hasNormalizedName ? ChannelNameNormalizer.normalize(name) : name
        }
        if let topicValue = body["topic"] {
            updated.topic = validator.string(topicValue, at: "topic", length: 0...1024)
        }
        if let positionValue = body["position"], let position = validator.integer(positionValue, at: "position") {
            updated.position = position
        }
        if let parentValue = body["parent_id"] {
            if parentValue.isNull {
                updated.parentId = nil
            } else if let parent = validator.snowflake(parentValue, at: "parent_id").map({ ChannelID($0) }) {
                if guild.channels[parent]?.type == .guildCategory {
                    updated.parentId = parent
                } else {
                    validator.fail("parent_id", code: "CHANNEL_PARENT_INVALID", message: "Category does not exist")
                }
            }
        }
        if let nsfw = validator.bool(body["nsfw"], at: "nsfw") { updated.nsfw = nsfw }
        if body["permission_overwrites"] != nil {
            let overwrites = parseOverwrites(body["permission_overwrites"], validator: &validator)
            guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
            guard botPermissions.contains(.manageRoles) else { return .error(.missingPermissions) }
            let base = guild.basePermissions(of: botID)
            if let error = overwriteGrantError(
                overwrites, botPermissions: botPermissions, isAdministrator: base.contains(.administrator))
            {
                return .error(error)
            }
            updated.permissionOverwrites = overwrites
        }
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        // Discord lets a channel's name or topic change twice per 10 minutes; the third change is a 429 that
        // lasts until the oldest of the two is 10 minutes old.
        if updated.name != channel.name || updated.topic != channel.topic {
            let window: TimeInterval = 600
            let recent = (channelRenames[channel.id] ?? []).filter { request.now.timeIntervalSince($0) < window }
            if recent.count >= 2, let oldest = recent.min() {
                return .rateLimited(
                    scope: "user", retryAfter: window - request.now.timeIntervalSince(oldest), bucket: nil)
            }
            channelRenames[channel.id] = recent + [request.now]
        }
        guilds[guild.id]?.channels[channel.id] = updated
        dispatch(GatewayDispatch(event: "CHANNEL_UPDATE", encoding: updated, intent: .guilds), guildID: guild.id)
        return .ok(updated)
    }

    mutating func deleteChannel(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard guild.permissions(of: botID, in: channel).contains(.manageChannels) else {
            return .error(.missingPermissions)
        }
        removeChannel(channel, from: guild.id)
        return .ok(channel)
    }

    /// Deletes a channel and its messages; a deleted category's children move to the top level.
    mutating func removeChannel(_ channel: Channel, from guildID: GuildID) {
        guilds[guildID]?.channels[channel.id] = nil
        channelGuilds[channel.id] = nil
        messages[channel.id] = nil
        dispatch(GatewayDispatch(event: "CHANNEL_DELETE", encoding: channel, intent: .guilds), guildID: guildID)
        guard channel.type == .guildCategory, let guild = guilds[guildID] else { return }
        for child in guild.sortedChannels where child.parentId == channel.id {
            var orphan = child
            orphan.parentId = nil
            guilds[guildID]?.channels[child.id] = orphan
            dispatch(GatewayDispatch(event: "CHANNEL_UPDATE", encoding: orphan, intent: .guilds), guildID: guildID)
        }
    }

    mutating func editChannelOverwrite(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard let targetID = request.id("overwrite", as: MentionableEntity.self) else { return .error(.notFound) }
        let body = request.object
        var validator = FormValidator()
        let typeValue = validator.integer(body["type"], at: "type", range: 0...1, required: true)
        let allow = validator.permissions(body["allow"], at: "allow") ?? []
        let deny = validator.permissions(body["deny"], at: "deny") ?? []
        guard validator.isValid, let typeValue, let type = PermissionOverwrite.TargetType(rawValue: typeValue) else {
            return .error(.invalidFormBody(validator.problems))
        }
        let botPermissions = guild.permissions(of: botID, in: channel)
        guard botPermissions.contains(.manageRoles) else { return .error(.missingPermissions) }
        let overwrite = PermissionOverwrite(id: targetID, type: type, allow: allow, deny: deny)
        let isAdministrator = guild.basePermissions(of: botID).contains(.administrator)
        if let error = overwriteGrantError(
            [overwrite], botPermissions: botPermissions, isAdministrator: isAdministrator)
        {
            return .error(error)
        }
        var updated = channel
        var overwrites = channel.permissionOverwrites ?? []
        overwrites.removeAll { $0.id == targetID }
        overwrites.append(overwrite)
        updated.permissionOverwrites = overwrites
        guilds[guild.id]?.channels[channel.id] = updated
        dispatch(GatewayDispatch(event: "CHANNEL_UPDATE", encoding: updated, intent: .guilds), guildID: guild.id)
        return .noContent
    }

    mutating func deleteChannelOverwrite(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard guild.permissions(of: botID, in: channel).contains(.manageRoles) else {
            return .error(.missingPermissions)
        }
        guard let targetID = request.id("overwrite", as: MentionableEntity.self) else { return .error(.notFound) }
        var updated = channel
        updated.permissionOverwrites = (channel.permissionOverwrites ?? []).filter { $0.id != targetID }
        guilds[guild.id]?.channels[channel.id] = updated
        dispatch(GatewayDispatch(event: "CHANNEL_UPDATE", encoding: updated, intent: .guilds), guildID: guild.id)
        return .noContent
    }

    // MARK: - Overwrite parsing and rules

    func parseOverwrites(_ value: JSONValue?, validator: inout FormValidator) -> [PermissionOverwrite] {
        guard let entries = validator.array(value, at: "permission_overwrites", maximumCount: 100) else { return [] }
        var overwrites: [PermissionOverwrite] = []
        for (index, entry) in entries.enumerated() {
            let path = "permission_overwrites.\(index)"
            guard let object = validator.object(entry, at: path) else { continue }
            let id = validator.snowflake(object["id"], at: "\(path).id", required: true)
            let type = validator.integer(object["type"], at: "\(path).type", range: 0...1, required: true)
            let allow = validator.permissions(object["allow"], at: "\(path).allow") ?? []
            let deny = validator.permissions(object["deny"], at: "\(path).deny") ?? []
            if let id, let type, let targetType = PermissionOverwrite.TargetType(rawValue: type) {
                overwrites.append(
                    PermissionOverwrite(id: MentionableID(id), type: targetType, allow: allow, deny: deny))
            }
        }
        return overwrites
    }

    /// Overwrites may only grant or deny permissions the bot itself has; MANAGE_ROLES needs ADMINISTRATOR.
    func overwriteGrantError(
        _ overwrites: [PermissionOverwrite], botPermissions: Permissions, isAdministrator: Bool
    ) -> DiscordAPIError? {
        guard !isAdministrator else { return nil }
        for overwrite in overwrites {
            let touched = overwrite.allow.union(overwrite.deny)
            if touched.contains(.manageRoles) || !botPermissions.isSuperset(of: touched) {
                return .missingPermissions
            }
        }
        return nil
    }
}
