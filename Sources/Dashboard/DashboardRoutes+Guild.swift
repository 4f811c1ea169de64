import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import TicketCore

/// A guild's pages behind `GuildAccessMiddleware`: analytics, charts with live updates, and the
/// configuration form (administrators only).
extension DashboardRoutes {
    @Sendable func analytics(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        let medians = grant.visible(await medianCache.medians(of: grant.unrestricted, store: backend.transcripts))
        let ratings = grant.visible(try? await backend.transcripts.ratingSummary(guildID: grant.guildID))
        return DashboardResponse.html(
            DashboardPages.analytics(
                grant.overview, access: grant.access, types: grant.visibleTypes, medians: medians, ratings: ratings,
                session: grant.session, today: today))
    }

    @Sendable func charts(_ request: Request, context: Context) async throws -> Response {
        DashboardResponse.html(DashboardPages.charts(try context.requireGuild().overview, today: today))
    }

    /// Server-sent events: the guild's counters whenever they change (checked every second). A comment line
    /// every 15 s notices a browser that went away (the write fails) and keeps proxies from closing the
    /// stream; the stream ends on shutdown, and after 10 minutes anyway (the browser's EventSource reconnects
    /// by itself), so no stream outlives its reader or holds a graceful shutdown open.
    @Sendable func events(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        let guildID = grant.guildID
        let backend = self.backend
        let medianCache = self.medianCache
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                var last = ""
                let started = ContinuousClock.now
                var lastWrite = started
                while !Task.isCancelled, !Task.isShuttingDownGracefully, ContinuousClock.now - started < .seconds(600) {
                    if let overview = await backend.overview(of: guildID) {
                        // The stream shows what the page shows: this user's view of the guild, every second.
                        let medians = grant.visible(await medianCache.medians(of: overview, store: backend.transcripts))
                        var visible = overview
                        visible.tickets = overview.tickets.restricted(to: grant.viewer)
                        let payload = LiveCounters(visible, medians: medians).json
                        if payload != last {
                            try await writer.write(ByteBuffer(string: "data: \(payload)\n\n"))
                            last = payload
                            lastWrite = .now
                        }
                    }
                    if ContinuousClock.now - lastWrite >= .seconds(15) {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        lastWrite = .now
                    }
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
                }
                try await writer.finish(nil)
            })
    }
}

/// One live update of the charts page: the counters `live.js` writes into the tiles.
struct LiveCounters: Encodable {
    var active: Int
    var opened: Int
    var closed: Int
    var average: String
    var median: String
    var response: String

    init(_ overview: GuildTicketsOverview, medians: ResolutionMedians?) {
        let analytics = overview.tickets.analytics
        active = overview.tickets.openTicketCount
        opened = analytics.opened
        closed = analytics.closed
        average = DashboardPages.duration(analytics.averageResolutionSeconds)
        median = DashboardPages.median(medians, \.guild, estimate: analytics.medianResolutionSeconds)
        response = DashboardPages.duration(analytics.averageFirstResponseSeconds)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
