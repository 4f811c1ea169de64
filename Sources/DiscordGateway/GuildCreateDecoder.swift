public import DiscordModels

/// Decodes GUILD_CREATE's `d` straight into a `GuildSnapshot`, reading only what the bot keeps (roles,
/// channels, overwrites, owner, member count) and skipping the rest (members, emojis, presences…) without
/// building it. Several times faster than `JSONDecoder` and allocation-light.
public enum GuildCreateDecoder {
    public static func decode(_ payload: [UInt8], keepingTopicsContaining marker: String? = nil) -> GuildSnapshot? {
        payload.withUnsafeBytes { decode($0, keepingTopicsContaining: marker) }
    }

    public static func decode(
        _ payload: ArraySlice<UInt8>, keepingTopicsContaining marker: String? = nil
    ) -> GuildSnapshot? {
        payload.withUnsafeBytes { decode($0, keepingTopicsContaining: marker) }
    }

    /// `marker`: only channel topics containing it are kept (the caller knows which topics matter; `nil`
    /// keeps every topic).
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, keepingTopicsContaining marker: String? = nil
    ) -> GuildSnapshot? {
        var scanner = JSONByteScanner(bytes: bytes)
        var builder = GuildSnapshot.Builder()
        var id: UInt64?
        var ownerID: UInt64 = 0
        var memberCount = 0
        var unavailable = false
        let valid = scanner.forEachKey { scanner, key in
            if JSONByteScanner.key(key, is: "id") {
                id = scanner.readDecimalUInt64()
                return id != nil
            } else if JSONByteScanner.key(key, is: "name") {
                guard let value = scanner.readString() else { return false }
                builder.setGuildName(value)
            } else if JSONByteScanner.key(key, is: "owner_id") {
                guard let value = scanner.readDecimalUInt64() else { return false }
                ownerID = value
            } else if JSONByteScanner.key(key, is: "member_count") {
                guard let value = scanner.readInteger() else { return false }
                memberCount = value
            } else if JSONByteScanner.key(key, is: "unavailable") {
                scanner.skipWhitespace()
                unavailable = scanner.peek == UInt8(ascii: "t")
                return scanner.skipValue()
            } else if JSONByteScanner.key(key, is: "roles") {
                return scanner.forEachElement { decodeRole(&$0, into: &builder) }
            } else if JSONByteScanner.key(key, is: "channels") {
                return scanner.forEachElement { decodeChannel(&$0, into: &builder, keepingTopicsContaining: marker) }
            } else {
                return scanner.skipValue()
            }
            return true
        }
        guard valid, let id, !unavailable else { return nil }
        return builder.build(id: GuildID(id), ownerID: UserID(ownerID), memberCount: memberCount)
    }

    static func decodeRole(_ scanner: inout JSONByteScanner, into builder: inout GuildSnapshot.Builder) -> Bool {
        var id: UInt64?
        var permissions: UInt64 = 0
        var position = 0
        var color = 0
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
                position = value
            } else if JSONByteScanner.key(key, is: "color") {
                guard let value = scanner.readInteger() else { return false }
                color = value
            } else if JSONByteScanner.key(key, is: "name") {
                guard let value = scanner.readString() else { return false }
                name = value
            } else {
                return scanner.skipValue()
            }
            return true
        }
        guard valid, let id else { return false }
        builder.addRole(
            id: RoleID(id), name: name, permissions: Permissions(rawValue: permissions), position: position,
            color: color)
        return true
    }

    static func decodeChannel(
        _ scanner: inout JSONByteScanner, into builder: inout GuildSnapshot.Builder,
        keepingTopicsContaining marker: String?
    ) -> Bool {
        var id: UInt64?
        var parentID: UInt64?
        var type = 0
        var position = 0
        var name = ""
        var topic: String?
        var overwrites: [PermissionOverwrite] = []
        let valid = scanner.forEachKey { scanner, key in
            if JSONByteScanner.key(key, is: "id") {
                id = scanner.readDecimalUInt64()
                return id != nil
            } else if JSONByteScanner.key(key, is: "type") {
                guard let value = scanner.readInteger() else { return false }
                type = value
            } else if JSONByteScanner.key(key, is: "position") {
                guard let value = scanner.readInteger() else { return false }
                position = value
            } else if JSONByteScanner.key(key, is: "name") {
                guard let value = scanner.readString() else { return false }
                name = value
            } else if JSONByteScanner.key(key, is: "parent_id") {
                guard let value = scanner.nullable({ $0.readDecimalUInt64() }) else { return false }
                parentID = value
            } else if JSONByteScanner.key(key, is: "topic") {
                guard let value = scanner.nullable({ $0.readString() }) else { return false }
                // Only the topics the caller asked for are worth their memory.
                topic = value.flatMap { topic in marker.map { topic.contains($0) } ?? true ? topic : nil }
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
        guard valid, let id else { return false }
        builder.addChannel(
            id: ChannelID(id), type: type, name: name, position: position, parentID: parentID.map { ChannelID($0) },
            topic: topic, overwrites: overwrites)
        return true
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
