public import DiscordModels

/// What the ticket workflows ask of Discord, as a port: the composition root plugs in the REST client
/// (`RESTDiscordActions`), unit tests an in-memory fake that records every call and answers as told. Failures
/// are Discord's typed errors, so a workflow can tell a missing permission from an expired interaction
/// whichever side answers.
public protocol DiscordActions: Sendable {
    /// The same actions, with every refusal counted against `guildID`'s own budget (a guild that took a
    /// permission from the bot spends its budget, not the process's).
    func accountable(to guildID: GuildID) -> Self

    // Interactions (answered with the interaction's token, not the bot token).
    func createInteractionResponse(
        _ interactionID: InteractionID, token: String, _ response: InteractionResponse
    ) async throws(DiscordRESTError)
    func editOriginalInteractionResponse(
        _ applicationID: ApplicationID, token: String, _ message: MessageRequest
    ) async throws(DiscordRESTError) -> Message
    func deleteOriginalInteractionResponse(_ applicationID: ApplicationID, token: String) async throws(DiscordRESTError)

    // The guild and its channels.
    func getGuild(_ guildID: GuildID) async throws(DiscordRESTError) -> Guild
    func getGuildChannels(_ guildID: GuildID) async throws(DiscordRESTError) -> [Channel]
    /// One member of the guild as Discord knows them (no privileged intent needed): the bot's own view of a
    /// member an interaction names, never the interaction's word for it.
    func getGuildMember(_ guildID: GuildID, _ userID: UserID) async throws(DiscordRESTError) -> GuildMember
    func createGuildChannel(
        _ guildID: GuildID, _ body: CreateChannelRequest, reason: String?
    ) async throws(DiscordRESTError) -> Channel
    func deleteChannel(_ channelID: ChannelID, reason: String?) async throws(DiscordRESTError) -> Channel
    func editChannelPermission(
        _ channelID: ChannelID, _ overwrite: PermissionOverwrite, reason: String?
    ) async throws(DiscordRESTError)
    func deleteChannelPermission(
        _ channelID: ChannelID, target: MentionableID, reason: String?
    ) async throws(DiscordRESTError)
    /// Changes a channel's name and/or topic (Discord allows two such changes per channel per 10 minutes).
    func modifyChannel(
        _ channelID: ChannelID, _ body: ModifyChannelRequest, reason: String?
    ) async throws(DiscordRESTError) -> Channel

    // Messages.
    func createMessage(_ channelID: ChannelID, _ message: MessageRequest) async throws(DiscordRESTError) -> Message
    /// A message with files attached (a multipart upload).
    func createMessage(
        _ channelID: ChannelID, _ message: MessageRequest, files: [FileUpload]
    ) async throws(DiscordRESTError) -> Message
    /// The DM channel with a user.
    func createDirectMessageChannel(_ recipientID: UserID) async throws(DiscordRESTError) -> Channel
    func editMessage(
        _ channelID: ChannelID, _ messageID: MessageID, _ message: MessageRequest
    ) async throws(DiscordRESTError) -> Message
    /// The newest `limit` messages (at most 100), newest first.
    func getMessages(_ channelID: ChannelID, limit: Int) async throws(DiscordRESTError) -> [Message]
    /// A channel's whole history (at most 50,000 messages), oldest first.
    func getAllMessages(_ channelID: ChannelID) async throws(DiscordRESTError) -> [Message]
}
