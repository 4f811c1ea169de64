/// What the bot keeps of a guild from GUILD_CREATE: roles and channels with their overwrites, owner and
/// member count. One per guild, tens of thousands per process, so it is packed: every name lives in one
/// UTF-8 buffer, each distinct overwrite is stored once (a category's role overwrites repeat on most of its
/// channels) and channels hold runs of 4-byte indices into them (channels synced with their category share
/// their run), and each array is trimmed to its size. Enough for permission checks, the dashboard's dropdowns and
/// reconciling ticket channels (topics are kept only for Aetheria's ticket markers).
public struct GuildSnapshot: Sendable, Hashable {
    public struct RoleEntry: Sendable, Hashable {
        public let id: RoleID
        public let permissions: Permissions
        public let color: UInt32
        let nameStart: UInt32
        let nameLength: UInt16
        public let position: Int16
    }

    public struct ChannelEntry: Sendable, Hashable {
        public let id: ChannelID
        let parentRaw: UInt64
        let nameStart: UInt32
        /// The channel's run in `overwriteIndices`.
        let overwriteStart: UInt32
        let nameLength: UInt16
        let overwriteCount: UInt16
        public let position: Int16
        public let type: UInt8

        public var parentID: ChannelID? { parentRaw == 0 ? nil : ChannelID(parentRaw) }
    }

    /// An overwrite in 24 bytes: the target type rides in the top bit of `deny` (permissions use 53 bits).
    struct StoredOverwrite: Sendable, Hashable {
        static let memberFlag: UInt64 = 1 << 63
        let id: UInt64
        let allow: UInt64
        let denyAndType: UInt64

        init(_ overwrite: PermissionOverwrite) {
            id = overwrite.id.rawValue
            allow = overwrite.allow.rawValue
            denyAndType = overwrite.deny.rawValue | (overwrite.type == .member ? Self.memberFlag : 0)
        }

        var overwrite: PermissionOverwrite {
            PermissionOverwrite(
                id: MentionableID(id), type: denyAndType & Self.memberFlag != 0 ? .member : .role,
                allow: Permissions(rawValue: allow), deny: Permissions(rawValue: denyAndType & ~Self.memberFlag))
        }
    }

    public let id: GuildID
    public let ownerID: UserID
    public let memberCount: Int32
    public let roles: [RoleEntry]
    public let channels: [ChannelEntry]
    private let names: [UInt8]
    private let nameStart: UInt32
    private let nameLength: UInt16
    /// Each distinct overwrite once, and the channels' runs of indices into it.
    private let storedOverwrites: [StoredOverwrite]
    private let overwriteIndices: [UInt32]
    private let markerTopics: [ChannelID: String]

    public var name: String { text(at: nameStart, length: nameLength) }
    public func name(of role: RoleEntry) -> String { text(at: role.nameStart, length: role.nameLength) }
    public func name(of channel: ChannelEntry) -> String { text(at: channel.nameStart, length: channel.nameLength) }
    public func topic(of channelID: ChannelID) -> String? { markerTopics[channelID] }

    public func overwrites(of channel: ChannelEntry) -> [PermissionOverwrite] {
        let start = Int(channel.overwriteStart)
        return overwriteIndices[start..<start + Int(channel.overwriteCount)].map { storedOverwrites[Int($0)].overwrite }
    }

    public func role(_ id: RoleID) -> RoleEntry? { roles.first { $0.id == id } }
    public func channel(_ id: ChannelID) -> ChannelEntry? { channels.first { $0.id == id } }
    /// How many channels sit in the category `id` (Discord allows 50).
    public func childCount(of id: ChannelID) -> Int { channels.count { $0.parentRaw == id.rawValue } }

    /// A member's permissions in a channel, by Discord's algorithm.
    public func permissions(of userID: UserID, roles memberRoles: [RoleID], in channelID: ChannelID) -> Permissions {
        let base = PermissionCalculator.basePermissions(
            guildID: id, ownerID: ownerID, userID: userID, memberRoleIDs: memberRoles,
            rolePermissions: { role($0)?.permissions })
        guard let channel = channel(channelID) else { return base }
        return PermissionCalculator.channelPermissions(
            base: base, guildID: id, userID: userID, memberRoleIDs: memberRoles, overwrites: overwrites(of: channel))
    }

    /// Heap bytes this snapshot owns (its array buffers with their headers, rounded as malloc rounds them,
    /// and marker topics), for capacity planning and the memory benchmark. Add `MemoryLayout<Self>.stride`
    /// for the inline part.
    public var estimatedHeapBytes: Int {
        func rounded(_ bytes: Int) -> Int { (bytes + 15) / 16 * 16 }
        func buffer<Element>(_ array: [Element]) -> Int {
            array.capacity == 0 ? 0 : rounded(32 + array.capacity * MemoryLayout<Element>.stride)
        }
        let topics =
            markerTopics.isEmpty
            ? 0
            : rounded(64 + markerTopics.capacity * (MemoryLayout<ChannelID>.stride + MemoryLayout<String>.stride))
                + markerTopics.values.reduce(0) { $0 + ($1.utf8.count > 15 ? rounded(32 + $1.utf8.count) : 0) }
        return buffer(roles) + buffer(channels) + buffer(names) + buffer(storedOverwrites) + buffer(overwriteIndices)
            + topics
    }

    private func text(at start: UInt32, length: UInt16) -> String {
        let begin = Int(start)
        return String(decoding: names[begin..<begin + Int(length)], as: UTF8.self)
    }

    /// A builder holding this snapshot's contents except the named role and channel, so a gateway update can
    /// replace or remove one entry and pack the result again (roles and channels change rarely).
    public func builder(excludingRole: RoleID? = nil, excludingChannel: ChannelID? = nil) -> Builder {
        var builder = Builder()
        builder.setGuildName(name)
        for role in roles where role.id != excludingRole {
            builder.addRole(
                id: role.id, name: name(of: role), permissions: role.permissions, position: Int(role.position),
                color: Int(role.color))
        }
        for channel in channels where channel.id != excludingChannel {
            builder.addChannel(
                id: channel.id, type: Int(channel.type), name: name(of: channel), position: Int(channel.position),
                parentID: channel.parentID, topic: topic(of: channel.id), overwrites: overwrites(of: channel))
        }
        return builder
    }

    /// Assembles a snapshot piece by piece (for decoders); `build()` packs it.
    public struct Builder: Sendable {
        private var names: [UInt8] = []
        private var roles: [RoleEntry] = []
        private var channels: [ChannelEntry] = []
        private var overwrites: [StoredOverwrite] = []
        private var overwriteIndex: [StoredOverwrite: UInt32] = [:]
        private var overwriteIndices: [UInt32] = []
        private var overwriteRuns: [[UInt32]: UInt32] = [:]
        private var markerTopics: [ChannelID: String] = [:]
        private var guildName: (start: UInt32, length: UInt16) = (0, 0)

        public init() {}

        public mutating func setGuildName(_ name: String) {
            guildName = appendName(name)
        }

        private mutating func appendName(_ name: String) -> (UInt32, UInt16) {
            let start = UInt32(names.count)
            names.append(contentsOf: name.utf8.prefix(Int(UInt16.max)))
            return (start, UInt16(UInt32(names.count) - start))
        }

        public mutating func addRole(id: RoleID, name: String, permissions: Permissions, position: Int, color: Int) {
            let (start, length) = appendName(name)
            roles.append(
                RoleEntry(
                    id: id, permissions: permissions, color: UInt32(clamping: color), nameStart: start,
                    nameLength: length, position: Int16(clamping: position)))
        }

        public mutating func addChannel(
            id: ChannelID, type: Int, name: String, position: Int, parentID: ChannelID?, topic: String?,
            overwrites channelOverwrites: [PermissionOverwrite]
        ) {
            let (start, length) = appendName(name)
            // At most what a channel's run can say it holds (Discord sends far fewer).
            let run = channelOverwrites.prefix(Int(UInt16.max)).map { overwrite -> UInt32 in
                let stored = StoredOverwrite(overwrite)
                if let known = overwriteIndex[stored] { return known }
                let index = UInt32(truncatingIfNeeded: overwrites.count)
                overwrites.append(stored)
                overwriteIndex[stored] = index
                return index
            }
            let overwriteStart: UInt32
            if run.isEmpty {
                overwriteStart = 0
            } else if let shared = overwriteRuns[run] {
                overwriteStart = shared
            } else {
                overwriteStart = UInt32(truncatingIfNeeded: overwriteIndices.count)
                overwriteIndices.append(contentsOf: run)
                overwriteRuns[run] = overwriteStart
            }
            // The caller passes only topics worth keeping (for the bot: its markers).
            if let topic { markerTopics[id] = topic }
            channels.append(
                ChannelEntry(
                    id: id, parentRaw: parentID?.rawValue ?? 0, nameStart: start, overwriteStart: overwriteStart,
                    nameLength: length, overwriteCount: UInt16(clamping: run.count),
                    position: Int16(clamping: position), type: UInt8(clamping: type)))
        }

        public func build(id: GuildID, ownerID: UserID, memberCount: Int) -> GuildSnapshot {
            GuildSnapshot(
                id: id, ownerID: ownerID, memberCount: Int32(clamping: memberCount),
                roles: Array(trimming: roles.sorted { ($0.position, $0.id) < ($1.position, $1.id) }),
                channels: Array(trimming: channels.sorted { ($0.position, $0.id) < ($1.position, $1.id) }),
                names: Array(trimming: names), nameStart: guildName.start, nameLength: guildName.length,
                storedOverwrites: Array(trimming: overwrites), overwriteIndices: Array(trimming: overwriteIndices),
                markerTopics: markerTopics)
        }
    }

    private init(
        id: GuildID, ownerID: UserID, memberCount: Int32, roles: [RoleEntry], channels: [ChannelEntry], names: [UInt8],
        nameStart: UInt32, nameLength: UInt16, storedOverwrites: [StoredOverwrite], overwriteIndices: [UInt32],
        markerTopics: [ChannelID: String]
    ) {
        self.id = id
        self.ownerID = ownerID
        self.memberCount = memberCount
        self.roles = roles
        self.channels = channels
        self.names = names
        self.nameStart = nameStart
        self.nameLength = nameLength
        self.storedOverwrites = storedOverwrites
        self.overwriteIndices = overwriteIndices
        self.markerTopics = markerTopics
    }
}

extension Array {
    /// A copy whose capacity is exactly its count (growth by doubling leaves up to half unused).
    init(trimming source: [Element]) {
        self.init(unsafeUninitializedCapacity: source.count) { buffer, initialized in
            for (index, element) in source.enumerated() {
                (buffer.baseAddress! + index).initialize(to: element)
            }
            initialized = source.count
        }
    }
}
