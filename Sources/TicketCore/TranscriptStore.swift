public import DiscordModels
public import Foundation

/// What the dashboard lists for a closed ticket; the transcript HTML is stored beside it.
public struct TranscriptRecord: Sendable, Hashable, Codable {
    public var guildID: GuildID
    public var ticketNumber: Int
    public var channelID: ChannelID
    public var channelName: String
    public var openerID: UserID
    public var closerID: UserID?
    public var openedAt: Date
    public var closedAt: Date
    public var messageCount: Int
    public var closeReason: String?
    /// Display names when the ticket closed, for the dashboard's list (optional: older records lack them).
    public var openerName: String?
    public var closerName: String?
    public var claimerID: UserID?
    public var claimerName: String?
    /// The ticket's type, for the exact median per type (`nil` in older records).
    public var typeID: Int?
    /// The staff member who answers for it (`Ticket.responsibleStaff`), whom its rating counts for.
    public var staffID: UserID?

    public init(
        guildID: GuildID, ticketNumber: Int, channelID: ChannelID, channelName: String, openerID: UserID,
        closerID: UserID?, openedAt: Date, closedAt: Date, messageCount: Int, closeReason: String? = nil
    ) {
        self.guildID = guildID
        self.ticketNumber = ticketNumber
        self.channelID = channelID
        self.channelName = channelName
        self.openerID = openerID
        self.closerID = closerID
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.messageCount = messageCount
        self.closeReason = closeReason
    }

    public var duration: TimeInterval { closedAt.timeIntervalSince(openedAt) }
}

/// Which closed tickets to list: newest first, optionally one opener's, within dates, holding every one of
/// some words (see `TranscriptSearch`), a page at a time.
public struct TranscriptQuery: Sendable {
    /// A person by name, in one role or any: the dashboard lists tickets by who opened, closed or claimed them
    /// rather than by user ID. Whole words, as search finds them ("ali" does not find "alice").
    public struct Person: Sendable, Hashable {
        public enum Role: String, Sendable, Hashable, CaseIterable {
            case any, opener, closer, claimer
        }

        /// Normalised words of the name (`TranscriptSearch.queryWords`); at least one.
        public var words: [String]
        public var role: Role

        public init?(name: String, role: Role) {
            words = TranscriptSearch.queryWords(name)
            guard !words.isEmpty else { return nil }
            self.role = role
        }

        /// Whether `record` names this person in the role.
        public func matches(_ record: TranscriptRecord) -> Bool {
            let names: [String?] =
                switch role {
                case .any: [record.openerName, record.closerName, record.claimerName]
                case .opener: [record.openerName]
                case .closer: [record.closerName]
                case .claimer: [record.claimerName]
                }
            return names.contains { name in
                guard let name else { return false }
                let present = Set(TranscriptSearch.words(in: name))
                return words.allSatisfy(present.contains)
            }
        }
    }

    public var openerID: UserID?
    public var person: Person?
    /// Normalised search words (`TranscriptSearch.queryWords`); empty lists every transcript.
    public var words: [String] = []
    public var closedFrom: Date?
    public var closedUntil: Date?
    /// Continue after this ticket (the last one of the previous page).
    public var after: (closedAt: Date, ticketNumber: Int)?
    public var limit: Int

    public init(
        openerID: UserID? = nil, closedFrom: Date? = nil, closedUntil: Date? = nil, limit: Int = 25
    ) {
        self.openerID = openerID
        self.closedFrom = closedFrom
        self.closedUntil = closedUntil
        self.limit = limit
    }

    /// The words a store's index narrows the candidates with: the searched words, and the person's name (the
    /// search text holds "Opened by …", "Closed by …" and "Claimed by …"); `matches` then checks the role.
    public var indexWords: [String] {
        var seen = Set<String>()
        return (words + (person?.words ?? [])).filter { seen.insert($0).inserted }
    }

    /// Whether `record` belongs in this query, paging included (the words are the store's to check).
    public func matches(_ record: TranscriptRecord) -> Bool {
        guard (openerID == nil || record.openerID == openerID), person?.matches(record) ?? true,
            closedFrom.map({ record.closedAt >= $0 }) ?? true,
            closedUntil.map({ record.closedAt <= $0 }) ?? true
        else { return false }
        guard let after else { return true }
        return (record.closedAt, record.ticketNumber) < (after.closedAt, after.ticketNumber)
    }

    /// Newest first; ties broken by ticket number.
    public static func newestFirst(_ lhs: TranscriptRecord, _ rhs: TranscriptRecord) -> Bool {
        (lhs.closedAt, lhs.ticketNumber) > (rhs.closedAt, rhs.ticketNumber)
    }
}

public struct TranscriptStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The ticket number already holds another channel's transcript: it was kept, nothing was written.
    public var isConflict: Bool

    public init(_ message: String, isConflict: Bool = false) {
        self.message = message
        self.isConflict = isConflict
    }

    public static func conflict(guildID: GuildID, ticketNumber: Int) -> TranscriptStoreError {
        TranscriptStoreError(
            "ticket #\(ticketNumber) of guild \(guildID) already has another channel's transcript; it is never replaced",
            isConflict: true)
    }

    public var description: String { "transcript store: \(message)" }
}

/// Closed tickets and their transcripts (stored compressed), listed newest first for the dashboard, and
/// forgotten after the retention period.
public protocol TranscriptStore: Sendable {
    /// Stores a transcript. Saving the same ticket's transcript again (same number and channel, after a crash)
    /// replaces it; a transcript of another channel under the same number is never replaced: the save fails
    /// with `isConflict` (a forged topic marker, or numbering restarted after a lost snapshot, must not
    /// overwrite history).
    /// `searchText` (`TranscriptDocument.searchText`) is indexed for `TranscriptQuery.words` and kept for
    /// the search results' snippets; it is replaced and removed with the transcript.
    func save(_ record: TranscriptRecord, html: [UInt8], searchText: String) async throws(TranscriptStoreError)
    func record(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> TranscriptRecord?
    func html(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> [UInt8]?
    func list(guildID: GuildID, query: TranscriptQuery) async throws(TranscriptStoreError) -> [TranscriptRecord]
    /// The stored search text of each of `ticketNumbers` that has one.
    func searchTexts(guildID: GuildID, ticketNumbers: [Int]) async throws(TranscriptStoreError) -> [Int: String]
    /// Deletes transcripts closed before `cutoff`; returns how many went.
    func deleteClosed(before cutoff: Date, guildID: GuildID) async throws(TranscriptStoreError) -> Int
    /// The exact median time from opening to closing of the guild's stored transcripts (of one type when
    /// `typeID` is given; records from before types were kept count only for the whole guild); `nil` when
    /// there are none.
    func medianResolutionSeconds(guildID: GuildID, typeID: Int?) async throws(TranscriptStoreError) -> Double?
    /// Keeps a member's rating of a stored transcript, once: `false` when the ticket was already rated. Ratings
    /// outlive their transcript's retention (they are counted, not shown).
    func rate(guildID: GuildID, ticketNumber: Int, _ rating: TicketRating) async throws(TranscriptStoreError) -> Bool
    func rating(guildID: GuildID, ticketNumber: Int) async throws(TranscriptStoreError) -> TicketRating?
    func ratingSummary(guildID: GuildID) async throws(TranscriptStoreError) -> RatingSummary
}

extension TranscriptRecord {
    /// The resolution time in whole milliseconds, never negative, from dates already bounded.
    public var resolutionMilliseconds: Int64 {
        max(0, OutsideNumber.milliseconds(since1970: closedAt) - OutsideNumber.milliseconds(since1970: openedAt))
    }

    /// The median of sorted values (the mean of the middle two for an even count).
    public static func median(ofSorted values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let middle = values.count / 2
        let milliseconds =
            values.count % 2 == 1
            ? Double(values[middle]) : (Double(values[middle - 1]) + Double(values[middle])) / 2
        return milliseconds / 1_000
    }
}
