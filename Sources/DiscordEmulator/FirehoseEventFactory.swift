public import DiscordModels
public import Foundation

/// Builds realistic guild traffic: mostly MESSAGE_CREATE with the field set and sizes Discord sends
/// (about 0.9–1.2 KB each), plus typing, reactions, edits and deletions. Deterministic for a given seed,
/// so benchmarks can record the same stream every time.
public struct FirehoseEventFactory: Sendable {
    /// Where generated events happen.
    public struct Place: Sendable {
        public var guildID: GuildID
        public var channelIDs: [ChannelID]
        public var authors: [(id: UserID, username: String, roles: [RoleID])]

        public init(
            guildID: GuildID, channelIDs: [ChannelID], authors: [(id: UserID, username: String, roles: [RoleID])]
        ) {
            self.guildID = guildID
            self.channelIDs = channelIDs
            self.authors = authors
        }
    }

    /// One generated dispatch: event name, `d` as JSON bytes, and its guild.
    public struct Event: Sendable {
        public var name: String
        public var payload: [UInt8]
        public var guildID: GuildID
        public var channelID: ChannelID
    }

    static let sentences = [
        "hey everyone, has anyone tried the new update yet?", "lol that's exactly what happened to me yesterday",
        "can someone help me with the install? it keeps failing at the last step",
        "gg! that was a close one", "I think the docs explain it under the advanced section",
        "brb, grabbing coffee", "does this work on linux too or only windows?",
        "thanks for the help earlier, it worked :)", "the event starts at 8pm UTC, don't forget",
        "here's a screenshot of the error I get when I open the settings page",
        "anyone up for a game tonight?", "that's a really good point, I hadn't thought of it that way",
    ]

    private var random: SeededRandom
    private var sequence: UInt64
    private let places: [Place]
    private var recentMessages: [(channel: ChannelID, id: UInt64)] = []
    /// Display names worked out once: `capitalized` goes through ICU, far too slow to call per event.
    private let globalNames: [UserID: String]

    public init(places: [Place], seed: UInt64 = 7) {
        self.places = places.filter { !$0.channelIDs.isEmpty && !$0.authors.isEmpty }
        self.globalNames = Dictionary(
            places.flatMap { $0.authors.map { ($0.id, $0.username.capitalized) } },
            uniquingKeysWith: { first, _ in first })
        self.random = SeededRandom(seed: seed)
        self.sequence = 0
    }

    /// The next event, or `nil` when there is nowhere to generate traffic.
    public mutating func next(now: Date = Date()) -> Event? {
        guard !places.isEmpty else { return nil }
        let place = places[Int(random.next() % UInt64(places.count))]
        let channelID = place.channelIDs[Int(random.next() % UInt64(place.channelIDs.count))]
        let author = place.authors[Int(random.next() % UInt64(place.authors.count))]
        sequence += 1
        let roll = random.next() % 100
        let name: String
        let payload: String
        switch roll {
        case 0..<82:
            name = "MESSAGE_CREATE"
            payload = messageCreate(place: place, channelID: channelID, author: author, now: now)
        case 82..<90:
            name = "TYPING_START"
            payload =
                #"{"user_id":"\#(author.id)","timestamp":\#(Int(now.timeIntervalSince1970)),"channel_id":"\#(channelID)","guild_id":"\#(place.guildID)","member":\#(member(author, now: now, withUser: true))}"#
        case 90..<95:
            name = "MESSAGE_REACTION_ADD"
            let target = recentMessages.last?.id ?? messageID(now: now)
            payload =
                #"{"user_id":"\#(author.id)","type":0,"message_id":"\#(target)","message_author_id":"\#(author.id)","member":\#(member(author, now: now, withUser: true)),"emoji":{"name":"👍","id":null},"channel_id":"\#(channelID)","burst":false,"guild_id":"\#(place.guildID)"}"#
        case 95..<98:
            name = "MESSAGE_UPDATE"
            payload = messageCreate(place: place, channelID: channelID, author: author, now: now, edited: true)
        default:
            name = "MESSAGE_DELETE"
            let target = recentMessages.popLast()?.id ?? messageID(now: now)
            payload = #"{"id":"\#(target)","channel_id":"\#(channelID)","guild_id":"\#(place.guildID)"}"#
        }
        return Event(name: name, payload: Array(payload.utf8), guildID: place.guildID, channelID: channelID)
    }

    /// The intent a session needs to receive `event`.
    public static func intent(for event: String) -> GatewayIntents {
        switch event {
        case "TYPING_START": .guildMessageTyping
        case "MESSAGE_REACTION_ADD": .guildMessageReactions
        default: .guildMessages
        }
    }

    private mutating func messageID(now: Date) -> UInt64 {
        ((UInt64(now.timeIntervalSince1970 * 1000) &- 1_420_070_400_000) << 22) | (sequence & 0x3FFFFF)
    }

    private mutating func messageCreate(
        place: Place, channelID: ChannelID, author: (id: UserID, username: String, roles: [RoleID]), now: Date,
        edited: Bool = false
    ) -> String {
        let id = messageID(now: now)
        if !edited {
            recentMessages.append((channelID, id))
            if recentMessages.count > 64 { recentMessages.removeFirst() }
        }
        var content = ""
        let sentenceCount = 1 + Int(random.next() % 3)
        for index in 0..<sentenceCount {
            if index > 0 { content += " " }
            content += Self.sentences[Int(random.next() % UInt64(Self.sentences.count))]
        }
        let timestamp = DiscordTimestamp.string(from: now)
        let avatar = Self.hex16(random.next()) + Self.hex16(random.next())
        let nonce = String(random.next() % 10_000_000_000_000_000)
        let editedTimestamp = edited ? "\"\(timestamp)\"" : "null"
        return
            #"{"type":0,"tts":false,"timestamp":"\#(timestamp)","referenced_message":null,"pinned":false,"nonce":"\#(nonce)","mentions":[],"mention_roles":[],"mention_everyone":false,"member":\#(member(author, now: now, withUser: false)),"id":"\#(id)","flags":0,"embeds":[],"edited_timestamp":\#(editedTimestamp),"content":"\#(content)","components":[],"channel_type":0,"channel_id":"\#(channelID)","author":{"username":"\#(author.username)","public_flags":0,"flags":0,"id":"\#(author.id)","global_name":"\#(globalNames[author.id] ?? author.username)","discriminator":"0","clan":null,"primary_guild":null,"avatar_decoration_data":null,"avatar":"\#(avatar)"},"attachments":[],"guild_id":"\#(place.guildID)"}"#
    }

    /// 16 lower-case hex digits, zero-padded (an avatar hash is two of them).
    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private func member(_ author: (id: UserID, username: String, roles: [RoleID]), now: Date, withUser: Bool) -> String
    {
        let roles = author.roles.map { "\"\($0)\"" }.joined(separator: ",")
        let user =
            withUser
            ? #""user":{"username":"\#(author.username)","public_flags":0,"flags":0,"primary_guild":null,"id":"\#(author.id)","global_name":null,"discriminator":"0","avatar":null},"#
            : ""
        return
            #"{\#(user)"roles":[\#(roles)],"premium_since":null,"pending":false,"nick":null,"mute":false,"joined_at":"2024-01-01T00:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"banner":null,"avatar":null}"#
    }
}
