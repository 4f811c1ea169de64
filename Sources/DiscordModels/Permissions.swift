/// A set of Discord permission bits. Travels as a decimal string (`"117760"`), since the bit field has
/// outgrown what some JSON parsers keep exact.
public struct Permissions: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static let createInstantInvite = Permissions(rawValue: 1 << 0)
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    public static let banMembers = Permissions(rawValue: 1 << 2)
    public static let administrator = Permissions(rawValue: 1 << 3)
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    public static let addReactions = Permissions(rawValue: 1 << 6)
    public static let viewAuditLog = Permissions(rawValue: 1 << 7)
    public static let prioritySpeaker = Permissions(rawValue: 1 << 8)
    public static let stream = Permissions(rawValue: 1 << 9)
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    public static let sendTTSMessages = Permissions(rawValue: 1 << 12)
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    public static let embedLinks = Permissions(rawValue: 1 << 14)
    public static let attachFiles = Permissions(rawValue: 1 << 15)
    public static let readMessageHistory = Permissions(rawValue: 1 << 16)
    public static let mentionEveryone = Permissions(rawValue: 1 << 17)
    public static let useExternalEmojis = Permissions(rawValue: 1 << 18)
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    public static let manageWebhooks = Permissions(rawValue: 1 << 29)
    public static let useApplicationCommands = Permissions(rawValue: 1 << 31)
    public static let manageThreads = Permissions(rawValue: 1 << 34)
    public static let sendMessagesInThreads = Permissions(rawValue: 1 << 38)
    public static let moderateMembers = Permissions(rawValue: 1 << 40)
    public static let pinMessages = Permissions(rawValue: 1 << 51)
    public static let bypassSlowmode = Permissions(rawValue: 1 << 52)

    /// Every bit Discord defines today (bits 0–46 and 48–52; bit 47 is unassigned).
    public static let all = Permissions(rawValue: ((1 << 53) - 1) & ~(1 << 47))

    /// What a ticket participant needs: view, send, read history, attach files, embed links (117760).
    public static let ticketParticipant: Permissions = [
        .viewChannel, .sendMessages, .readMessageHistory, .attachFiles, .embedLinks,
    ]

    /// Permissions that mean nothing without SEND_MESSAGES in a channel.
    public static let dependingOnSendMessages: Permissions = [
        .mentionEveryone, .sendTTSMessages, .attachFiles, .embedLinks,
    ]

    public var description: String { String(rawValue) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            guard let value = UInt64(string) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Permissions are not a decimal number: \(string.prefix(32))")
            }
            self.rawValue = value
        } else {
            self.rawValue = try container.decode(UInt64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }
}
