public import DiscordModels
import Foundation

/// Why a stored snapshot could not be read. The guild is then left alone (not reset to empty) until an
/// operator looks: resetting would silently lose open tickets.
public struct SnapshotFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Written by a newer Aetheria; this one must not guess at it.
        case newerFormat(Int)
        case corrupt(String)
    }

    public var guildID: GuildID
    public var reason: Reason

    public init(guildID: GuildID, reason: Reason) {
        self.guildID = guildID
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .newerFormat(let format):
            "the stored snapshot of guild \(guildID) has format \(format), newer than this Aetheria understands (\(GuildTicketsCodec.currentFormat)); upgrade Aetheria or restore an older snapshot"
        case .corrupt(let detail):
            "the stored snapshot of guild \(guildID) is unreadable (\(detail)); it was left untouched"
        }
    }
}

/// Encodes `GuildTickets` for `GuildStore` as versioned JSON: `{"format":2,"guild":{…}}`.
public enum GuildTicketsCodec {
    /// 2: ticket types, panels and log routing (format 1, one configuration per guild, still loads).
    public static let currentFormat = 2

    private struct Versioned: Codable {
        var format: Int
        var guild: GuildTickets?
    }

    public static func encode(_ tickets: GuildTickets) -> [UInt8] {
        // Encoding plain value types with finite numbers cannot fail.
        (try? Array(encoder.encode(Versioned(format: currentFormat, guild: tickets)))) ?? []
    }

    public static func decode(_ bytes: [UInt8], guildID: GuildID) throws(SnapshotFormatError) -> GuildTickets {
        let data = Data(bytes)
        let format: Int
        do {
            format = try decoder.decode(FormatOnly.self, from: data).format
        } catch {
            throw SnapshotFormatError(guildID: guildID, reason: .corrupt("not a snapshot: \(describe(error))"))
        }
        guard format <= currentFormat else {
            throw SnapshotFormatError(guildID: guildID, reason: .newerFormat(format))
        }
        do {
            guard let guild = try decoder.decode(Versioned.self, from: data).guild else {
                throw SnapshotFormatError(guildID: guildID, reason: .corrupt("no guild state"))
            }
            // Well-formed JSON can still hold numbers that would trap later (a next ticket number of Int.max, a
            // date of 1e300 seconds): such a snapshot is corrupt, and is left untouched like any other.
            if let problem = guild.storedValueProblem {
                throw SnapshotFormatError(guildID: guildID, reason: .corrupt(problem))
            }
            return guild
        } catch let error as SnapshotFormatError {
            throw error
        } catch {
            throw SnapshotFormatError(guildID: guildID, reason: .corrupt(describe(error)))
        }
    }

    private struct FormatOnly: Decodable {
        var format: Int
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            "malformed at \(path(context.codingPath))"
        default: "undecodable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty
            ? "the top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
