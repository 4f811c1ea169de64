import DiscordModels
import Testing

@testable import AetheriaServer

@Suite("Members' roles for the dashboard are believed for a minute at most, in bounded memory")
struct MemberRolesCacheTests {
    let start = ContinuousClock.now

    @Test("a lookup is reused inside its lifetime, asked again after it, and 'not a member' is remembered too")
    func lifetime() {
        let cache = MemberRolesCache(lifetime: .seconds(60))
        #expect(cache.roles(of: 1, in: 9, now: start) == nil)
        cache.store([5], of: 1, in: 9, now: start)
        cache.store(nil, of: 2, in: 9, now: start)
        #expect(cache.roles(of: 1, in: 9, now: start + .seconds(59)) == .some([5]))
        #expect(cache.roles(of: 2, in: 9, now: start + .seconds(59)) == .some(nil))
        #expect(cache.roles(of: 1, in: 9, now: start + .seconds(60)) == nil)
        #expect(cache.roles(of: 1, in: 8, now: start) == nil, "another guild is another member")
    }

    @Test("the cache never holds more than its capacity")
    func capacity() {
        let cache = MemberRolesCache(lifetime: .seconds(60), capacity: 100)
        for user in 0..<1_000 { cache.store([], of: UserID(UInt64(user)), in: 9, now: start) }
        let kept = (0..<1_000).count { cache.roles(of: UserID(UInt64($0)), in: 9, now: start) != nil }
        #expect(kept <= 100)
        #expect(cache.roles(of: 999, in: 9, now: start) != nil, "the newest entry is kept")
    }
}
