import DiscordModels
import Foundation

extension EmulatorState {
    mutating func createMessage(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        if let channelID = request.id("channel", as: ChannelEntity.self),
            let recipient = directMessages.userByChannel[channelID]
        {
            return try createDirectMessage(request, to: recipient, in: channelID)
        }
        let (guild, channel) = try visibleChannel(request)
        let (body, files, draft) = try botMessage(request)
        let permissions = guild.permissions(of: botID, in: channel)
        guard permissions.contains(.sendMessages) else { return .error(.missingPermissions) }
        if !files.isEmpty, !permissions.contains(.attachFiles) { return .error(.missingPermissions) }
        if draft.replyTo != nil, !permissions.contains(.readMessageHistory) { return .error(.missingPermissions) }
        if let existing = earlierMessage(with: draft, now: request.now) { return .ok(existing) }
        let attached = attachments(from: files, body: body, channelID: channel.id, now: request.now)
        let message = postMessage(
            draft, author: botID, in: channel.id, guildID: guild.id, now: request.now, attachments: attached)
        if draft.enforceNonce, let nonce = draft.nonce {
            nonces.remember(author: botID, nonce: nonce, channelID: channel.id, messageID: message.id, now: request.now)
        }
        return .ok(message)
    }

    /// A message the bot sends, read from a JSON or multipart body and validated like Discord does.
    func botMessage(
        _ request: RESTRequest
    ) throws(DiscordAPIError) -> (body: [String: JSONValue], files: [MultipartForm.Part], draft: MessageDraft) {
        let multipart = try multipartMessage(request)
        let body = multipart?.body ?? request.object
        let files = multipart?.files ?? []
        var validator = FormValidator()
        let draft = MessageDraft.parse(body, forInteraction: false, validator: &validator)
        guard validator.isValid else { throw .invalidFormBody(validator.problems) }
        guard !draft.isEmpty || !files.isEmpty else { throw .emptyMessage }
        return (body, files, draft)
    }

    /// The message the bot already created with the same nonce in the last few minutes (`enforce_nonce`).
    func earlierMessage(with draft: MessageDraft, now: Date) -> Message? {
        guard draft.enforceNonce, let nonce = draft.nonce,
            let earlier = nonces.earlier(author: botID, nonce: nonce, now: now)
        else { return nil }
        return messages[earlier.channelID]?.first { $0.id == earlier.messageID }
    }

    /// Creates a message, stores it and dispatches MESSAGE_CREATE (with a content-less variant for sessions
    /// without MESSAGE_CONTENT, unless the author is the bot or the message mentions it).
    @discardableResult
    mutating func postMessage(
        _ draft: MessageDraft, author authorID: UserID, in channelID: ChannelID, guildID: GuildID, now: Date,
        type: Int = 0, attachments: [Attachment] = []
    ) -> Message {
        let author = users[authorID] ?? User(id: authorID, username: "unknown")
        var message = Message(
            id: MessageID(mintID(at: now)), channelId: channelID, author: author, content: draft.content ?? "",
            timestamp: DiscordTimestamp.string(from: now), embeds: draft.embeds ?? [],
            components: draft.components ?? [], type: draft.replyTo == nil ? type : 19, flags: draft.flags ?? [])
        message.tts = draft.tts
        message.nonce = draft.nonce
        message.attachments = attachments
        let (mentionedUsers, mentionedRoles, mentionsEveryone) = mentions(in: message.content, guildID: guildID)
        message.mentions = mentionedUsers
        message.mentionRoles = mentionedRoles
        message.mentionEveryone = mentionsEveryone
        if let replyTo = draft.replyTo {
            message.messageReference = MessageReference(messageId: replyTo, channelId: channelID, guildId: guildID)
        }
        if authorID == botID { message.applicationId = nil }
        store(message)
        dispatchMessage(message, event: "MESSAGE_CREATE", guildID: guildID)
        return message
    }

    /// MESSAGE_CREATE/UPDATE carry `guild_id` and the author's partial member (without `user`).
    mutating func dispatchMessage(_ message: Message, event: String, guildID: GuildID) {
        var payload = message
        payload.guildId = guildID
        payload.member = guilds[guildID]?.member(message.author.id, users: users, includeUser: false)
        let encoder = DiscordJSON.makeEncoder()
        let full = Array((try? encoder.encode(payload)) ?? Data())
        var withoutContent: [UInt8]?
        let exempt = message.author.id == botID || message.mentions.contains { $0.id == botID }
        if !exempt {
            payload.content = ""
            payload.embeds = []
            payload.attachments = []
            payload.components = []
            withoutContent = Array((try? encoder.encode(payload)) ?? Data())
        }
        dispatch(
            GatewayDispatch(event: event, payload: full, payloadWithoutContent: withoutContent, intent: .guildMessages),
            guildID: guildID)
    }

    /// Users, roles and @everyone mentioned in `content` (`<@id>`, `<@!id>`, `<@&id>`).
    func mentions(in content: String, guildID: GuildID) -> ([User], [RoleID], Bool) {
        guard content.contains("<@") || content.contains("@everyone") else { return ([], [], false) }
        var userIDs: [UserID] = []
        var roleIDs: [RoleID] = []
        var remainder = Substring(content)
        while let start = remainder.range(of: "<@") {
            remainder = remainder[start.upperBound...]
            guard let end = remainder.firstIndex(of: ">") else { break }
            var token = remainder[..<end]
            remainder = remainder[remainder.index(after: end)...]
            if token.hasPrefix("&") {
                if let id = RoleID(token.dropFirst()), guilds[guildID]?.roles[id] != nil { roleIDs.append(id) }
                continue
            }
            if token.hasPrefix("!") { token = token.dropFirst() }
            if let id = UserID(token), users[id] != nil, !userIDs.contains(id) { userIDs.append(id) }
        }
        return (userIDs.compactMap { users[$0] }, roleIDs, content.contains("@everyone"))
    }

    mutating func listMessages(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var validator = FormValidator()
        // The bot's own DM channels: their history is the bot's to read, with no guild permissions involved.
        if let channelID = request.id("channel", as: ChannelEntity.self), directMessages.userByChannel[channelID] != nil
        {
            let limitValue = request.query["limit"].map { JSONValue.number(Double($0) ?? .nan) }
            let limit = validator.integer(limitValue, at: "limit", range: 1...100) ?? 50
            guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
            return .ok(Array((messages[channelID] ?? []).suffix(limit).reversed()))
        }
        let (guild, channel) = try visibleChannel(request)
        let limitValue = request.query["limit"].map { JSONValue.number(Double($0) ?? .nan) }
        let limit = validator.integer(limitValue, at: "limit", range: 1...100) ?? 50
        let anchors = ["around", "before", "after"].filter { request.query[$0] != nil }
        var anchorID: UInt64?
        if let anchor = anchors.first {
            anchorID = validator.snowflake(.string(request.query[anchor] ?? ""), at: anchor)
        }
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        // Without READ_MESSAGE_HISTORY the list is simply empty.
        guard guild.permissions(of: botID, in: channel).contains(.readMessageHistory) else { return .ok([Message]()) }
        let history = messages[channel.id] ?? []  // oldest first
        let page: [Message]
        switch (anchors.first, anchorID) {
        case ("before", let id?):
            page = Array(history.filter { $0.id.rawValue < id }.suffix(limit))
        case ("after", let id?):
            page = Array(history.filter { $0.id.rawValue > id }.prefix(limit))
        case ("around", let id?):
            let before = history.filter { $0.id.rawValue < id }.suffix(limit / 2)
            let atAndAfter = history.filter { $0.id.rawValue >= id }.prefix(limit - before.count)
            page = Array(before) + Array(atAndAfter)
        default:
            page = Array(history.suffix(limit))
        }
        return .ok(Array(page.reversed()))
    }

    mutating func getMessage(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard guild.permissions(of: botID, in: channel).contains(.readMessageHistory) else {
            return .error(.missingPermissions)
        }
        guard let messageID = request.id("message", as: MessageEntity.self),
            let message = messages[channel.id]?.first(where: { $0.id == messageID })
        else { return .error(.unknownMessage) }
        return .ok(message)
    }

    mutating func editMessage(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard let messageID = request.id("message", as: MessageEntity.self),
            let index = messages[channel.id]?.firstIndex(where: { $0.id == messageID }),
            let original = messages[channel.id]?[index]
        else { return .error(.unknownMessage) }
        guard original.author.id == botID else { return .error(.cannotEditOthersMessage) }
        var validator = FormValidator()
        let draft = MessageDraft.parse(request.object, forInteraction: false, validator: &validator)
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        let edited = applyEdit(draft, body: request.object, to: original, now: request.now)
        messages[channel.id]?[index] = edited
        dispatchMessage(edited, event: "MESSAGE_UPDATE", guildID: guild.id)
        return .ok(edited)
    }

    /// Applies the fields present in an edit body; absent fields keep their value.
    func applyEdit(_ draft: MessageDraft, body: [String: JSONValue], to original: Message, now: Date) -> Message {
        var edited = original
        if body["content"] != nil { edited.content = draft.content ?? "" }
        if body["embeds"] != nil { edited.embeds = draft.embeds ?? [] }
        if body["components"] != nil { edited.components = draft.components ?? [] }
        if let flags = draft.flags { edited.flags = flags }
        edited.editedTimestamp = DiscordTimestamp.string(from: now)
        return edited
    }

    mutating func deleteMessage(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard let messageID = request.id("message", as: MessageEntity.self),
            let message = messages[channel.id]?.first(where: { $0.id == messageID })
        else { return .error(.unknownMessage) }
        if message.author.id != botID, !guild.permissions(of: botID, in: channel).contains(.manageMessages) {
            return .error(.missingPermissions)
        }
        removeMessage(messageID, in: channel.id, guildID: guild.id)
        return .noContent
    }

    mutating func removeMessage(_ messageID: MessageID, in channelID: ChannelID, guildID: GuildID) {
        messages[channelID]?.removeAll { $0.id == messageID }
        let payload = #"{"id":"\#(messageID)","channel_id":"\#(channelID)","guild_id":"\#(guildID)"}"#
        dispatch(
            GatewayDispatch(event: "MESSAGE_DELETE", payload: Array(payload.utf8), intent: .guildMessages),
            guildID: guildID)
    }

    mutating func bulkDeleteMessages(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let (guild, channel) = try visibleChannel(request)
        guard guild.permissions(of: botID, in: channel).contains(.manageMessages) else {
            return .error(.missingPermissions)
        }
        var validator = FormValidator()
        let values =
            validator.array(request.object["messages"], at: "messages", maximumCount: 100, required: true) ?? []
        let ids = values.enumerated().compactMap { validator.snowflake($1, at: "messages.\($0)") }
        if values.count < 2 {
            validator.fail("messages", code: "BASE_TYPE_MIN_LENGTH", message: "Must be 2 or more in length.")
        }
        if Set(ids).count != ids.count {
            validator.fail("messages", code: "BASE_TYPE_DUPLICATES", message: "Duplicate values are not allowed.")
        }
        let twoWeeksAgo = request.now.addingTimeInterval(-14 * 86_400)
        if ids.contains(where: { MessageID($0).date < twoWeeksAgo }) {
            validator.fail(
                "messages", code: "MESSAGE_BULK_DELETE_TOO_OLD",
                message: "You can only bulk delete messages that are under 14 days old.")
        }
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        let idSet = Set(ids)
        messages[channel.id]?.removeAll { idSet.contains($0.id.rawValue) }
        let list = ids.map { "\"\($0)\"" }.joined(separator: ",")
        let payload = #"{"ids":[\#(list)],"channel_id":"\#(channel.id)","guild_id":"\#(guild.id)"}"#
        dispatch(
            GatewayDispatch(event: "MESSAGE_DELETE_BULK", payload: Array(payload.utf8), intent: .guildMessages),
            guildID: guild.id)
        return .noContent
    }
}
