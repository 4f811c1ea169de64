public import DiscordEmulator
public import DiscordModels
import Foundation

/// Reading the world and acting in it as members do.
extension EmulatorControlClient {
    /// The IDs of every guild, in the order they were created.
    public func guildIDs() async throws -> [GuildID] {
        let state = try await call(.GET, "/state").json
        return (state?["guilds"]?.arrayValue ?? []).compactMap { $0["id"]?.snowflakeValue }.map { GuildID($0) }
    }

    /// A guild with its roles, channels and members.
    public func guild(_ guildID: GuildID) async throws -> Guild {
        try await call(.GET, "/guilds/\(guildID)").decode(Guild.self)
    }

    public func messages(in channelID: ChannelID) async throws -> [Message] {
        try await call(.GET, "/channels/\(channelID)/messages").decode([Message].self)
    }

    /// A member writes in a channel, as Discord's client would (dispatches MESSAGE_CREATE).
    @discardableResult
    public func post(_ content: String, in channelID: ChannelID, as userID: UserID) async throws -> Message {
        struct Body: Encodable, Sendable {
            var userId: String
            var content: String
        }
        return try await call(
            .POST, "/channels/\(channelID)/messages", body: Body(userId: userID.description, content: content)
        ).decode(Message.self)
    }

    /// One option value as a member typed it (`focused` while they are still typing it, for autocomplete).
    public struct OptionValue: Encodable, Sendable {
        public var name: String
        public var type = 3
        public var value: String
        public var focused: Bool?

        public init(name: String, value: String, focused: Bool? = nil) {
            self.name = name
            self.value = value
            self.focused = focused
        }
    }

    private struct CommandBody: Encodable, Sendable {
        var channelId: String
        var userId: String
        var name: String
        var subcommand: String?
        var options: [OptionValue]?
    }

    /// A member runs a slash command (with string `options`); the interaction is dispatched to the bot.
    /// `subcommand` names the chosen subcommand of a command that has them; the emulator types and resolves
    /// the values from the command's registration, as Discord's client does.
    public func runCommand(
        _ name: String, _ subcommand: String? = nil, in channelID: ChannelID, as userID: UserID,
        options: [OptionValue]? = nil
    ) async throws -> SentInteraction {
        let body = CommandBody(
            channelId: channelID.description, userId: userID.description, name: name, subcommand: subcommand,
            options: options)
        return try SentInteraction(try await call(.POST, "/interactions/command", body: body))
    }

    /// A testing aid: delivers an interaction with exactly `data` (a JSON object), as a modified client could
    /// make Discord deliver it (`POST /_emulator/interactions/raw`, docs/emulator.md). `type`: 2 command,
    /// 3 component, 5 modal submit. The emulator fills in the member, channel, ID and token, as Discord does.
    public func sendRawInteraction(
        type: Int, data: String, in channelID: ChannelID, on messageID: MessageID? = nil, as userID: UserID
    ) async throws -> SentInteraction {
        let message = messageID.map { #","message_id":"\#($0)""# } ?? ""
        let json = #"{"type":\#(type),"channel_id":"\#(channelID)","user_id":"\#(userID)"\#(message),"data":\#(data)}"#
        return try SentInteraction(try await call(.POST, "/interactions/raw", json: json))
    }

    /// A member types in an autocompleted option (the one marked `focused`); the bot is asked for suggestions.
    public func autocomplete(
        _ name: String, in channelID: ChannelID, as userID: UserID, options: [OptionValue]
    ) async throws -> SentInteraction {
        let body = CommandBody(
            channelId: channelID.description, userId: userID.description, name: name, options: options)
        return try SentInteraction(try await call(.POST, "/interactions/autocomplete", body: body))
    }

    /// A member picks `values` in a select menu (`customID`) on a message.
    public func select(
        _ values: [String], in customID: String, on messageID: MessageID, in channelID: ChannelID, as userID: UserID
    ) async throws -> SentInteraction {
        struct Body: Encodable, Sendable {
            var channelId: String
            var messageId: String
            var userId: String
            var customId: String
            var values: [String]
        }
        let body = Body(
            channelId: channelID.description, messageId: messageID.description, userId: userID.description,
            customId: customID, values: values)
        return try SentInteraction(try await call(.POST, "/interactions/component", body: body))
    }

    /// The member who was shown a modal in answer to `interaction` fills it in (`values` by input custom ID)
    /// and submits it; the modal-submit interaction is dispatched to the bot.
    public func submitModal(
        of interaction: SentInteraction, values: [String: String]
    ) async throws -> SentInteraction {
        struct Body: Encodable, Sendable {
            var interactionId: String
            var values: [String: String]
        }
        return try SentInteraction(
            try await call(.POST, "/interactions/modal", body: Body(interactionId: interaction.id, values: values)))
    }

    /// A member clicks a button (`customID`) on a message; the interaction is dispatched to the bot.
    public func click(
        _ customID: String, on messageID: MessageID, in channelID: ChannelID, as userID: UserID
    ) async throws -> SentInteraction {
        struct Body: Encodable, Sendable {
            var channelId: String
            var messageId: String
            var userId: String
            var customId: String
        }
        let body = Body(
            channelId: channelID.description, messageId: messageID.description, userId: userID.description,
            customId: customID)
        return try SentInteraction(try await call(.POST, "/interactions/component", body: body))
    }

    /// What the bot answered to an interaction so far (`acknowledged`, `original_message`, follow-ups).
    public func interaction(_ interaction: SentInteraction) async throws -> JSONValue {
        try await call(.GET, "/interactions/\(interaction.id)").json ?? .null
    }
}

/// An interaction the emulator dispatched on a member's behalf.
public struct SentInteraction: Sendable, Hashable {
    public var id: String
    public var token: String

    public init(id: String, token: String = "") {
        self.id = id
        self.token = token
    }

    init(_ response: EmulatorControlClient.Response) throws {
        guard let id = response.json?["interaction_id"]?.stringValue else {
            throw EmulatorControlError(
                method: "POST", path: "/interactions", status: response.status, message: "no interaction_id")
        }
        self.id = id
        token = response.json?["token"]?.stringValue ?? ""
    }
}
