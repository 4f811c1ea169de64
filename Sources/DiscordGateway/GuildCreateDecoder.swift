public import DiscordModels

/// Decodes GUILD_CREATE's `d` straight into a `GuildSnapshot`, reading only what the bot keeps (roles,
/// channels, overwrites, owner, member count) and skipping the rest (members, emojis, presences…) without
/// building it. Several times faster than `JSONDecoder` and allocation-light.
public enum GuildCreateDecoder {
    public static func decode(_ payload: [UInt8]) -> GuildSnapshot? {
        payload.withUnsafeBytes { decode($0) }
    }

    public static func decode(_ payload: ArraySlice<UInt8>) -> GuildSnapshot? {
        payload.withUnsafeBytes { decode($0) }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) -> GuildSnapshot? {
        var scanner = JSONByteScanner(bytes: bytes)
        var id: UInt64?
        var name = ""
        var ownerID: UInt64 = 0
        var memberCount: Int32 = 0
        var roles: [GuildSnapshot.RoleEntry] = []
        var channels: [GuildSnapshot.ChannelEntry] = []
        var unavailable = false
        let valid = scanner.forEachKey { scanner, key in
            if JSONByteScanner.key(key, is: "id") {
                id = scanner.readDecimalUInt64()
                return id != nil
            } else if JSONByteScanner.key(key, is: "name") {
                guard let value = scanner.readString() else { return false }
                name = value
            } else if JSONByteScanner.key(key, is: "owner_id") {
                guard let value = scanner.readDecimalUInt64() else { return false }
                ownerID = value
            } else if JSONByteScanner.key(key, is: "member_count") {
                guard let value = scanner.readInteger() else { return false }
                memberCount = Int32(clamping: value)
            } else if JSONByteScanner.key(key, is: "unavailable") {
                scanner.skipWhitespace()
                unavailable = scanner.peek == UInt8(ascii: "t")
                return scanner.skipValue()
            } else if JSONByteScanner.key(key, is: "roles") {
                return scanner.forEachElement { scanner in
                    guard let role = decodeRole(&scanner) else { return false }
                    roles.append(role)
                    return true
                }
            } else if JSONByteScanner.key(key, is: "channels") {
                return scanner.forEachElement { scanner in
                    guard let channel = decodeChannel(&scanner) else { return false }
                    channels.append(channel)
                    return true
                }
            } else {
                return scanner.skipValue()
            }
            return true
        }
        guard valid, let id, !unavailable else { return nil }
        roles.sort { ($0.position, $0.id) < ($1.position, $1.id) }
        channels.sort { ($0.position, $0.id) < ($1.position, $1.id) }
        return GuildSnapshot(
            id: GuildID(id), name: name, ownerID: UserID(ownerID), memberCount: memberCount, roles: roles,
            channels: channels)
    }

    static func decodeRole(_ scanner: inout JSONByteScanner) -> GuildSnapshot.RoleEntry? {
        var id: UInt64?
        var permissions: UInt64 = 0
        var position: Int32 = 0
        var color: UInt32 = 0
        var name = ""
        let valid = scanner.forEachKey { scanner, key in
            if JSONByteScanner.key(key, is: "id") {
                id = scanner.readDecimalUInt64()
                return id != nil
            } else if JSONByteScanner.key(key, is: "permissions") {
                guard let value = scanner.readDecimalUInt64() else { return false }
                permissions = value
            } else if JSONByteScanner.key(key, is: "position") {
                guard let value = scanner.readInteger() else { return false }
                position = Int32(clamping: value)
            } else if JSONByteScanner.key(key, is: "color") {
                guard let value = scanner.readInteger() else { return false }
                color = UInt32(clamping: value)
            } else if JSONByteScanner.key(key, is: "name") {
                guard let value = scanner.readString() else { return false }
                name = value
            } else {
                return scanner.skipValue()
            }
            return true
        }
        guard valid, let id else { return nil }
        return .init(
            id: RoleID(id), permissions: Permissions(rawValue: permissions), position: position, color: color,
            name: name)
    }

    static func decodeChannel(_ scanner: inout JSONByteScanner) -> GuildSnapshot.ChannelEntry? {
        var id: UInt64?
        var parentID: UInt64?
        var type: UInt8 = 0
        var position: Int32 = 0
        var name = ""
        var topic: String?
        var overwrites: [PermissionOverwrite] = []
        let valid = scanner.forEachKey { scanner, key in
            if JSONByteScanner.key(key, is: "id") {
                id = scanner.readDecimalUInt64()
                return id != nil
            } else if JSONByteScanner.key(key, is: "type") {
                guard let value = scanner.readInteger() else { return false }
                type = UInt8(clamping: value)
            } else if JSONByteScanner.key(key, is: "position") {
                guard let value = scanner.readInteger() else { return false }
                position = Int32(clamping: value)
            } else if JSONByteScanner.key(key, is: "name") {
                guard let value = scanner.readString() else { return false }
                name = value
            } else if JSONByteScanner.key(key, is: "parent_id") {
                guard let value = scanner.nullable({ $0.readDecimalUInt64() }) else { return false }
                parentID = value
            } else if JSONByteScanner.key(key, is: "topic") {
                guard let value = scanner.nullable({ $0.readString() }) else { return false }
                // Only ticket markers are worth their memory.
                topic = value.flatMap { $0.contains("aetheria:") ? $0 : nil }
            } else if JSONByteScanner.key(key, is: "permission_overwrites") {
                return scanner.forEachElement { scanner in
                    guard let overwrite = decodeOverwrite(&scanner) else { return false }
                    overwrites.append(overwrite)
                    return true
                }
            } else {
                return scanner.skipValue()
            }
            return true
        }
        guard valid, let id else { return nil }
        return .init(
            id: ChannelID(id), parentID: parentID.map { ChannelID($0) }, type: type, position: position, name: name,
            topic: topic, overwrites: overwrites)
    }

    static func decodeOverwrite(_ scanner: inout JSONByteScanner) -> PermissionOverwrite? {
        var id: UInt64?
        var type = 0
        var allow: UInt64 = 0
        var deny: UInt64 = 0
        let valid = scanner.forEachKey { scanner, key in
            if JSONByteScanner.key(key, is: "id") {
                id = scanner.readDecimalUInt64()
                return id != nil
            } else if JSONByteScanner.key(key, is: "type") {
                guard let value = scanner.readInteger() else { return false }
                type = value
            } else if JSONByteScanner.key(key, is: "allow") {
                guard let value = scanner.readDecimalUInt64() else { return false }
                allow = value
            } else if JSONByteScanner.key(key, is: "deny") {
                guard let value = scanner.readDecimalUInt64() else { return false }
                deny = value
            } else {
                return scanner.skipValue()
            }
            return true
        }
        guard valid, let id else { return nil }
        return PermissionOverwrite(
            id: MentionableID(id), type: type == 1 ? .member : .role, allow: Permissions(rawValue: allow),
            deny: Permissions(rawValue: deny))
    }
}
