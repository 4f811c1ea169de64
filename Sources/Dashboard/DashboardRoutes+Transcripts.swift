import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TicketCore
import Transcripts

/// A guild's transcripts: the filtered list with a cursor, the viewer, and the file itself (sandboxed).
/// Every record is looked up under the guild of the URL.
extension DashboardRoutes {
    @Sendable func transcriptList(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        let query = request.uri.queryParameters
        var typed = DashboardPages.TranscriptFilter(
            search: String((query["q"] ?? "").prefix(200)), opener: query["opener"].map(String.init) ?? "",
            from: query["from"].map(String.init) ?? "", until: query["until"].map(String.init) ?? "")
        typed.person = String((query["person"] ?? "").prefix(100))
        typed.role = query["role"].flatMap { TranscriptQuery.Person.Role(rawValue: String($0)) } ?? .any
        let (opener, from, until) = (typed.opener, typed.from, typed.until)
        var filter = TranscriptQuery(limit: 25)
        filter.words = TranscriptSearch.queryWords(typed.search)
        filter.openerID = UInt64(opener).map { UserID($0) }
        filter.person = TranscriptQuery.Person(name: typed.person, role: typed.role)
        let dayFormat = DateFormatter()
        dayFormat.dateFormat = "yyyy-MM-dd"
        dayFormat.timeZone = TimeZone(identifier: "UTC")
        filter.closedFrom = dayFormat.date(from: from)
        filter.closedUntil = dayFormat.date(from: until).map { $0.addingTimeInterval(86_399) }
        if let after = query["after"], let (seconds, number) = Self.cursor(String(after)) {
            filter.after = (Date(timeIntervalSince1970: seconds), number)
        }
        // Only transcripts this user could have seen in Discord: the page may come out shorter than 25, and the
        // cursor goes on from the last record read, so nothing is skipped and nothing hidden is hinted at.
        let read = try await backend.transcripts.list(guildID: grant.guildID, query: filter)
        let records = read.filter(grant.mayRead)
        var snippets: [Int: String] = [:]
        if !filter.words.isEmpty {
            let texts = try await backend.transcripts.searchTexts(
                guildID: grant.guildID, ticketNumbers: records.map(\.ticketNumber))
            for (number, text) in texts {
                snippets[number] = TranscriptSearch.snippet(of: text, words: filter.words)
            }
        }
        var nextPage: String?
        if read.count == filter.limit, let last = read.last {
            var components = URLComponents()
            components.path = "/guilds/\(grant.guildID)/transcripts"
            components.queryItems = [
                URLQueryItem(name: "q", value: typed.search), URLQueryItem(name: "opener", value: opener),
                URLQueryItem(name: "person", value: typed.person),
                URLQueryItem(name: "role", value: typed.role.rawValue),
                URLQueryItem(name: "from", value: from),
                URLQueryItem(name: "until", value: until),
                URLQueryItem(name: "after", value: "\(last.closedAt.timeIntervalSince1970)_\(last.ticketNumber)"),
            ]
            nextPage = components.string
        }
        return DashboardResponse.html(
            DashboardPages.transcripts(
                grant.overview, records: records, snippets: snippets, words: filter.words, access: grant.access,
                filter: typed, nextPage: nextPage, session: grant.session))
    }

    /// The `after` cursor of the transcript list, `<closed-at seconds>_<ticket number>`, from the query string:
    /// `inf`, `nan` and numbers beyond any real date or ticket are refused (the store converts the date to an
    /// integer, and `Int64(Double.infinity)` traps).
    package static func cursor(_ text: String) -> (Double, Int)? {
        let parts = text.split(separator: "_")
        let maximumSeconds = Double(OutsideNumber.maximumEpochMilliseconds / 1_000)
        guard parts.count == 2, let seconds = Double(parts[0]), seconds.isFinite, abs(seconds) <= maximumSeconds,
            let number = OutsideNumber.integer(parts[1], in: 0...Ticket.maximumNumber)
        else { return nil }
        return (seconds, number)
    }

    /// The ticket number of the URL, bounded like every number from outside.
    private func ticketNumber(_ context: Context) throws -> Int {
        guard let text = context.parameters.get("number"),
            let number = OutsideNumber.integer(text, in: 0...Ticket.maximumNumber)
        else { throw PageFailure.notFound(session: context.session) }
        return number
    }

    @Sendable func transcriptViewer(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        guard
            let record = try await backend.transcripts.record(
                guildID: grant.guildID, ticketNumber: ticketNumber(context)),
            grant.mayRead(record)
        else { throw PageFailure.notFound(session: grant.session) }
        // The rating is extra: a store that cannot say shows the transcript without it.
        let rating = try? await backend.transcripts.rating(guildID: grant.guildID, ticketNumber: record.ticketNumber)
        return DashboardResponse.html(
            DashboardPages.transcriptViewer(record, rating: rating ?? nil, session: grant.session))
    }

    func transcriptFile(_ request: Request, context: Context, asDownload: Bool) async throws -> Response {
        let grant = try context.requireGuild()
        let number = try ticketNumber(context)
        // Not readable and not there look the same: a staff member learns nothing of other types' tickets.
        guard let record = try await backend.transcripts.record(guildID: grant.guildID, ticketNumber: number),
            grant.mayRead(record),
            let bytes = try await backend.transcripts.html(guildID: grant.guildID, ticketNumber: number)
        else {
            throw PageFailure.notFound(session: grant.session)
        }
        var response = Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        // As strict as the file's own policy (its style and script pinned by hash, base-uri 'none'), read from
        // the file itself so that older transcripts keep their script; also sandboxed (no same-origin access).
        response.headers[.contentSecurityPolicy] = TranscriptContentSecurity.headerPolicy(for: bytes)
        response.headers[.frameOptions] = "SAMEORIGIN"
        if asDownload {
            response.headers[.contentDisposition] = "attachment; filename=\"ticket-\(number)-\(grant.guildID).html\""
        }
        return response
    }
}
