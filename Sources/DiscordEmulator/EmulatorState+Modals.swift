import DiscordModels
import Foundation

/// Members filling in a modal and typing in an autocompleted command option, as Discord's client does.
extension EmulatorState {
    /// `POST /_emulator/interactions/modal`: the member who received a modal (`interaction_id`, the interaction
    /// answered with type 9) submits it with `values` by input `custom_id`. The client's own checks apply: a
    /// required input must be filled and every value must fit its input's length bounds; a modal is submitted
    /// once, within the interaction token's lifetime.
    mutating func controlSubmitModal(_ request: RESTRequest) -> RESTResponse {
        let body = request.object
        guard let interactionID = body["interaction_id"]?.snowflakeValue.map({ InteractionID($0) }),
            let token = interactions.tokenByID[interactionID], var record = interactions.byToken[token],
            let modal = record.modal?.objectValue
        else {
            return .error(
                DiscordAPIError(status: 400, code: 0, message: "That interaction was not answered with a modal"))
        }
        guard !record.modalSubmitted else {
            return .error(DiscordAPIError(status: 400, code: 0, message: "The modal was already submitted"))
        }
        guard request.now.timeIntervalSince(record.createdAt) <= configuration.interactionTokenLifetime.seconds else {
            return .error(.unknownInteraction)
        }
        let inDirectMessage = record.channelID.flatMap { directMessages.userByChannel[$0] } != nil
        let place = record.channelID.flatMap { self.channel($0) }
        guard let channelID = record.channelID, let userID = record.interaction.invoker?.id,
            inDirectMessage || place.map({ $0.0.members[userID] != nil }) == true
        else { return .error(.unknownChannel) }
        let typed = body["values"]?.objectValue ?? [:]
        var rows: [Component] = []
        for row in modal["components"]?.arrayValue ?? [] {
            guard let input = row["components"]?.arrayValue?.first, let customID = input["custom_id"]?.stringValue
            else { continue }
            let value = typed[customID]?.stringValue ?? ""
            let minimum = input["min_length"]?.intValue ?? 0
            let maximum = input["max_length"]?.intValue ?? 4_000
            let required = input["required"]?.boolValue ?? true
            // Compared one bound at a time: a range with its bounds the wrong way round would trap.
            let length = value.unicodeScalars.count  // code points, as Discord counts
            if value.isEmpty ? required : length < minimum || length > maximum {
                return .error(
                    DiscordAPIError(
                        status: 400, code: 0,
                        message: "The client would not submit: \(customID) needs \(minimum)–\(maximum) characters"))
            }
            var submitted = Component(type: .textInput, customId: customID)
            submitted.value = value
            rows.append(.actionRow([submitted]))
        }
        record.modalSubmitted = true
        interactions.insert(record)
        var data = InteractionData()
        data.customId = modal["custom_id"]?.stringValue
        data.components = rows
        guard let (guild, channel) = place else {
            return sendDirectInteraction(
                type: .modalSubmit, data: data, channelID: channelID, userID: userID,
                message: record.interaction.message, now: request.now)
        }
        return sendInteraction(
            type: .modalSubmit, data: data, guild: guild, channel: channel, userID: userID,
            message: record.interaction.message, now: request.now)
    }

    /// `POST /_emulator/interactions/autocomplete`: a member types in a command option marked `autocomplete`;
    /// `options` holds the values so far, one of them `focused`.
    mutating func controlAutocomplete(_ request: RESTRequest) throws(DiscordAPIError) -> RESTResponse {
        let body = request.object
        let (guild, channel, userID, command) = try commandTarget(body)
        let options = body["options"]?.arrayValue?.compactMap { $0.decoded(as: InteractionOption.self) } ?? []
        guard let focused = options.first(where: { $0.focused == true }),
            command.options?.contains(where: { $0.name == focused.name && $0.autocomplete == true }) == true
        else {
            return .error(DiscordAPIError(status: 400, code: 0, message: "No focused option that autocompletes"))
        }
        var data = InteractionData()
        data.id = command.id
        data.name = command.name
        data.type = 1
        data.options = options
        return sendInteraction(
            type: .autocomplete, data: data, guild: guild, channel: channel, userID: userID, message: nil,
            now: request.now)
    }
}
