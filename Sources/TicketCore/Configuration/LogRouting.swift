public import DiscordModels

/// Which moderation-log channel each kind of ticket event goes to (or none), so a large server can keep, say,
/// openings in #ticket-log and configuration changes in #admin-log.
public struct LogRouting: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case created
        case closed
        case deleted
        /// Claims, transfers, panel posts and other staff actions.
        case staffActions = "staff_actions"
        case configuration
        /// What an admin must fix: missing roles, permissions, full categories.
        case problems
        /// Each closed ticket's transcript as an HTML file (and members' ratings of their tickets).
        case transcripts

        public var title: String {
            switch self {
            case .created: "Tickets opened"
            case .closed: "Tickets closed"
            case .deleted: "Ticket channels deleted"
            case .staffActions: "Staff actions"
            case .configuration: "Configuration changes"
            case .problems: "Problems"
            case .transcripts: "Transcripts (HTML files) and ratings"
            }
        }
    }

    /// Keyed by `Kind.rawValue` (a JSON object in snapshots); unknown keys from a newer Aetheria are ignored.
    private var channels: [String: ChannelID]

    public init() {
        channels = [:]
    }

    /// Every kind to one channel (how the single "log channel" of older configurations is read).
    public static func everything(to channelID: ChannelID?) -> LogRouting {
        var routing = LogRouting()
        for kind in Kind.allCases where kind != .transcripts { routing[kind] = channelID }
        return routing
    }

    public subscript(kind: Kind) -> ChannelID? {
        get { channels[kind.rawValue] }
        set { channels[kind.rawValue] = newValue }
    }

    /// The distinct channels in use.
    public var allChannels: [ChannelID] {
        var seen = Set<ChannelID>()
        return Kind.allCases.compactMap { self[$0] }.filter { seen.insert($0).inserted }
    }
}
