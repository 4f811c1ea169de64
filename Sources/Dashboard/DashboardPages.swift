import DiscordModels
import Foundation
import TicketCore
import Transcripts

/// The dashboard's HTML, built from escaped values only. Every page works without JavaScript.
enum DashboardPages {
    static func layout(_ title: String, session: DashboardSessions.Session?, body: String) -> String {
        var html = "<!doctype html><html lang=en><head><meta charset=utf-8>"
        html += "<meta name=viewport content=\"width=device-width,initial-scale=1\">"
        html +=
            "<title>\(HTMLEscaping.escape(title)) · Aetheria</title><link rel=stylesheet href=\"/assets/dashboard.css\">"
        html +=
            "<script src=\"/assets/live.js\" defer></script></head><body><header class=top><a href=\"/\">🎫 Aetheria</a>"
        if let session {
            html += "<span class=hint>\(HTMLEscaping.escape(session.username))</span>"
            html += "<form method=post action=\"/logout\"><input type=hidden name=csrf value=\"\(session.csrfToken)\">"
            html += "<button type=submit>Log out</button></form>"
        }
        return html + "</header><main>\(body)</main></body></html>"
    }

    static func login() -> String {
        layout(
            "Log in", session: nil,
            body: "<div class=card><h1>Aetheria dashboard</h1><p>Configure tickets, watch the numbers and read "
                + "transcripts for the servers you manage.</p><p><a href=\"/login\">Log in with Discord</a></p></div>")
    }

    static func error(_ title: String, _ message: String, session: DashboardSessions.Session?) -> String {
        layout(
            title, session: session,
            body:
                "<div class=card><h1>\(HTMLEscaping.escape(title))</h1><p>\(HTMLEscaping.escape(message))</p><p><a href=\"/\">Back to your servers</a></p></div>"
        )
    }

    static func picker(
        _ entries: [(guild: PartialGuild, access: DashboardAccess)], session: DashboardSessions.Session
    ) -> String {
        var body = "<div class=card><h1>Your servers</h1>"
        if entries.isEmpty {
            body += "<p>Aetheria is not in any server where you are an administrator or support staff.</p>"
        } else {
            body += "<ul class=guilds>"
            for entry in entries {
                let role = entry.access == .admin ? "administrator" : "support staff"
                body +=
                    "<li><a href=\"/guilds/\(entry.guild.id)\">\(HTMLEscaping.escape(entry.guild.name))</a> <span class=hint>\(role)</span></li>"
            }
            body += "</ul>"
        }
        return layout("Your servers", session: session, body: body + "</div>")
    }

    static func tabs(_ guildID: GuildID, access: DashboardAccess) -> String {
        var html =
            "<nav class=tabs><a href=\"/guilds/\(guildID)\">Analytics</a><a href=\"/guilds/\(guildID)/transcripts\">Transcripts</a>"
        if access == .admin { html += "<a href=\"/guilds/\(guildID)/config\">Configuration</a>" }
        return html + "</nav>"
    }

    static func name(of overview: GuildTicketsOverview) -> String {
        overview.discord?.name ?? "Server \(overview.guildID)"
    }

    // MARK: - Analytics

    /// The exact median when the store gave one; otherwise the histogram's estimate, marked as such.
    static func median(_ exact: ResolutionMedians?, _ pick: (ResolutionMedians) -> Double?, estimate: Double?) -> String
    {
        guard let exact else { return estimate.map { "≈ " + duration($0) } ?? duration(nil) }
        return duration(pick(exact))
    }

    /// An average rating with its count (“4.5 ★ (12)”), or a dash.
    static func stars(_ tally: RatingSummary.Tally?) -> String {
        guard let tally, let average = tally.average else { return "—" }
        return String(format: "%.1f ★ (%d)", average, tally.count)
    }

    static func tiles(
        _ overview: GuildTicketsOverview, medians: ResolutionMedians?, ratings: RatingSummary? = nil
    ) -> String {
        let analytics = overview.tickets.analytics
        func tile(_ id: String, _ value: String, _ label: String) -> String {
            "<div class=tile><b id=n-\(id)>\(HTMLEscaping.escape(value))</b><span>\(label)</span></div>"
        }
        return "<div class=tiles>" + tile("active", String(overview.tickets.openTicketCount), "open now")
            + tile("opened", String(analytics.opened), "opened") + tile("closed", String(analytics.closed), "closed")
            + tile("average", duration(analytics.averageResolutionSeconds), "average resolution")
            + tile(
                "median", median(medians, \.guild, estimate: analytics.medianResolutionSeconds), "median resolution")
            + tile("response", duration(analytics.averageFirstResponseSeconds), "average first staff response")
            + (ratings.map { $0.all.count == 0 ? "" : tile("rating", stars($0.all), "members' rating") } ?? "")
            + "</div>"
    }

    /// One row per ticket type the user works on (admins: every type).
    static func typeTable(
        _ overview: GuildTicketsOverview, types: [TicketType], medians: ResolutionMedians?,
        ratings: RatingSummary? = nil
    ) -> String {
        guard overview.tickets.config.types.count > 1, !types.isEmpty else { return "" }
        var html = "<div class=card><h2>By ticket type</h2><table><thead><tr><th>Type</th><th>Open now</th>"
        html += "<th>Opened</th><th>Closed</th><th>Average resolution</th><th>Median resolution</th>"
        html += "<th>First response</th><th>Rating</th></tr></thead><tbody>"
        for type in types {
            let analytics = overview.tickets.analytics(ofType: type.id)
            html += "<tr><td>\(HTMLEscaping.escape((type.emoji.map { $0 + " " } ?? "") + type.name))</td>"
            html += "<td>\(overview.tickets.openTicketCount(ofType: type.id))</td><td>\(analytics.opened)</td>"
            html += "<td>\(analytics.closed)</td><td>\(duration(analytics.averageResolutionSeconds))</td>"
            html +=
                "<td>\(median(medians, { $0.byType[type.id] }, estimate: analytics.medianResolutionSeconds))</td>"
            html += "<td>\(duration(analytics.averageFirstResponseSeconds))</td>"
            html += "<td>\(stars(ratings?.byType[type.id]))</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    static func charts(_ overview: GuildTicketsOverview, today: Int) -> String {
        let analytics = overview.tickets.analytics
        let opened = DashboardCharts.dailySeries(analytics, days: 30, today: today) { Double($0.opened) }
        let active = DashboardCharts.activeSeries(
            analytics, activeNow: overview.tickets.openTicketCount, days: 30, today: today)
        let resolution = DashboardCharts.dailySeries(analytics, days: 30, today: today) {
            $0.closed == 0 ? 0 : $0.resolutionSeconds / Double($0.closed) / 60
        }
        return "<div class=card><h2>Tickets opened per day (30 days)</h2>"
            + DashboardCharts.bars(opened, title: "Tickets opened per day", unit: "opened")
            + "</div><div class=card><h2>Active tickets</h2>"
            + DashboardCharts.line(active, title: "Active tickets at the end of each day", unit: "active")
            + "</div><div class=card><h2>Average resolution time per day (minutes)</h2>"
            + DashboardCharts.bars(resolution, title: "Average resolution time per day", unit: "min") + "</div>"
    }

    static func analytics(
        _ overview: GuildTicketsOverview, access: DashboardAccess, types: [TicketType], medians: ResolutionMedians?,
        ratings: RatingSummary? = nil, session: DashboardSessions.Session, today: Int
    ) -> String {
        let id = overview.guildID
        var body = "<h1>\(HTMLEscaping.escape(name(of: overview)))</h1>" + tabs(id, access: access)
        if let reason = overview.unreadableReason {
            body += "<div class=\"card problems\"><p class=error>\(HTMLEscaping.escape(reason))</p></div>"
        }
        if !overview.configProblems.isEmpty {
            body += "<div class=\"card problems\"><h2>Settings need attention</h2><ul>"
            for problem in overview.configProblems {
                body += "<li class=error>\(HTMLEscaping.escape(problem.description))</li>"
            }
            body += "</ul></div>"
        }
        body +=
            "<div data-events=\"/guilds/\(id)/events\" data-charts=\"/guilds/\(id)/charts\">\(tiles(overview, medians: medians, ratings: ratings))</div>"
        body += typeTable(overview, types: types, medians: medians, ratings: ratings)
        body += pendingWork(overview)
        body += openTickets(overview, types: types)
        body += staffTable(overview, ratings: ratings)
        body += "<div id=charts>\(charts(overview, today: today))</div>"
        return layout(name(of: overview), session: session, body: body)
    }

    /// Each staff member's work: claimed, closed, first responses (how fast) and the members' ratings.
    static func staffTable(_ overview: GuildTicketsOverview, ratings: RatingSummary?) -> String {
        let staff = overview.tickets.staffStatistics
        guard !staff.isEmpty else { return "" }
        var html = "<div class=card><h2>Staff</h2><table><thead><tr><th>Staff member</th><th>Claimed</th>"
        html += "<th>Closed</th><th>First responses</th><th>Average first response</th><th>Rating</th></tr>"
        html += "</thead><tbody>"
        for (id, statistics) in staff.prefix(100) {
            let rating = stars(ratings?.byStaff[id])
            html += "<tr><td>\(HTMLEscaping.escape(statistics.name ?? "User \(id)"))</td>"
            html += "<td>\(statistics.claimed)</td><td>\(statistics.closed)</td><td>\(statistics.firstResponses)</td>"
            html += "<td>\(duration(statistics.averageFirstResponseSeconds))</td><td>\(rating)</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// Work that did not finish (a close Discord interrupted, a transcript not yet delivered), with why and
    /// when it is tried again: it finishes by itself, and staff see that it is under way.
    static func pendingWork(_ overview: GuildTicketsOverview) -> String {
        let pending = overview.tickets.pendingWork
        guard !pending.isEmpty else { return "" }
        var html = "<div class=\"card problems\"><h2>Pending</h2><table><thead><tr><th>#</th><th>What</th>"
        html += "<th>Why</th><th>Next attempt</th></tr></thead><tbody>"
        for work in pending.prefix(50) {
            html += "<tr><td>#\(work.ticketNumber)</td><td>\(HTMLEscaping.escape(work.what))</td>"
            if let retry = work.retry {
                html +=
                    "<td>\(HTMLEscaping.escape(retry.problem)) (\(retry.failures) failed attempt\(retry.failures == 1 ? "" : "s"))</td>"
                html += "<td>\(HTMLEscaping.escape(date(retry.nextAttemptAt)))</td></tr>"
            } else {
                html += "<td>under way</td><td>now</td></tr>"
            }
        }
        return html + "</tbody></table></div>"
    }

    /// The open tickets of the types the viewer may see: who opened each, its type and who claimed it.
    static func openTickets(_ overview: GuildTicketsOverview, types: [TicketType]) -> String {
        let visible = Set(types.map(\.id))
        let open = overview.tickets.tickets.filter {
            $0.isActive && visible.contains(overview.tickets.type(of: $0).id)
        }
        guard !open.isEmpty else { return "" }
        var html = "<div class=card><h2>Open tickets</h2><table><thead><tr><th>#</th><th>Type</th>"
        html += "<th>Opened by</th><th>Claimed by</th><th>Opened</th></tr></thead><tbody>"
        for ticket in open.suffix(100).reversed() {
            let claimer = ticket.claimerID.map { id in ticket.claimerName ?? "User \(id)" } ?? "—"
            html += "<tr><td>#\(ticket.number) \(HTMLEscaping.escape(ticket.channelName))</td>"
            html += "<td>\(HTMLEscaping.escape(overview.tickets.type(of: ticket).name))</td>"
            html += "<td>\(HTMLEscaping.escape(ticket.openerName))</td><td>\(HTMLEscaping.escape(claimer))</td>"
            html += "<td>\(HTMLEscaping.escape(date(ticket.openedAt)))</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    // MARK: - Transcripts

    /// What the transcript list was asked for, as typed (shown back in the form and kept across pages).
    struct TranscriptFilter {
        var search = ""
        var opener = ""
        /// A name, and whether it opened, closed or claimed the ticket (`TranscriptQuery.Person.Role`).
        var person = ""
        var role = TranscriptQuery.Person.Role.any
        var from = ""
        var until = ""
    }

    /// A page of transcripts; with a search, each row shows the line that matched, its words marked.
    static func transcripts(
        _ overview: GuildTicketsOverview, records: [TranscriptRecord], snippets: [Int: String], words: [String],
        access: DashboardAccess, filter: TranscriptFilter, nextPage: String?, session: DashboardSessions.Session
    ) -> String {
        let id = overview.guildID
        var body = "<h1>\(HTMLEscaping.escape(name(of: overview)))</h1>" + tabs(id, access: access)
        body += "<form class=card method=get action=\"/guilds/\(id)/transcripts\" role=search>"
        body +=
            "<label for=q>Words in the transcript, or a name</label><input id=q name=q type=search placeholder=\"e.g. refund invoice\" value=\"\(HTMLEscaping.escape(filter.search))\">"
        body +=
            "<p class=hint>Finds closed tickets holding every word: messages, edits, answers to the questions, close reasons, and the names of who opened, claimed and closed them.</p>"
        body +=
            "<label for=person>Person (a name)</label><input id=person name=person maxlength=100 value=\"\(HTMLEscaping.escape(filter.person))\">"
        body += "<label for=role>…who</label><select id=role name=role>"
        body += DashboardPages.options(
            [
                ("any", "opened, closed or claimed it"), ("opener", "opened it"), ("closer", "closed it"),
                ("claimer", "claimed it"),
            ],
            selected: [filter.role.rawValue])
        body += "</select>"
        body +=
            "<label for=from>Closed from</label><input id=from name=from type=date value=\"\(HTMLEscaping.escape(filter.from))\">"
        body +=
            "<label for=until>Closed until</label><input id=until name=until type=date value=\"\(HTMLEscaping.escape(filter.until))\">"
        body += "<p><button type=submit>Search</button></p></form><div class=card>"
        if records.isEmpty {
            body +=
                words.isEmpty ? "<p>No closed tickets match.</p>" : "<p>No closed ticket holds all of these words.</p>"
        } else {
            body +=
                "<table><thead><tr><th>#</th><th>Opened by</th><th>Closed by</th><th>Reason</th><th>Closed</th><th>Duration</th><th>Messages</th></tr></thead><tbody>"
            for record in records {
                body +=
                    "<tr><td><a href=\"/guilds/\(id)/transcripts/\(record.ticketNumber)\">#\(record.ticketNumber) \(HTMLEscaping.escape(record.channelName))</a></td>"
                let opener = record.openerName ?? "User \(record.openerID)"
                let closer = record.closerID.map { id in record.closerName ?? "User \(id)" } ?? "—"
                let claimer = record.claimerID.map { id in " · claimed by " + (record.claimerName ?? "User \(id)") }
                body += "<td>\(HTMLEscaping.escape(opener))</td>"
                body += "<td>\(HTMLEscaping.escape(closer + (claimer ?? "")))</td>"
                let reason = record.closeReason.map { $0.count > 120 ? $0.prefix(119) + "…" : $0 } ?? "—"
                body += "<td>\(HTMLEscaping.escape(String(reason)))</td>"
                body +=
                    "<td>\(HTMLEscaping.escape(date(record.closedAt)))</td><td>\(duration(record.duration))</td><td>\(record.messageCount)</td></tr>"
                if let snippet = snippets[record.ticketNumber] {
                    body += "<tr class=snippet><td colspan=7>\(highlighted(snippet, words: words))</td></tr>"
                }
            }
            body += "</tbody></table>"
        }
        if let nextPage { body += "<p><a href=\"\(HTMLEscaping.escape(nextPage))\">Older tickets →</a></p>" }
        return layout("Transcripts", session: session, body: body + "</div>")
    }

    /// `text` escaped, with the searched words in `<mark>`.
    static func highlighted(_ text: String, words: [String]) -> String {
        TranscriptSearch.highlighted(text, words: words).map { segment in
            segment.isMatch ? "<mark>\(HTMLEscaping.escape(segment.text))</mark>" : HTMLEscaping.escape(segment.text)
        }.joined()
    }

    static func transcriptViewer(
        _ record: TranscriptRecord, rating: TicketRating?, session: DashboardSessions.Session
    ) -> String {
        let base = "/guilds/\(record.guildID)/transcripts/\(record.ticketNumber)"
        var body =
            "<h1>Ticket #\(record.ticketNumber) · \(HTMLEscaping.escape(record.channelName))</h1><p><a href=\"/guilds/\(record.guildID)/transcripts\">← All transcripts</a> · "
            + "<a href=\"\(base)/download\">Download HTML</a></p>"
        if let rating { body += feedback(rating) }
        body +=
            "<iframe src=\"\(base)/raw\" sandbox=\"allow-scripts\" referrerpolicy=no-referrer title=\"Transcript\"></iframe>"
        return layout("Ticket #\(record.ticketNumber)", session: session, body: body)
    }

    /// The member's rating of the ticket, with their comment, as staff reading the transcript see it.
    static func feedback(_ rating: TicketRating) -> String {
        let stars = min(5, max(1, rating.stars))
        var html = "<div class=card><h2>The member's rating</h2>"
        html += "<p><span aria-hidden=true>\(String(repeating: "★", count: stars))"
        html +=
            "\(String(repeating: "☆", count: 5 - stars))</span> \(stars) of 5 · \(HTMLEscaping.escape(date(rating.at)))</p>"
        if let comment = rating.comment, !comment.isEmpty {
            html += "<blockquote>\(HTMLEscaping.escape(comment))</blockquote>"
        }
        return html + "</div>"
    }

    // MARK: - Operators

    static func shards(_ rows: [DashboardShardRow], health: DashboardHealth) -> String {
        var body =
            "<h1>Shards</h1><p>Status: <b>\(health.status)</b> · store \(health.storeAvailable ? "available" : "unavailable") · \(health.guilds) guilds</p>"
        body +=
            "<div class=card><table><thead><tr><th>Shard</th><th>State</th><th>Heartbeat</th><th>Guilds</th><th>Last event</th><th>Resumes</th><th>Reconnects</th></tr></thead><tbody>"
        for row in rows {
            body += "<tr><td>\(HTMLEscaping.escape(row.shard))</td><td>\(HTMLEscaping.escape(row.state))</td>"
            body +=
                "<td>\(row.heartbeatLatencyMilliseconds.map { String(format: "%.0f ms", $0) } ?? "—")</td><td>\(row.guilds)</td>"
            body +=
                "<td>\(row.secondsSinceLastEvent.map { String(format: "%.0f s ago", $0) } ?? "—")</td><td>\(row.resumes)</td><td>\(row.reconnects)</td></tr>"
        }
        return layout("Shards", session: nil, body: body + "</tbody></table></div>")
    }

    // MARK: - Formats

    static func duration(_ seconds: Double?) -> String {
        seconds.map { DurationText.describe($0, withSeconds: false) } ?? "—"
    }

    static func date(_ date: Date) -> String {
        UTCTimestamp.iso8601(date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }
}
