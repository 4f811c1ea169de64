public import Foundation

/// A Discord ID, typed by what it identifies so that a user ID can never be passed where a channel ID belongs.
///
/// Snowflakes travel as decimal strings in JSON; decoding also accepts numbers, which some payloads and
/// hand-written fixtures use.
public struct Snowflake<Entity>: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: UInt64

    /// Milliseconds since 1970 of Discord's epoch, the first second of 2015.
    public static var discordEpochMilliseconds: UInt64 { 1_420_070_400_000 }

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt64) {
        self.rawValue = value
    }

    public init?(_ string: some StringProtocol) {
        guard let value = UInt64(string) else { return nil }
        self.rawValue = value
    }

    /// A snowflake for `date`, as Discord would mint it: timestamp in the top 42 bits, then worker,
    /// process and a per-millisecond increment.
    public init(date: Date, worker: UInt64 = 0, process: UInt64 = 0, increment: UInt64 = 0) {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000)) &- Self.discordEpochMilliseconds
        self.rawValue =
            (milliseconds << 22) | ((worker & 0x1F) << 17) | ((process & 0x1F) << 12) | (increment & 0xFFF)
    }

    /// When this ID was created.
    public var date: Date {
        Date(timeIntervalSince1970: Double((rawValue >> 22) + Self.discordEpochMilliseconds) / 1000)
    }

    /// The same number, seen as the ID of another kind of entity (for example a guild ID used as the ID
    /// of its @everyone role, which Discord defines to be equal).
    public func converted<Other>(to: Other.Type = Other.self) -> Snowflake<Other> {
        Snowflake<Other>(rawValue)
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            guard let value = UInt64(string) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Snowflake is not a decimal number: \(string.prefix(32))")
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

/// Tags that give each `Snowflake` its meaning.
public enum GuildEntity {}
public enum ChannelEntity {}
public enum UserEntity {}
public enum RoleEntity {}
public enum MessageEntity {}
public enum ApplicationEntity {}
public enum InteractionEntity {}
public enum CommandEntity {}
public enum AttachmentEntity {}
public enum EmojiEntity {}
/// An ID that may name a role or a user, as in permission overwrites and mentionables.
public enum MentionableEntity {}

public typealias GuildID = Snowflake<GuildEntity>
public typealias ChannelID = Snowflake<ChannelEntity>
public typealias UserID = Snowflake<UserEntity>
public typealias RoleID = Snowflake<RoleEntity>
public typealias MessageID = Snowflake<MessageEntity>
public typealias ApplicationID = Snowflake<ApplicationEntity>
public typealias InteractionID = Snowflake<InteractionEntity>
public typealias CommandID = Snowflake<CommandEntity>
public typealias AttachmentID = Snowflake<AttachmentEntity>
public typealias EmojiID = Snowflake<EmojiEntity>
public typealias MentionableID = Snowflake<MentionableEntity>
