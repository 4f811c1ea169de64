import DiscordModels
import Foundation
import Synchronization
import TicketCore

/// An in-memory Discord behind the `DiscordActions` port, for unit tests of the ticket workflows without the
/// emulator or HTTP: every call is recorded in order, channels and messages get increasing IDs, and a test
/// makes any operation fail with Discord's error of its choice.
final class RecordingDiscordActions: DiscordActions {
    enum Operation: String, Sendable {
        case acknowledge, editReply, deleteReply, getGuild, getChannels, createChannel, deleteChannel
        case editPermission, postMessage, editMessage, readMessages
    }

    struct Call: Sendable, Equatable {
        var operation: Operation
        /// The channel, interaction or guild the call was about.
        var target: UInt64
        /// The text that matters: a channel's name, a message's content or first embed title, a reply.
        var text: String?
    }

    private struct State {
        var calls: [Call] = []
        var failures: [Operation: DiscordRESTError] = [:]
        var channels: [ChannelID: Channel] = [:]
        var messages: [ChannelID: [Message]] = [:]
        var nextID: UInt64 = 900_000
    }

    private let state = Mutex(State())
    let botUser = User(id: 1, username: "Aetheria", bot: true)

    var calls: [Call] { state.withLock { $0.calls } }

    func calls(_ operation: Operation) -> [Call] { calls.filter { $0.operation == operation } }

    /// Makes every later `operation` fail with `error` (until `succeed`).
    func fail(_ operation: Operation, with error: DiscordRESTError) {
        state.withLock { $0.failures[operation] = error }
    }

    func succeed(_ operation: Operation) {
        state.withLock { $0.failures[operation] = nil }
    }

    static func refusal(_ code: Int, _ message: String) -> DiscordRESTError {
        DiscordRESTError(status: 403, body: DiscordErrorBody(code: code, message: message), route: "test")
    }

    func accountable(to guildID: GuildID) -> RecordingDiscordActions { self }

    private func record(_ operation: Operation, _ target: UInt64, _ text: String?) throws(DiscordRESTError) {
        let failure = state.withLock { state -> DiscordRESTError? in
            state.calls.append(Call(operation: operation, target: target, text: text))
            return state.failures[operation]
        }
        if let failure { throw failure }
    }

    private func newID() -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    private func message(in channelID: ChannelID, _ request: MessageRequest) -> Message {
        Message(
            id: MessageID(newID()), channelId: channelID, author: botUser, content: request.content ?? "",
            timestamp: "2026-12-05T12:00:00.000000+00:00", embeds: request.embeds ?? [],
            components: request.components ?? [])
    }

    func createInteractionResponse(
        _ interactionID: InteractionID, token: String, _ response: InteractionResponse
    ) async throws(DiscordRESTError) {
        try record(.acknowledge, interactionID.rawValue, response.data?.content)
    }

    func editOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String, _ request: MessageRequest
    ) async throws(DiscordRESTError) -> Message {
        try record(.editReply, 0, request.content)
        return message(in: 0, request)
    }

    func deleteOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String
    ) async throws(DiscordRESTError) {
        try record(.deleteReply, 0, nil)
    }

    func getGuild(_ guildID: GuildID) async throws(DiscordRESTError) -> Guild {
        try record(.getGuild, guildID.rawValue, nil)
        return Guild(
            id: guildID, name: "Test guild", ownerId: 2, roles: [], channels: [], members: [], memberCount: 3,
            joinedAt: "2026-12-05T12:00:00.000000+00:00")
    }

    func getGuildChannels(_ guildID: GuildID) async throws(DiscordRESTError) -> [Channel] {
        try record(.getChannels, guildID.rawValue, nil)
        return state.withLock { Array($0.channels.values) }
    }

    func createGuildChannel(
        _ guildID: GuildID, _ body: CreateChannelRequest, reason: String?
    ) async throws(DiscordRESTError) -> Channel {
        try record(.createChannel, guildID.rawValue, body.name)
        let channel = Channel(
            id: ChannelID(newID()), type: body.type, guildId: guildID, position: 0, name: body.name,
            permissionOverwrites: body.permissionOverwrites ?? [], topic: body.topic, parentId: body.parentId)
        state.withLock { $0.channels[channel.id] = channel }
        return channel
    }

    func deleteChannel(_ channelID: ChannelID, reason: String?) async throws(DiscordRESTError) -> Channel {
        try record(.deleteChannel, channelID.rawValue, nil)
        guard let channel = state.withLock({ $0.channels.removeValue(forKey: channelID) }) else {
            throw DiscordRESTError(
                status: 404, body: DiscordErrorBody(code: 10003, message: "Unknown Channel"), route: "test")
        }
        return channel
    }

    func editChannelPermission(
        _ channelID: ChannelID, _ overwrite: PermissionOverwrite, reason: String?
    ) async throws(DiscordRESTError) {
        try record(.editPermission, channelID.rawValue, nil)
    }

    func deleteChannelPermission(
        _ channelID: ChannelID, target: MentionableID, reason: String?
    ) async throws(DiscordRESTError) {
        try record(.editPermission, channelID.rawValue, nil)
    }

    func modifyChannel(
        _ channelID: ChannelID, _ body: ModifyChannelRequest, reason: String?
    ) async throws(DiscordRESTError) -> Channel {
        try record(.editPermission, channelID.rawValue, body.name)
        return Channel(
            id: channelID, type: .guildText, guildId: 0, position: 0, name: body.name ?? "", permissionOverwrites: [],
            topic: body.topic, parentId: nil)
    }

    func createMessage(_ channelID: ChannelID, _ request: MessageRequest) async throws(DiscordRESTError) -> Message {
        try record(.postMessage, channelID.rawValue, request.content ?? request.embeds?.first?.title)
        let posted = message(in: channelID, request)
        state.withLock { $0.messages[channelID, default: []].append(posted) }
        return posted
    }

    func createMessage(
        _ channelID: ChannelID, _ request: MessageRequest, files: [FileUpload]
    ) async throws(DiscordRESTError) -> Message {
        try await createMessage(channelID, request)
    }

    /// Every user is a member without roles (tests that need roles use the emulator).
    func getGuildMember(_ guildID: GuildID, _ userID: UserID) async throws(DiscordRESTError) -> GuildMember {
        try record(.getGuild, userID.rawValue, "member")
        return GuildMember(
            user: User(id: userID, username: "user-\(userID)"), roles: [], joinedAt: "2025-01-01T00:00:00.000000+00:00")
    }

    func createDirectMessageChannel(_ recipientID: UserID) async throws(DiscordRESTError) -> Channel {
        try record(.postMessage, recipientID.rawValue, "dm")
        return Channel(
            id: ChannelID(recipientID.rawValue), type: .directMessage, guildId: nil, position: 0, name: "",
            permissionOverwrites: [], topic: nil, parentId: nil)
    }

    func editMessage(
        _ channelID: ChannelID, _ messageID: MessageID, _ request: MessageRequest
    ) async throws(DiscordRESTError) -> Message {
        try record(.editMessage, messageID.rawValue, request.content ?? request.embeds?.first?.title)
        var edited = message(in: channelID, request)
        edited.id = messageID
        return edited
    }

    func getMessages(_ channelID: ChannelID, limit: Int) async throws(DiscordRESTError) -> [Message] {
        try record(.readMessages, channelID.rawValue, nil)
        return state.withLock { Array(($0.messages[channelID] ?? []).suffix(limit).reversed()) }
    }

    func getAllMessages(_ channelID: ChannelID) async throws(DiscordRESTError) -> [Message] {
        try record(.readMessages, channelID.rawValue, nil)
        return state.withLock { $0.messages[channelID] ?? [] }
    }
}
