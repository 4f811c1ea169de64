import DiscordModels
import Foundation

/// `enforce_nonce` on message creation: a second message by the same author with the same nonce within a
/// few minutes is not created; Discord answers with the first one instead. Discord does not say how many
/// minutes; the emulator keeps nonces for five, and at most 10,000 of them.
struct NonceBook: Sendable {
    static let window: TimeInterval = 5 * 60
    static let capacity = 10_000

    private var entries: [String: (channelID: ChannelID, messageID: MessageID, at: Date)] = [:]

    private static func key(_ author: UserID, _ nonce: String) -> String { "\(author):\(nonce)" }

    /// The message already made under this nonce, if it is recent enough to count.
    func earlier(author: UserID, nonce: String, now: Date) -> (channelID: ChannelID, messageID: MessageID)? {
        guard let entry = entries[Self.key(author, nonce)], now.timeIntervalSince(entry.at) < Self.window else {
            return nil
        }
        return (entry.channelID, entry.messageID)
    }

    mutating func remember(author: UserID, nonce: String, channelID: ChannelID, messageID: MessageID, now: Date) {
        if entries.count >= Self.capacity {
            entries = entries.filter { now.timeIntervalSince($0.value.at) < Self.window }
            if entries.count >= Self.capacity, let oldest = entries.min(by: { $0.value.at < $1.value.at }) {
                entries[oldest.key] = nil
            }
        }
        entries[Self.key(author, nonce)] = (channelID, messageID, now)
    }
}
