import DiscordModels
import Foundation

/// An interaction the emulator sent, and everything the bot did in answer to it.
struct InteractionRecord: Sendable {
    var interaction: Interaction
    var createdAt: Date
    /// Monotonic send time, for the click-to-acknowledgement latency.
    var sentAt: ContinuousClock.Instant
    var callbackType: InteractionCallbackType?
    var acknowledgedAt: Date?
    /// The response message: the ephemeral or public reply of types 4/5, or the edited message of type 7.
    var originalMessage: Message?
    var originalDeleted = false
    var followUps: [Message] = []
    /// The modal shown (type 9), which a member may submit once.
    var modal: JSONValue?
    var modalSubmitted = false
    /// The autocomplete suggestions (type 8).
    var choices: JSONValue?

    var guildID: GuildID? { interaction.guildId }
    var channelID: ChannelID? { interaction.channelId }
}

/// Interactions by token, forgotten once their token has expired (15 minutes).
struct InteractionBook: Sendable {
    var byToken: [String: InteractionRecord] = [:]
    var tokenByID: [InteractionID: String] = [:]

    mutating func insert(_ record: InteractionRecord) {
        byToken[record.interaction.token] = record
        tokenByID[record.interaction.id] = record.interaction.token
    }

    mutating func purge(olderThan cutoff: Date) {
        guard byToken.count > 256 else { return }
        for (token, record) in byToken where record.createdAt < cutoff {
            byToken[token] = nil
            tokenByID[record.interaction.id] = nil
        }
    }
}
