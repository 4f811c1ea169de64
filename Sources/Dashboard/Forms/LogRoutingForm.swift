import DiscordModels
import Foundation
package import TicketCore

/// The moderation-log form: one channel (or none) per kind of event.
package struct LogRoutingForm: Decodable, Sendable {
    package var created: String?
    package var closed: String?
    package var deleted: String?
    package var staffActions: String?
    package var configuration: String?
    package var problems: String?
    package var transcripts: String?

    /// The inputs are named `log_<kind>` (`DashboardPages.config`).
    enum CodingKeys: String, CodingKey {
        case created = "log_created"
        case closed = "log_closed"
        case deleted = "log_deleted"
        case staffActions = "log_staff_actions"
        case configuration = "log_configuration"
        case problems = "log_problems"
        case transcripts = "log_transcripts"
    }

    static func inputName(_ kind: LogRouting.Kind) -> String { "log_\(kind.rawValue)" }

    package func applied(to current: TicketConfig) -> (config: TicketConfig, problems: [TicketConfigProblem]) {
        var config = current
        var reader = FormFieldReader(scope: .guild)
        for kind in LogRouting.Kind.allCases {
            let value: String? =
                switch kind {
                case .created: created
                case .closed: closed
                case .deleted: deleted
                case .staffActions: staffActions
                case .configuration: configuration
                case .problems: problems
                case .transcripts: transcripts
                }
            config.logRouting[kind] = reader.id(value, .logChannel).map { ChannelID($0) }
        }
        return (config, reader.problems)
    }
}
