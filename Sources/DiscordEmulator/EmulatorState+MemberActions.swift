import DiscordModels
import Foundation

/// Members acting through Discord's client: running slash commands and clicking buttons, which reach
/// the bot as INTERACTION_CREATE.
extension EmulatorState {
    /// The channel, member and registered chat command a command or autocomplete request names.
    func commandTarget(
        _ body: [String: JSONValue]
    ) throws(DiscordAPIError) -> (guild: EmulatedGuild, channel: Channel, userID: UserID, command: ApplicationCommand) {
        guard let channelID = body["channel_id"]?.snowflakeValue.map({ ChannelID($0) }),
            let (guild, channel) = channel(channelID)
        else { throw .unknownChannel }
        guard let userID = body["user_id"]?.snowflakeValue.map({ UserID($0) }), guild.members[userID] != nil else {
            throw .unknownMember
        }
        guard let name = body["name"]?.stringValue,
            let command = commands.first(where: { $0.name == name && ($0.type ?? 1) == 1 })
        else { throw DiscordAPIError(status: 400, code: 0, message: "No registered command with that name") }
        return (guild, channel, userID, command)
    }

    /// `POST /_emulator/interactions/command`: a member runs a slash command in a channel.
    mutating func controlRunCommand(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let body = request.object
        let (guild, channel, userID, command) = try commandTarget(body)
        let memberPermissions = guild.permissions(of: userID, in: channel)
        guard memberPermissions.contains(.viewChannel), memberPermissions.contains(.useApplicationCommands) else {
            return .error(.missingPermissions)
        }
        // Discord's client hides a command from members lacking default_member_permissions, unless an admin
        // overrode the command's permissions for the guild; `bypass_default_permissions` simulates that override.
        if let required = command.defaultMemberPermissions, !guild.basePermissions(of: userID).isSuperset(of: required),
            body["bypass_default_permissions"]?.boolValue != true
        {
            return .error(DiscordAPIError(status: 403, code: 50013, message: "The member cannot see this command"))
        }
        var data = InteractionData()
        data.id = command.id
        data.name = command.name
        data.type = 1
        // What the member typed, as text: the client types and resolves it from the command's declaration.
        let typed = (body["options"]?.arrayValue ?? []).compactMap { option -> (name: String, value: String)? in
            guard let name = option["name"]?.stringValue else { return nil }
            let value = option["value"]
            return (name, value?.stringValue ?? value?.intValue.map(String.init) ?? "")
        }
        let (options, resolved) = try CommandOptionResolver(guild: guild, users: users).resolve(
            command, subcommand: body["subcommand"]?.stringValue, typed: typed)
        data.options = options.isEmpty ? nil : options
        data.resolved = resolved
        return sendInteraction(
            type: .applicationCommand, data: data, guild: guild, channel: channel, userID: userID, message: nil,
            now: request.now)
    }

    /// `POST /_emulator/interactions/component`: a member clicks a button on a message.
    mutating func controlClickButton(_ request: RESTRequest) -> RESTResponse {
        let body = request.object
        if let channelID = body["channel_id"]?.snowflakeValue.map({ ChannelID($0) }),
            let recipient = directMessages.userByChannel[channelID]
        {
            return clickInDirectMessage(body, channelID: channelID, recipient: recipient, now: request.now)
        }
        guard let channelID = body["channel_id"]?.snowflakeValue.map({ ChannelID($0) }),
            let (guild, channel) = channel(channelID)
        else { return .error(.unknownChannel) }
        guard let userID = body["user_id"]?.snowflakeValue.map({ UserID($0) }), guild.members[userID] != nil else {
            return .error(.unknownMember)
        }
        guard let messageID = body["message_id"]?.snowflakeValue.map({ MessageID($0) }) else {
            return .error(.unknownMessage)
        }
        let message =
            messages[channelID]?.first(where: { $0.id == messageID })
            ?? interactions.byToken.values.lazy.compactMap(\.originalMessage).first(where: { $0.id == messageID })
        guard let message else { return .error(.unknownMessage) }
        guard guild.permissions(of: userID, in: channel).contains(.viewChannel) else { return .error(.missingAccess) }
        guard let customID = body["custom_id"]?.stringValue,
            let component = (message.components ?? []).flatMap(\.flattened).first(where: { $0.customId == customID })
        else {
            return .error(
                DiscordAPIError(status: 400, code: 0, message: "The message has no component with that custom_id"))
        }
        guard component.disabled != true else {
            return .error(DiscordAPIError(status: 400, code: 0, message: "The component is disabled"))
        }
        var data = InteractionData()
        data.customId = customID
        data.componentType = component.type
        if component.type.isSelect {
            let values = body["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
            // Discord's client only lets a member pick offered values, as many as the menu allows.
            if component.type == .stringSelect {
                let offered = Set((component.options ?? []).map(\.value))
                guard values.allSatisfy(offered.contains), Set(values).count == values.count,
                    values.count >= (component.minValues ?? 1), values.count <= (component.maxValues ?? 1)
                else {
                    return .error(
                        DiscordAPIError(status: 400, code: 0, message: "Those values cannot be chosen in this menu"))
                }
            }
            data.values = values
        }
        return sendInteraction(
            type: .messageComponent, data: data, guild: guild, channel: channel, userID: userID, message: message,
            now: request.now)
    }

    /// Builds the interaction as Discord does, remembers it for the callback and dispatches INTERACTION_CREATE.
    mutating func sendInteraction(
        type: InteractionType, data: InteractionData, guild: EmulatedGuild, channel: Channel, userID: UserID,
        message: Message?, now: Date
    ) -> RESTResponse {
        interactions.purge(olderThan: now.addingTimeInterval(-configuration.interactionTokenLifetime.seconds))
        let interactionID = InteractionID(mintID(at: now))
        let token = "aW50ZXJhY3Rpb246" + Self.randomHex(bytes: 24)
        var member = guild.member(userID, users: users)
        member?.permissions = guild.permissions(of: userID, in: channel)
        let interaction = Interaction(
            id: interactionID, applicationId: applicationID, type: type, data: data, guildId: guild.id,
            channel: .init(id: channel.id, type: channel.type, name: channel.name, guildId: guild.id), member: member,
            token: token, message: message, appPermissions: guild.permissions(of: botID, in: channel))
        interactions.insert(
            InteractionRecord(interaction: interaction, createdAt: now, sentAt: ContinuousClock.now))
        dispatch(GatewayDispatch(event: "INTERACTION_CREATE", encoding: interaction, intent: nil), guildID: guild.id)
        return .ok(
            JSONValue.object([
                "interaction_id": .string(interactionID.description), "token": .string(token),
            ]), status: 201)
    }

    /// What the bot answered to an interaction: callback type, latency, the response and follow-ups.
    func controlInteraction(_ request: RESTRequest) -> RESTResponse {
        guard let interactionID = request.id("interaction", as: InteractionEntity.self),
            let token = interactions.tokenByID[interactionID], let record = interactions.byToken[token]
        else { return .error(.unknownInteraction) }
        let encoder = DiscordJSON.makeEncoder()
        func json<Value: Encodable>(_ value: Value?) -> JSONValue {
            guard let value, let data = try? encoder.encode(value) else { return .null }
            return JSONValue.parse(data) ?? .null
        }
        var latency: JSONValue = .null
        if let acknowledgedAt = record.acknowledgedAt {
            latency = .number(acknowledgedAt.timeIntervalSince(record.createdAt) * 1000)
        }
        return .ok(
            JSONValue.object([
                "id": .string(record.interaction.id.description),
                "type": .number(Double(record.interaction.type.rawValue)),
                "acknowledged": .bool(record.callbackType != nil),
                "callback_type": record.callbackType.map { .number(Double($0.rawValue)) } ?? .null,
                "acknowledgement_latency_ms": latency,
                "original_message": record.originalDeleted ? .null : json(record.originalMessage),
                "follow_ups": json(record.followUps), "modal": record.modal ?? .null,
                "choices": record.choices ?? .null,
            ]))
    }
}

extension EmulatorState {
    /// `POST /_emulator/interactions/raw` (a testing aid, not Discord behaviour): delivers an interaction whose
    /// `data` is exactly what the test sends, as a modified client could make Discord deliver it: a button's
    /// custom ID the message does not carry, a select value the menu does not offer, a modal naming another form,
    /// `resolved` members that say anything. The emulator still fills in what Discord itself vouches for (the
    /// member, the channel, the ID and token), and checks that the member is in the guild and sees the channel.
    /// Body: `type` (2 command, 3 component, 5 modal submit), `channel_id`, `user_id`, optional `message_id`,
    /// and `data` (an interaction data object).
    mutating func controlRawInteraction(_ request: RESTRequest) -> RESTResponse {
        let body = request.object
        guard let typeValue = body["type"]?.intValue, [2, 3, 5].contains(typeValue) else {
            return .error(DiscordAPIError(status: 400, code: 0, message: "type must be 2, 3 or 5"))
        }
        let type = InteractionType(rawValue: typeValue)
        guard let channelID = body["channel_id"]?.snowflakeValue.map({ ChannelID($0) }),
            let (guild, channel) = channel(channelID)
        else { return .error(.unknownChannel) }
        guard let userID = body["user_id"]?.snowflakeValue.map({ UserID($0) }), guild.members[userID] != nil else {
            return .error(.unknownMember)
        }
        guard guild.permissions(of: userID, in: channel).contains(.viewChannel) else { return .error(.missingAccess) }
        guard let data = body["data"]?.decoded(as: InteractionData.self) else {
            return .error(DiscordAPIError(status: 400, code: 0, message: "data must be an interaction data object"))
        }
        var message: Message?
        if let messageID = body["message_id"]?.snowflakeValue.map({ MessageID($0) }) {
            message =
                messages[channelID]?.first(where: { $0.id == messageID })
                ?? interactions.byToken.values.lazy.compactMap(\.originalMessage).first(where: { $0.id == messageID })
            guard message != nil else { return .error(.unknownMessage) }
        }
        return sendInteraction(
            type: type, data: data, guild: guild, channel: channel, userID: userID, message: message, now: request.now)
    }
}
