import DiscordModels
import Testing

@testable import Dashboard

/// What an admin types to name a member: IDs and mentions are IDs, everything else is the start of a name.
@Suite("Naming a member in a form")
struct MemberReferenceTests {
    @Test("IDs and Discord's mentions are IDs; names lose a leading @ and are bounded; empty is nothing")
    func reading() {
        #expect(MemberReference("  123 ") == .id(123))
        #expect(MemberReference("<@123>") == .id(123))
        #expect(MemberReference("<@!123>") == .id(123))
        #expect(MemberReference("@Alice") == .name("Alice"))
        #expect(MemberReference("al ice") == .name("al ice"))
        #expect(MemberReference(String(repeating: "é", count: 500)) == .name(String(repeating: "é", count: 100)))
        // Not IDs: zero, beyond 64 bits, a role mention, digits inside a name.
        #expect(MemberReference("0") == .name("0"))
        #expect(MemberReference("99999999999999999999999") == .name("99999999999999999999999"))
        #expect(MemberReference("<@&123>") == .name("<@&123>"))
        #expect(MemberReference("user123") == .name("user123"))
        for empty in [nil, "", "   ", "@", " @ ", "\n"] as [String?] {
            #expect(MemberReference(empty) == nil)
        }
    }
}
