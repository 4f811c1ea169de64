public import DiscordModels

/// What the dashboard shows of a guild, copied out of the actor in one turn.
public struct GuildTicketsOverview: Sendable {
    public var guildID: GuildID
    /// Roles and channels as Discord reports them (for dropdowns and names); `nil` before GUILD_CREATE.
    public var discord: GuildSnapshot?
    public var tickets: GuildTickets
    public var configProblems: [TicketConfigProblem]
    /// The stored state cannot be read; tickets are paused for this guild.
    public var unreadableReason: String?

    public init(
        guildID: GuildID, discord: GuildSnapshot?, tickets: GuildTickets, configProblems: [TicketConfigProblem],
        unreadableReason: String?
    ) {
        self.guildID = guildID
        self.discord = discord
        self.tickets = tickets
        self.configProblems = configProblems
        self.unreadableReason = unreadableReason
    }
}
