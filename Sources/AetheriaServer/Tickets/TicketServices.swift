public import DiscordModels
public import DiscordREST
public import Foundation
public import Logging
public import TicketCore
public import Transcripts

/// What every guild actor shares: the bot's identity, Discord's REST API, the stores, the renderer and the
/// clock. One object, built by the composition root and referenced (not copied) by tens of thousands of guild
/// actors: each holds only a pointer to it.
public final class TicketServices: Sendable {
    /// Discord, through the `DiscordActions` port (REST in production, a fake in unit tests).
    public let discordAPI: any DiscordActions
    public let guildStore: any GuildStore
    public let transcriptStore: any TranscriptStore
    public let renderer: TranscriptRenderer
    public let botUserID: UserID
    public let applicationID: ApplicationID
    /// The fencing token this process holds for a guild's shard (1 when one process owns every shard).
    public let fencingToken: @Sendable (GuildID) -> UInt64
    public let now: @Sendable () -> Date
    /// The dashboard's public address, for transcript links in the audit log.
    public let dashboardURL: URL?
    /// How long activity timestamps may wait before they are written (lifecycle changes are written at once).
    public let activityFlushDelay: Duration
    /// How long an opening interrupted by a crash waits before its channel is made again: the dead process's
    /// request may still be served meanwhile (any duplicate that slips through is deleted on sight).
    public let interruptedOpeningGrace: Duration = .seconds(5)
    /// The backoff of every unfinished workflow (`RetrySchedule`).
    public let retrySchedule: RetrySchedule
    /// When this process began serving: work recorded before it (a delivery queued by a process that was
    /// killed) may have reached Discord already, so it is looked for before it is done again.
    public let startedAt: Date
    public let logger: Logger
    public let metrics: TicketMetrics
    /// Fetches a closing ticket's files from Discord's CDN for its transcript.
    public let attachments: AttachmentFetcher
    /// Frames that loading guilds hold, for the whole process (256 MiB).
    let pendingEventBudget = PendingEventBudget(limitBytes: 256 << 20)

    public init(
        discordAPI: any DiscordActions, guildStore: any GuildStore, transcriptStore: any TranscriptStore,
        botUserID: UserID, applicationID: ApplicationID,
        fencingToken: @escaping @Sendable (GuildID) -> UInt64 = { _ in 1 },
        now: @escaping @Sendable () -> Date = { Date() }, dashboardURL: URL? = nil,
        activityFlushDelay: Duration = .seconds(5), attachments: AttachmentFetcher = AttachmentFetcher(),
        retrySchedule: RetrySchedule = RetrySchedule(), logger: Logger
    ) {
        self.retrySchedule = retrySchedule
        self.startedAt = now()
        self.discordAPI = discordAPI
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
        self.attachments = attachments
    }

    func transcriptURL(guildID: GuildID, number: Int) -> URL? {
        dashboardURL?.appendingPathComponent("guilds/\(guildID)/transcripts/\(number)")
    }
}
