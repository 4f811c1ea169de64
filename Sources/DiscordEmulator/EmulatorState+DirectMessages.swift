import DiscordModels
import Foundation

/// Direct messages between the bot and a user: one DM channel per user (`POST /users/@me/channels` returns the
/// same one every time), messages in it, and a user who does not accept DMs (Discord's 50007 "Cannot send
/// messages to this user", the everyday case of a member who closed DMs from server members).
struct DirectMessageBook: Sendable {
    var channelByUser: [UserID: ChannelID] = [:]
    var userByChannel: [ChannelID: UserID] = [:]
    /// Users who turned off DMs from server members (set through the control API).
    var closed: Set<UserID> = []
}

extension DiscordAPIError {
    static let cannotMessageUser = DiscordAPIError(
        status: 403, code: 50007, message: "Cannot send messages to this user")
}

extension EmulatorState {
    /// `POST /users/@me/channels` with `recipient_id`.
    mutating func createDirectMessageChannel(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var validator = FormValidator()
        guard let recipient = request.object["recipient_id"]?.snowflakeValue.map({ UserID($0) }) else {
            validator.required("recipient_id")
            return .error(.invalidFormBody(validator.problems))
        }
        guard let user = users[recipient], recipient != botID else { throw .unknownUser }
        let channelID = directMessages.channelByUser[recipient] ?? ChannelID(mintID(at: request.now))
        directMessages.channelByUser[recipient] = channelID
        directMessages.userByChannel[channelID] = recipient
        let encoded = (try? DiscordJSON.makeEncoder().encode(user)).flatMap { JSONValue.parse($0) } ?? .null
        return .ok(
            JSONValue.object([
                "id": .string(channelID.description), "type": .number(1), "last_message_id": .null,
                "flags": .number(0), "recipients": .array([encoded]),
            ]))
    }

    /// A message the bot sends in a DM channel: only to a user who shares a server with it and accepts DMs.
    mutating func createDirectMessage(
        _ request: RESTRequest, to recipient: UserID, in channelID: ChannelID
    ) throws(DiscordAPIError) -> RESTResponse {
        let (body, files, draft) = try botMessage(request)
        let sharesGuild = guilds.values.contains { $0.members[recipient] != nil && $0.members[botID] != nil }
        guard sharesGuild, !directMessages.closed.contains(recipient) else { throw .cannotMessageUser }
        if let existing = earlierMessage(with: draft, now: request.now) { return .ok(existing) }
        let author = users[botID] ?? User(id: botID, username: "bot")
        var message = Message(
            id: MessageID(mintID(at: request.now)), channelId: channelID, author: author, content: draft.content ?? "",
            timestamp: DiscordTimestamp.string(from: request.now), embeds: draft.embeds ?? [],
            components: draft.components ?? [], type: 0, flags: draft.flags ?? [])
        message.nonce = draft.nonce
        message.attachments = attachments(from: files, body: body, channelID: channelID, now: request.now)
        messages[channelID, default: []].append(message)
        if draft.enforceNonce, let nonce = draft.nonce {
            nonces.remember(author: botID, nonce: nonce, channelID: channelID, messageID: message.id, now: request.now)
        }
        return .ok(message)
    }

    /// `GET /_emulator/users/{user}/dm`: the user's DM channel with the bot and its messages (404 before the
    /// bot opened one).
    func controlDirectMessages(_ request: RESTRequest) -> RESTResponse {
        guard let userID = request.id("user", as: UserEntity.self),
            let channelID = directMessages.channelByUser[userID]
        else { return .error(.unknownChannel) }
        let encoded = (try? DiscordJSON.makeEncoder().encode(messages[channelID] ?? [])).flatMap { JSONValue.parse($0) }
        return .ok(JSONValue.object(["channel_id": .string(channelID.description), "messages": encoded ?? .array([])]))
    }

    /// `PATCH /_emulator/users/{user}` with `accepts_dms`: whether the user accepts DMs from server members.
    mutating func controlUpdateUser(_ request: RESTRequest) -> RESTResponse {
        guard let userID = request.id("user", as: UserEntity.self), users[userID] != nil else {
            return .error(.unknownUser)
        }
        if let accepts = request.object["accepts_dms"]?.boolValue {
            if accepts { directMessages.closed.remove(userID) } else { directMessages.closed.insert(userID) }
        }
        return .noContent
    }

    /// A click on a component of a message in a DM: the interaction has the user, no guild and no member.
    mutating func clickInDirectMessage(
        _ body: [String: JSONValue], channelID: ChannelID, recipient: UserID, now: Date
    ) -> RESTResponse {
        guard body["user_id"]?.snowflakeValue.map({ UserID($0) }) == recipient else { return .error(.missingAccess) }
        guard let messageID = body["message_id"]?.snowflakeValue.map({ MessageID($0) }),
            let message = messages[channelID]?.first(where: { $0.id == messageID })
        else { return .error(.unknownMessage) }
        guard let customID = body["custom_id"]?.stringValue,
            let component = (message.components ?? []).flatMap(\.flattened).first(where: { $0.customId == customID }),
            component.type == .button, component.disabled != true
        else {
            return .error(DiscordAPIError(status: 400, code: 0, message: "The message has no such enabled button"))
        }
        var data = InteractionData()
        data.customId = customID
        data.componentType = component.type
        return sendDirectInteraction(
            type: .messageComponent, data: data, channelID: channelID, userID: recipient, message: message, now: now)
    }

    /// Builds an interaction from a DM (context 1: no guild, `user` instead of `member`) and dispatches it on
    /// shard 0, where Discord sends events without a guild.
    mutating func sendDirectInteraction(
        type: InteractionType, data: InteractionData, channelID: ChannelID, userID: UserID, message: Message?,
        now: Date
    ) -> RESTResponse {
        interactions.purge(olderThan: now.addingTimeInterval(-configuration.interactionTokenLifetime.seconds))
        let interactionID = InteractionID(mintID(at: now))
        let token = "aW50ZXJhY3Rpb246" + Self.randomHex(bytes: 24)
        var interaction = Interaction(
            id: interactionID, applicationId: applicationID, type: type, data: data, guildId: nil,
            channel: .init(id: channelID, type: .directMessage, name: nil, guildId: nil), member: nil, token: token,
            message: message, appPermissions: Permissions.ticketParticipant.union(.attachFiles))
        interaction.user = users[userID]
        interactions.insert(InteractionRecord(interaction: interaction, createdAt: now, sentAt: ContinuousClock.now))
        dispatch(GatewayDispatch(event: "INTERACTION_CREATE", encoding: interaction, intent: nil), guildID: nil)
        return .ok(
            JSONValue.object([
                "interaction_id": .string(interactionID.description), "token": .string(token),
            ]), status: 201)
    }
}
