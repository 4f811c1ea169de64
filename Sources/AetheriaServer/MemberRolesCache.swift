import DiscordModels
import Foundation
import Synchronization

/// Members' roles as Discord last reported them to the dashboard, for at most `lifetime`: every dashboard
/// page decides access from the member's current roles, and without a cache each page would cost a REST
/// call of the bot's. A minute bounds how long a demoted admin or staff member keeps access.
final class MemberRolesCache: Sendable {
    private struct Key: Hashable {
        var guildID: GuildID
        var userID: UserID
    }

    private struct Entry {
        var roles: [RoleID]?
        var fetchedAt: ContinuousClock.Instant
    }

    let lifetime: Duration
    /// Entries kept at most; beyond, expired ones are dropped, and if none expired the cache starts afresh.
    let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(lifetime: Duration = .seconds(60), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached roles (`.some(nil)`: known not to be a member), or `nil` when they must be fetched.
    func roles(of userID: UserID, in guildID: GuildID, now: ContinuousClock.Instant) -> [RoleID]?? {
        entries.withLock { entries in
            guard let entry = entries[Key(guildID: guildID, userID: userID)], now - entry.fetchedAt < lifetime else {
                return nil
            }
            return .some(entry.roles)
        }
    }

    func store(_ roles: [RoleID]?, of userID: UserID, in guildID: GuildID, now: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now - $0.value.fetchedAt < lifetime }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[Key(guildID: guildID, userID: userID)] = Entry(roles: roles, fetchedAt: now)
        }
    }
}
