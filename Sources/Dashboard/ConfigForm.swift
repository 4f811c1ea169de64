import DiscordModels
import Foundation
package import TicketCore

/// The configuration form as the browser posts it (`application/x-www-form-urlencoded`, decoded by
/// Hummingbird's form decoder). Every field is optional text: what is missing or malformed becomes a problem
/// shown beside its field, never a refusal of the whole page.
package struct ConfigForm: Decodable, Sendable {
    package var staffRole: String?
    package var parentCategory: String?
    package var logChannel: String?
    package var nameTemplate: String?
    package var maximumOpen: String?
    package var cooldown: String?
    package var deleteDelay: String?
    package var staleAfter: String?
    package var closePolicy: String?

    /// The names of the form's inputs (`DashboardPages.config`).
    enum CodingKeys: String, CodingKey {
        case staffRole = "staff_role"
        case parentCategory = "parent_category"
        case logChannel = "log_channel"
        case nameTemplate = "name_template"
        case maximumOpen = "maximum_open"
        case cooldown
        case deleteDelay = "delete_delay"
        case staleAfter = "stale_after"
        case closePolicy = "close_policy"
    }

    /// The guild's configuration with this form applied, and what is wrong with the form itself (range and
    /// reference checks are the validator's, when the change is saved).
    package func applied(to current: TicketConfig) -> (config: TicketConfig, problems: [TicketConfigProblem]) {
        var config = current
        var problems: [TicketConfigProblem] = []
        func id(_ text: String?, _ field: TicketConfigProblem.Field) -> UInt64? {
            let text = text?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !text.isEmpty else { return nil }
            guard let value = UInt64(text) else {
                problems.append(TicketConfigProblem(field, "choose one from the list"))
                return nil
            }
            return value
        }
        func number(_ text: String?, _ field: TicketConfigProblem.Field) -> Int? {
            guard let text, let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                problems.append(TicketConfigProblem(field, "must be a whole number"))
                return nil
            }
            return value
        }
        config.staffRoleID = id(staffRole, .staffRole).map { RoleID($0) }
        config.parentCategoryID = id(parentCategory, .parentCategory).map { ChannelID($0) }
        config.logChannelID = id(logChannel, .logChannel).map { ChannelID($0) }
        config.nameTemplate = nameTemplate ?? config.nameTemplate
        config.maximumOpenTicketsPerUser =
            number(maximumOpen, .maximumOpenTickets) ?? config.maximumOpenTicketsPerUser
        config.openCooldownSeconds = number(cooldown, .openCooldown) ?? config.openCooldownSeconds
        config.deleteDelaySeconds = number(deleteDelay, .deleteDelay) ?? config.deleteDelaySeconds
        config.staleAfterHours = number(staleAfter, .staleAfter) ?? config.staleAfterHours
        config.closePolicy = closePolicy.flatMap(TicketConfig.ClosePolicy.init(rawValue:)) ?? config.closePolicy
        return (config, problems)
    }
}
