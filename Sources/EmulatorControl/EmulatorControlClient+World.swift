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

    /// A member runs a slash command; the interaction is dispatched to the bot.
    public func runCommand(
        _ name: String, in channelID: ChannelID, as userID: UserID
    ) async throws -> SentInteraction {
        struct Body: Encodable, Sendable {
            var channelId: String
            var userId: String
            var name: String
        }
        let body = Body(channelId: channelID.description, userId: userID.description, name: name)
        return try SentInteraction(try await call(.POST, "/interactions/command", body: body))
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
