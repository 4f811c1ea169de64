/// The dispatch events Aetheria tells apart, recognised from the raw bytes of `t` without building a String.
/// Everything else is `.other` and is only counted.
public enum GatewayEventName: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case ready
    case resumed
    case guildCreate
    case guildUpdate
    case guildDelete
    case guildRoleCreate
    case guildRoleUpdate
    case guildRoleDelete
    case guildMemberAdd
    case guildMemberUpdate
    case guildMemberRemove
    case channelCreate
    case channelUpdate
    case channelDelete
    case messageCreate
    case messageUpdate
    case messageDelete
    case messageDeleteBulk
    case interactionCreate
    case other

    public var description: String {
        switch self {
        case .ready: "READY"
        case .resumed: "RESUMED"
        case .guildCreate: "GUILD_CREATE"
        case .guildUpdate: "GUILD_UPDATE"
        case .guildDelete: "GUILD_DELETE"
        case .guildRoleCreate: "GUILD_ROLE_CREATE"
        case .guildRoleUpdate: "GUILD_ROLE_UPDATE"
        case .guildRoleDelete: "GUILD_ROLE_DELETE"
        case .guildMemberAdd: "GUILD_MEMBER_ADD"
        case .guildMemberUpdate: "GUILD_MEMBER_UPDATE"
        case .guildMemberRemove: "GUILD_MEMBER_REMOVE"
        case .channelCreate: "CHANNEL_CREATE"
        case .channelUpdate: "CHANNEL_UPDATE"
        case .channelDelete: "CHANNEL_DELETE"
        case .messageCreate: "MESSAGE_CREATE"
        case .messageUpdate: "MESSAGE_UPDATE"
        case .messageDelete: "MESSAGE_DELETE"
        case .messageDeleteBulk: "MESSAGE_DELETE_BULK"
        case .interactionCreate: "INTERACTION_CREATE"
        case .other: "OTHER"
        }
    }

    private static let known: [(bytes: [UInt8], name: GatewayEventName)] = allCases.filter { $0 != .other }.map {
        (Array($0.description.utf8), $0)
    }

    /// Recognises the event from the bytes of `t` (without quotes).
    public init(bytes: UnsafeRawBufferPointer) {
        for candidate in Self.known where candidate.bytes.count == bytes.count {
            if candidate.bytes.withUnsafeBytes({ $0.elementsEqual(bytes) }) {
                self = candidate.name
                return
            }
        }
        self = .other
    }
}
