import DiscordModels
import DiscordREST
import TicketCore

/// The ticket workflows' `DiscordActions` port, served by Discord's REST API (rate-limited, with Discord's
/// errors). The composition root hands it to every guild actor. Every message and modal is made to fit
/// Discord's limits here, in one place (`MessageRequest.fittingDiscordLimits`).
struct RESTDiscordActions: DiscordActions {
    let client: DiscordRESTClient

    func accountable(to guildID: GuildID) -> RESTDiscordActions {
        RESTDiscordActions(client: client.accountable(to: guildID))
    }

    func createInteractionResponse(
        _ interactionID: InteractionID, token: String, _ response: InteractionResponse
    ) async throws(DiscordRESTError) {
        var response = response
        response.data = response.data?.fittingDiscordLimits()
        response.modal = response.modal?.fittingDiscordLimits()
        try await client.createInteractionResponse(interactionID, token: token, response)
    }

    func editOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String, _ message: MessageRequest
    ) async throws(DiscordRESTError) -> Message {
        try await client.editOriginalInteractionResponse(applicationID, token: token, message.fittingDiscordLimits())
    }

    func deleteOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String
    ) async throws(DiscordRESTError) {
        try await client.deleteOriginalInteractionResponse(applicationID, token: token)
    }

    func getGuild(_ guildID: GuildID) async throws(DiscordRESTError) -> Guild {
        try await client.getGuild(guildID)
    }

    func getGuildChannels(_ guildID: GuildID) async throws(DiscordRESTError) -> [Channel] {
        try await client.getGuildChannels(guildID)
    }

    func createGuildChannel(
        _ guildID: GuildID, _ body: CreateChannelRequest, reason: String?
    ) async throws(DiscordRESTError) -> Channel {
        try await client.createGuildChannel(guildID, body, reason: reason)
    }

    func deleteChannel(_ channelID: ChannelID, reason: String?) async throws(DiscordRESTError) -> Channel {
        try await client.deleteChannel(channelID, reason: reason)
    }

    func editChannelPermission(
        _ channelID: ChannelID, _ overwrite: PermissionOverwrite, reason: String?
    ) async throws(DiscordRESTError) {
        try await client.editChannelPermission(channelID, overwrite, reason: reason)
    }

    func deleteChannelPermission(
        _ channelID: ChannelID, target: MentionableID, reason: String?
    ) async throws(DiscordRESTError) {
        try await client.deleteChannelPermission(channelID, target: target, reason: reason)
    }

    func modifyChannel(
        _ channelID: ChannelID, _ body: ModifyChannelRequest, reason: String?
    ) async throws(DiscordRESTError) -> Channel {
        try await client.modifyChannel(channelID, body, reason: reason)
    }

    func createMessage(_ channelID: ChannelID, _ message: MessageRequest) async throws(DiscordRESTError) -> Message {
        try await client.createMessage(channelID, message.fittingDiscordLimits())
    }

    func createMessage(
        _ channelID: ChannelID, _ message: MessageRequest, files: [FileUpload]
    ) async throws(DiscordRESTError) -> Message {
        try await client.createMessage(channelID, message.fittingDiscordLimits(), files: files)
    }

    func getGuildMember(_ guildID: GuildID, _ userID: UserID) async throws(DiscordRESTError) -> GuildMember {
        try await client.getGuildMember(guildID, userID)
    }

    func createDirectMessageChannel(_ recipientID: UserID) async throws(DiscordRESTError) -> Channel {
        try await client.createDirectMessageChannel(recipientID)
    }

    func editMessage(
        _ channelID: ChannelID, _ messageID: MessageID, _ message: MessageRequest
    ) async throws(DiscordRESTError) -> Message {
        try await client.editMessage(channelID, messageID, message.fittingDiscordLimits())
    }

    func getMessages(_ channelID: ChannelID, limit: Int) async throws(DiscordRESTError) -> [Message] {
        try await client.getMessages(channelID, limit: limit)
    }

    func getAllMessages(_ channelID: ChannelID) async throws(DiscordRESTError) -> [Message] {
        try await client.getAllMessages(channelID)
    }
}
