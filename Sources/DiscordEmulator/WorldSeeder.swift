import DiscordModels
import Foundation

/// Fills the emulator with guilds that look like real communities: an owner, admins, a support team and
/// members; categories with text channels; @everyone, admin, staff and the bot's own role. Everything
/// derives from the seed, so the same seed gives the same world.
struct WorldSeeder {
    static let adjectives = [
        "Cozy", "Pixel", "Lunar", "Crimson", "Silent", "Golden", "Wild", "Frosty", "Neon", "Quiet", "Brave", "Misty",
    ]
    static let nouns = [
        "Harbor", "Guild", "Lounge", "Collective", "Outpost", "Garden", "Workshop", "Arcade", "Library", "Haven",
    ]
    static let usernames = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
        "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara", "zoe", "quinn", "sam", "uma",
    ]
    static let channelNames = [
        "general", "announcements", "support", "off-topic", "media", "feedback", "events", "bot-commands",
        "introductions", "help", "showcase", "random",
    ]

    /// Permissions Discord gives @everyone in a new guild (view, send, history, reactions, embeds, files…).
    static let everyonePermissions: Permissions = [
        .createInstantInvite, .addReactions, .stream, .viewChannel, .sendMessages, .embedLinks, .attachFiles,
        .readMessageHistory, .mentionEveryone, .useExternalEmojis, .useApplicationCommands, .sendMessagesInThreads,
    ]
    /// What the bot's invite asks for: enough to run tickets without ADMINISTRATOR.
    static let botPermissions: Permissions = [
        .viewChannel, .sendMessages, .embedLinks, .attachFiles, .readMessageHistory, .manageChannels, .manageRoles,
        .manageMessages, .addReactions, .useExternalEmojis,
    ]

    var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    /// Seeds `configuration.guilds` guilds, their members, roles and channels.
    mutating func seed(_ state: inout EmulatorState) {
        let configuration = state.configuration
        // Seeded entities carry fixed creation times, so IDs and names repeat exactly for a given seed.
        let base = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01
        for index in 0..<configuration.guilds {
            _ = addGuild(
                to: &state, name: nil, memberCount: configuration.membersPerGuild,
                textChannelCount: configuration.textChannelsPerGuild, extraRoles: configuration.extraRolesPerGuild,
                createdAt: base.addingTimeInterval(Double(index) * 0.001 + Double(index) * 3600))
        }
    }

    /// Adds one guild with the bot in it. Returns its ID.
    mutating func addGuild(
        to state: inout EmulatorState, name: String?, memberCount: Int, textChannelCount: Int, extraRoles: Int,
        createdAt: Date
    ) -> GuildID {
        let guildID = GuildID(state.mintID(at: createdAt))
        func nextID() -> UInt64 { state.mintID(at: createdAt.addingTimeInterval(1)) }
        let guildName =
            name ?? "\(Self.adjectives.randomElement(using: &random)!) \(Self.nouns.randomElement(using: &random)!)"
        var roles: [RoleID: Role] = [:]
        roles[guildID.converted()] = Role(
            id: guildID.converted(), name: "@everyone", position: 0, permissions: Self.everyonePermissions)
        let adminRole = Role(
            id: RoleID(nextID()), name: "Admin", color: 0xE74C3C, hoist: true, position: 4 + extraRoles,
            permissions: [.administrator])
        let staffRole = Role(
            id: RoleID(nextID()), name: "Support Team", color: 0x3498DB, hoist: true, position: 3 + extraRoles,
            permissions: [.manageMessages, .kickMembers, .moderateMembers], mentionable: true)
        var botRole = Role(
            id: RoleID(nextID()), name: "Aetheria", color: 0x9B59B6, position: 2 + extraRoles,
            permissions: Self.botPermissions)
        botRole.managed = true
        for role in [adminRole, staffRole, botRole] { roles[role.id] = role }
        for extra in 0..<extraRoles {
            let role = Role(
                id: RoleID(nextID()), name: ["Member", "Veteran", "Artist", "Booster", "Gamer"][extra % 5],
                color: Int(random.next() % 0xFFFFFF), position: 1 + extra, permissions: [])
            roles[role.id] = role
        }

        var members: [UserID: EmulatedMember] = [:]
        let joinedAt = DiscordTimestamp.string(from: createdAt)
        members[state.botID] = EmulatedMember(
            userID: state.botID, nick: nil, roles: [botRole.id], joinedAt: joinedAt)
        var ownerID = state.botID
        for memberIndex in 0..<max(1, memberCount) {
            let base = Self.usernames[memberIndex % Self.usernames.count]
            let username = memberIndex < Self.usernames.count ? base : "\(base)\(memberIndex / Self.usernames.count)"
            let user = User(
                id: UserID(nextID()), username: username,
                globalName: username.prefix(1).uppercased() + username.dropFirst())
            state.users[user.id] = user
            // Member 0 owns the guild, 1 is an admin, 2–3 are the support team, the rest are members.
            let memberRoles: [RoleID] =
                switch memberIndex {
                case 1: [adminRole.id]
                case 2, 3: [staffRole.id]
                default: []
                }
            if memberIndex == 0 { ownerID = user.id }
            members[user.id] = EmulatedMember(userID: user.id, nick: nil, roles: memberRoles, joinedAt: joinedAt)
        }

        var channels: [ChannelID: Channel] = [:]
        let information = Channel(
            id: ChannelID(nextID()), type: .guildCategory, guildId: guildID, position: 0, name: "Information")
        let community = Channel(
            id: ChannelID(nextID()), type: .guildCategory, guildId: guildID, position: 1, name: "Community")
        let support = Channel(
            id: ChannelID(nextID()), type: .guildCategory, guildId: guildID, position: 2, name: "Support Tickets")
        let staffOnly = Channel(
            id: ChannelID(nextID()), type: .guildCategory, guildId: guildID, position: 3, name: "Staff",
            permissionOverwrites: [
                .role(guildID.converted(), deny: .viewChannel),
                .role(staffRole.id, allow: [.viewChannel, .sendMessages, .readMessageHistory]),
                .member(state.botID, allow: [.viewChannel, .sendMessages, .readMessageHistory, .embedLinks]),
            ])
        for category in [information, community, support, staffOnly] { channels[category.id] = category }
        let modLog = Channel(
            id: ChannelID(nextID()), type: .guildText, guildId: guildID, position: 0, name: "mod-log",
            permissionOverwrites: staffOnly.permissionOverwrites ?? [], topic: "Moderation log", parentId: staffOnly.id)
        channels[modLog.id] = modLog
        for channelIndex in 0..<textChannelCount {
            let parent = channelIndex == 0 ? information : (channelIndex == 2 ? support : community)
            let name = Self.channelNames[channelIndex % Self.channelNames.count]
            let channel = Channel(
                id: ChannelID(nextID()), type: .guildText, guildId: guildID, position: channelIndex,
                name: channelIndex < Self.channelNames.count ? name : "\(name)-\(channelIndex)",
                topic: channelIndex == 0 ? "Welcome to \(guildName)!" : nil, parentId: parent.id)
            channels[channel.id] = channel
        }
        let guild = EmulatedGuild(
            id: guildID, name: guildName, ownerID: ownerID, roles: roles, members: members, channels: channels,
            joinedAt: joinedAt)
        state.guilds[guildID] = guild
        for channelID in channels.keys { state.channelGuilds[channelID] = guildID }
        return guildID
    }
}
