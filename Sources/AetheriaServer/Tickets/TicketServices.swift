public import DiscordModels
public import DiscordREST
public import Foundation
public import Logging
public import TicketCore
public import Transcripts

/// What every guild actor shares: the bot's identity, Discord's REST API, the stores, the renderer and the
/// clock. One value, built by the composition root.
public struct TicketServices: Sendable {
    public var rest: DiscordRESTClient
    public var guildStore: any GuildStore
    public var transcriptStore: any TranscriptStore
    public var renderer: TranscriptRenderer
    public var botUserID: UserID
    public var applicationID: ApplicationID
    /// The fencing token this process holds for a guild's shard (1 when one process owns every shard).
    public var fencingToken: @Sendable (GuildID) -> UInt64
    public var now: @Sendable () -> Date
    /// The dashboard's public address, for transcript links in the audit log.
    public var dashboardURL: URL?
    /// How long activity timestamps may wait before they are written (lifecycle changes are written at once).
    public var activityFlushDelay: Duration
    /// How long an opening interrupted by a crash waits before its channel is made again: the dead process's
    /// request may still be served meanwhile (any duplicate that slips through is deleted on sight).
    public var interruptedOpeningGrace: Duration = .seconds(5)
    public var logger: Logger
    public let metrics: TicketMetrics

    public init(
        rest: DiscordRESTClient, guildStore: any GuildStore, transcriptStore: any TranscriptStore,
        botUserID: UserID, applicationID: ApplicationID,
        fencingToken: @escaping @Sendable (GuildID) -> UInt64 = { _ in 1 },
        now: @escaping @Sendable () -> Date = { Date() }, dashboardURL: URL? = nil,
        activityFlushDelay: Duration = .seconds(5), logger: Logger
    ) {
        self.rest = rest
        self.guildStore = guildStore
        self.transcriptStore = transcriptStore
        self.renderer = TranscriptRenderer()
        self.botUserID = botUserID
        self.applicationID = applicationID
        self.fencingToken = fencingToken
        self.now = now
        self.dashboardURL = dashboardURL
        self.activityFlushDelay = activityFlushDelay
        self.logger = logger
        self.metrics = TicketMetrics()
    }

    func transcriptURL(guildID: GuildID, number: Int) -> URL? {
        dashboardURL?.appendingPathComponent("guilds/\(guildID)/transcripts/\(number)")
    }
}
