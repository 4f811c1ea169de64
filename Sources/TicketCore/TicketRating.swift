public import DiscordModels
public import Foundation

/// A member's rating of their closed ticket (1 to 5 stars and an optional comment), kept beside its transcript:
/// the DM the rating comes from may reach any process, and the transcript store is what they all share.
public struct TicketRating: Sendable, Hashable, Codable {
    public static let commentLength = 0...1_000
    /// A ticket can be rated for a week after it closed.
    public static let window: TimeInterval = 7 * 86_400

    public var stars: Int
    public var comment: String?
    /// From the transcript record, never from the DM's button.
    public var typeID: Int?
    public var staffID: UserID?
    public var at: Date

    public init(stars: Int, comment: String?, typeID: Int?, staffID: UserID?, at: Date) {
        self.stars = stars
        self.comment = comment
        self.typeID = typeID
        self.staffID = staffID
        self.at = at
    }
}

/// The ratings of a guild, added up: all of them, per ticket type and per staff member.
public struct RatingSummary: Sendable, Hashable {
    public struct Tally: Sendable, Hashable {
        public var total = 0
        public var count = 0

        public init(total: Int = 0, count: Int = 0) {
            self.total = total
            self.count = count
        }

        public var average: Double? { count == 0 ? nil : Double(total) / Double(count) }

        public mutating func add(_ stars: Int) {
            total += stars
            count += 1
        }
    }

    public var all = Tally()
    public var byType: [Int: Tally] = [:]
    public var byStaff: [UserID: Tally] = [:]

    public init() {}

    public mutating func add(_ rating: TicketRating) {
        all.add(rating.stars)
        if let typeID = rating.typeID { byType[typeID, default: Tally()].add(rating.stars) }
        if let staffID = rating.staffID { byStaff[staffID, default: Tally()].add(rating.stars) }
    }
}
