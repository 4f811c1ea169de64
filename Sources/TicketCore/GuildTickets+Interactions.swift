public import DiscordModels
public import Foundation

extension GuildTickets {
    /// How long a handled interaction is remembered: an interaction token lives 15 minutes, so a redelivery or
    /// a replay after that could not be answered anyway.
    public static let interactionMemory: TimeInterval = 15 * 60

    /// Records the interaction as handled and returns `true` the first time; `false` when it was handled
    /// already (Discord redelivered it, or a resumed session replayed it after a crash). Stored with the
    /// guild's snapshot, so a restarted process knows too.
    public mutating func firstDelivery(of interaction: InteractionID, now: Date) -> Bool {
        var handled = (handledInteractionsStorage ?? [:]).filter {
            now.timeIntervalSince($0.value) < Self.interactionMemory
        }
        defer { handledInteractionsStorage = handled.isEmpty ? nil : handled }
        guard handled[interaction] == nil else { return false }
        handled[interaction] = now
        return true
    }

    /// The interactions handled in the last 15 minutes.
    public var handledInteractions: [InteractionID: Date] { handledInteractionsStorage ?? [:] }
}
