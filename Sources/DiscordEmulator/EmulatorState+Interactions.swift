import DiscordModels
import Foundation

extension EmulatorState {
    /// `POST /interactions/{id}/{token}/callback`: the initial response, once, within the deadline.
    mutating func interactionCallback(_ request: RESTRequest) -> RESTResponse {
        guard let token = request.parameters["token"], var record = interactions.byToken[token],
            request.id("interaction", as: InteractionEntity.self) == record.interaction.id
        else { return .error(.unknownInteraction) }
        if record.callbackType != nil { return .error(.alreadyAcknowledged) }
        guard request.now.timeIntervalSince(record.createdAt) <= configuration.interactionResponseDeadline.seconds
        else { return .error(.unknownInteraction) }

        var validator = FormValidator()
        let body = request.object
        guard let typeValue = validator.integer(body["type"], at: "type", required: true) else {
            return .error(.invalidFormBody(validator.problems))
        }
        let type = InteractionCallbackType(rawValue: typeValue)
        let data = validator.object(body["data"], at: "data") ?? [:]
        let isComponent = record.interaction.type == .messageComponent
        if record.interaction.type == .autocomplete, type != .autocompleteResult {
            // An autocomplete interaction is answered with suggestions, and only with them.
            return .error(
                .invalidFormBody(
                    path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID",
                    message: "Invalid interaction response type"))
        }
        switch type {
        case .pong:
            guard record.interaction.type == .ping else {
                return .error(
                    .invalidFormBody(
                        path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID",
                        message: "Invalid interaction response type"))
            }
        case .channelMessageWithSource, .deferredChannelMessageWithSource:
            var draftValidator = FormValidator()
            var draft = MessageDraft.parse(data, forInteraction: true, validator: &draftValidator)
            if type == .deferredChannelMessageWithSource {
                // A deferred response shows "thinking…" until the bot edits @original.
                draft.content = nil
                draft.embeds = nil
                draft.components = nil
                draft.flags = (draft.flags ?? []).intersection(.ephemeral).union(.loading)
            } else if draft.isEmpty {
                return .error(.emptyMessage)
            }
            guard draftValidator.isValid else {
                return .error(
                    .invalidFormBody(
                        draftValidator.problems.map { problem in
                            DiscordErrorBody.FieldError(
                                path: "data.\(problem.path)", code: problem.code, message: problem.message)
                        }))
            }
            record.originalMessage = responseMessage(draft, for: record, now: request.now)
        case .deferredUpdateMessage, .updateMessage:
            guard isComponent || record.interaction.type == .modalSubmit else {
                return .error(
                    .invalidFormBody(
                        path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID",
                        message: "Invalid interaction response type"))
            }
            if type == .updateMessage, let message = record.interaction.message {
                var draftValidator = FormValidator()
                let draft = MessageDraft.parse(data, forInteraction: true, validator: &draftValidator)
                guard draftValidator.isValid else { return .error(.invalidFormBody(draftValidator.problems)) }
                if let updated = updateComponentMessage(message, with: draft, body: data, now: request.now) {
                    record.originalMessage = updated
                }
            }
        case .modal:
            guard record.interaction.type != .modalSubmit else {
                return .error(
                    .invalidFormBody(
                        path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID",
                        message: "Invalid interaction response type"))
            }
            guard record.interaction.type != .autocomplete, record.interaction.type != .ping else {
                return .error(
                    .invalidFormBody(
                        path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID",
                        message: "Invalid interaction response type"))
            }
            ComponentValidator.validateModal(data, validator: &validator)
            guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
            record.modal = body["data"]
        case .autocompleteResult:
            guard record.interaction.type == .autocomplete else {
                return .error(
                    .invalidFormBody(
                        path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID",
                        message: "Invalid interaction response type"))
            }
            let choices = validator.array(data["choices"], at: "data.choices", maximumCount: 25, required: true) ?? []
            for (index, choice) in choices.enumerated() {
                guard let object = validator.object(choice, at: "data.choices.\(index)") else { continue }
                _ = validator.string(object["name"], at: "data.choices.\(index).name", length: 1...100, required: true)
                _ = validator.string(
                    object["value"], at: "data.choices.\(index).value", length: 1...100, required: true)
            }
            guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
            record.choices = data["choices"]
        default:
            return .error(
                .invalidFormBody(
                    path: "type", code: "BASE_TYPE_CHOICES", message: "Value must be one of (1, 4, 5, 6, 7, 8, 9)."))
        }
        record.callbackType = type
        record.acknowledgedAt = request.now
        let latency = ContinuousClock.now - record.sentAt
        records.append(
            EmulatorRecords.InteractionAck(
                interactionID: record.interaction.id.description, callbackType: type.rawValue,
                latencyMilliseconds: latency.seconds * 1000), to: \.interactionAcks)
        interactions.insert(record)

        guard ["true", "True", "1"].contains(request.query["with_response"] ?? "") else { return .noContent }
        // Discord describes a resource only for the callbacks that make or change a message (4, 7).
        var resource: [String: JSONValue]? =
            type == .channelMessageWithSource || type == .updateMessage ? ["type": .number(Double(type.rawValue))] : nil
        var response: [String: JSONValue] = [
            "id": .string(record.interaction.id.description), "type": .number(Double(record.interaction.type.rawValue)),
        ]
        if let message = record.originalMessage {
            response["response_message_id"] = .string(message.id.description)
            response["response_message_loading"] = .bool(type == .deferredChannelMessageWithSource)
            response["response_message_ephemeral"] = .bool(message.flags?.contains(.ephemeral) ?? false)
            if type == .channelMessageWithSource || type == .updateMessage,
                let encoded = try? DiscordJSON.makeEncoder().encode(message),
                let value = JSONValue.parse(encoded)
            {
                resource?["message"] = value
            }
        }
        var answer: [String: JSONValue] = ["interaction": .object(response)]
        if let resource, resource["message"] != nil { answer["resource"] = .object(resource) }
        return .ok(JSONValue.object(answer))
    }

    /// The message a type 4/5 response creates: public ones go to the channel; ephemeral ones only to the invoker.
    private mutating func responseMessage(_ draft: MessageDraft, for record: InteractionRecord, now: Date) -> Message? {
        guard let channelID = record.channelID, let guildID = record.guildID else { return nil }
        if draft.flags?.contains(.ephemeral) == true {
            var message = Message(
                id: MessageID(mintID(at: now)), channelId: channelID, author: botUser, content: draft.content ?? "",
                timestamp: DiscordTimestamp.string(from: now), embeds: draft.embeds ?? [],
                components: draft.components ?? [], type: record.interaction.type == .applicationCommand ? 20 : 0,
                flags: draft.flags ?? [])
            message.applicationId = applicationID
            message.webhookId = applicationID
            return message
        }
        var message = postMessage(
            draft, author: botID, in: channelID, guildID: guildID, now: now,
            type: record.interaction.type == .applicationCommand ? 20 : 0)
        message.webhookId = applicationID
        message.applicationId = applicationID
        if let index = messages[channelID]?.lastIndex(where: { $0.id == message.id }) {
            messages[channelID]?[index] = message
        }
        return message
    }

    /// Type 7: edits the message the clicked component is on.
    private mutating func updateComponentMessage(
        _ message: Message, with draft: MessageDraft, body: [String: JSONValue], now: Date
    ) -> Message? {
        let guildID = channelGuilds[message.channelId]
        let isDirect = directMessages.userByChannel[message.channelId] != nil
        guard guildID != nil || isDirect,
            let index = messages[message.channelId]?.firstIndex(where: { $0.id == message.id }),
            let stored = messages[message.channelId]?[index]
        else { return nil }
        let edited = applyEdit(draft, body: body, to: stored, now: now)
        messages[message.channelId]?[index] = edited
        // A DM's update goes only to the user (the bot has no DIRECT_MESSAGES intent here).
        if let guildID { dispatchMessage(edited, event: "MESSAGE_UPDATE", guildID: guildID) }
        return edited
    }

    // MARK: - Webhook routes (follow-ups and @original)

    /// The interaction behind a webhook route, if the application and token match and the token is alive.
    func webhookInteraction(_ request: RESTRequest) throws(DiscordAPIError) -> InteractionRecord {
        guard request.id("application", as: ApplicationEntity.self) == applicationID else {
            throw .unknownWebhook
        }
        guard let token = request.parameters["token"], let record = interactions.byToken[token] else {
            throw .unknownWebhook
        }
        guard request.now.timeIntervalSince(record.createdAt) <= configuration.interactionTokenLifetime.seconds else {
            throw .invalidWebhookToken
        }
        return record
    }

    mutating func getOriginalResponse(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let record = try webhookInteraction(request)
        guard let message = record.originalMessage, !record.originalDeleted else { return .error(.unknownMessage) }
        return .ok(message)
    }

    mutating func editOriginalResponse(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var record = try webhookInteraction(request)
        guard let original = record.originalMessage, !record.originalDeleted else { return .error(.unknownMessage) }
        var validator = FormValidator()
        let draft = MessageDraft.parse(request.object, forInteraction: true, validator: &validator)
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        var edited = applyEdit(draft, body: request.object, to: original, now: request.now)
        if original.flags?.contains(.loading) == true {
            // Editing a deferred "thinking…" response delivers the real message: no edit mark, no loading flag.
            edited.flags = original.flags?.subtracting(.loading)
            edited.editedTimestamp = nil
        }
        record.originalMessage = edited
        interactions.insert(record)
        if !(edited.flags?.contains(.ephemeral) ?? false), let guildID = record.guildID,
            let index = messages[edited.channelId]?.firstIndex(where: { $0.id == edited.id })
        {
            messages[edited.channelId]?[index] = edited
            dispatchMessage(edited, event: "MESSAGE_UPDATE", guildID: guildID)
        }
        return .ok(edited)
    }

    mutating func deleteOriginalResponse(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var record = try webhookInteraction(request)
        guard let original = record.originalMessage, !record.originalDeleted else { return .error(.unknownMessage) }
        record.originalDeleted = true
        interactions.insert(record)
        if !(original.flags?.contains(.ephemeral) ?? false), let guildID = record.guildID {
            removeMessage(original.id, in: original.channelId, guildID: guildID)
        }
        return .noContent
    }

    mutating func createFollowUp(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var record = try webhookInteraction(request)
        guard record.callbackType != nil else { return .error(.unknownWebhook) }
        var validator = FormValidator()
        let draft = MessageDraft.parse(request.object, forInteraction: true, validator: &validator)
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        guard !draft.isEmpty else { return .error(.emptyMessage) }
        if record.originalMessage?.flags?.contains(.loading) == true {
            // Right after a type-5 defer, the first follow-up replaces the loading message (documented quirk).
            return try editOriginalResponse(request)
        }
        guard let message = responseMessage(draft, for: record, now: request.now) else {
            return .error(.unknownChannel)
        }
        record.followUps.append(message)
        interactions.insert(record)
        return .ok(message)
    }

    mutating func editFollowUp(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var record = try webhookInteraction(request)
        guard let messageID = request.id("message", as: MessageEntity.self),
            let index = record.followUps.firstIndex(where: { $0.id == messageID })
        else { return .error(.unknownMessage) }
        var validator = FormValidator()
        let draft = MessageDraft.parse(request.object, forInteraction: true, validator: &validator)
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        let edited = applyEdit(draft, body: request.object, to: record.followUps[index], now: request.now)
        record.followUps[index] = edited
        interactions.insert(record)
        if let guildID = record.guildID,
            let storedIndex = messages[edited.channelId]?.firstIndex(where: { $0.id == edited.id })
        {
            messages[edited.channelId]?[storedIndex] = edited
            dispatchMessage(edited, event: "MESSAGE_UPDATE", guildID: guildID)
        }
        return .ok(edited)
    }

    mutating func getFollowUp(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let record = try webhookInteraction(request)
        guard let messageID = request.id("message", as: MessageEntity.self),
            let message = record.followUps.first(where: { $0.id == messageID })
        else { return .error(.unknownMessage) }
        return .ok(message)
    }

    mutating func deleteFollowUp(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        var record = try webhookInteraction(request)
        guard let messageID = request.id("message", as: MessageEntity.self),
            let index = record.followUps.firstIndex(where: { $0.id == messageID })
        else { return .error(.unknownMessage) }
        let message = record.followUps.remove(at: index)
        interactions.insert(record)
        if let guildID = record.guildID, !(message.flags?.contains(.ephemeral) ?? false) {
            removeMessage(message.id, in: message.channelId, guildID: guildID)
        }
        return .noContent
    }
}
