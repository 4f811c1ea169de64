import DiscordModels
import Testing

@Suite("Discord's permission algorithm")
struct PermissionCalculatorTests {
    static let guild = GuildID(100)
    static let everyone = RoleID(100)
    static let staff = RoleID(200)
    static let muted = RoleID(300)
    static let owner = UserID(1)
    static let member = UserID(2)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var userID: UserID
        var roles: [RoleID]
        var rolePermissions: [RoleID: Permissions]
        var overwrites: [PermissionOverwrite]
        var expectView: Bool
        var expectSend: Bool
        var expectAttach: Bool
        var testDescription: String { name }
    }

    static let basic: [RoleID: Permissions] = [
        everyone: [.viewChannel, .sendMessages, .attachFiles, .readMessageHistory]
    ]

    static let cases: [Case] = [
        Case(
            name: "@everyone permissions apply without overwrites", userID: member, roles: [], rolePermissions: basic,
            overwrites: [], expectView: true, expectSend: true, expectAttach: true),
        Case(
            name: "an @everyone overwrite denying VIEW_CHANNEL hides the channel and everything in it",
            userID: member, roles: [], rolePermissions: basic,
            overwrites: [.role(everyone, deny: .viewChannel)], expectView: false, expectSend: false, expectAttach: false
        ),
        Case(
            name: "a role overwrite allowing VIEW beats the @everyone deny", userID: member, roles: [staff],
            rolePermissions: basic,
            overwrites: [.role(everyone, deny: .viewChannel), .role(staff, allow: .ticketParticipant)],
            expectView: true, expectSend: true, expectAttach: true),
        Case(
            name: "any role allow beats any role deny, whatever the role order", userID: member, roles: [staff, muted],
            rolePermissions: basic,
            overwrites: [.role(muted, deny: .sendMessages), .role(staff, allow: .sendMessages)],
            expectView: true, expectSend: true, expectAttach: true),
        Case(
            name: "a member overwrite deny beats a role allow (a locked ticket)", userID: member, roles: [staff],
            rolePermissions: basic,
            overwrites: [.role(staff, allow: .sendMessages), .member(member, deny: .sendMessages)],
            expectView: true, expectSend: false, expectAttach: false),
        Case(
            name: "the owner has everything despite overwrites", userID: owner, roles: [], rolePermissions: basic,
            overwrites: [.role(everyone, deny: .viewChannel), .member(owner, deny: .all)],
            expectView: true, expectSend: true, expectAttach: true),
        Case(
            name: "ADMINISTRATOR ignores overwrites", userID: member, roles: [staff],
            rolePermissions: [everyone: [], staff: .administrator],
            overwrites: [.role(everyone, deny: .viewChannel), .member(member, deny: .viewChannel)],
            expectView: true, expectSend: true, expectAttach: true),
        Case(
            name: "without SEND_MESSAGES, ATTACH_FILES is void", userID: member, roles: [], rolePermissions: basic,
            overwrites: [.role(everyone, deny: .sendMessages)], expectView: true, expectSend: false, expectAttach: false
        ),
    ]

    @Test("channel permissions", arguments: cases)
    func channelPermissions(_ testCase: Case) {
        let base = PermissionCalculator.basePermissions(
            guildID: Self.guild, ownerID: Self.owner, userID: testCase.userID, memberRoleIDs: testCase.roles,
            rolePermissions: { testCase.rolePermissions[$0] })
        let permissions = PermissionCalculator.channelPermissions(
            base: base, guildID: Self.guild, userID: testCase.userID, memberRoleIDs: testCase.roles,
            overwrites: testCase.overwrites)
        #expect(permissions.contains(.viewChannel) == testCase.expectView)
        #expect(permissions.contains(.sendMessages) == testCase.expectSend)
        #expect(permissions.contains(.attachFiles) == testCase.expectAttach)
    }
}
