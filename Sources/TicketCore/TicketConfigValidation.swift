public import DiscordModels

/// One reason a configuration was refused, tied to the field so the dashboard can show it beside the input.
public struct TicketConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case staffRole = "staff_role"
        case parentCategory = "parent_category"
        case nameTemplate = "name_template"
        case logChannel = "log_channel"
        case maximumOpenTickets = "maximum_open_tickets"
        case openCooldown = "open_cooldown"
        case deleteDelay = "delete_delay"
        case staleAfter = "stale_after"
    }

    public var field: Field
    public var message: String

    public init(_ field: Field, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field.rawValue): \(message)" }
}

/// The refusal of a configuration change: every problem at once, so a form shows them all.
public struct TicketConfigValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [TicketConfigProblem]

    public init(problems: [TicketConfigProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

extension TicketConfig {
    /// Checks the configuration against the guild as Discord last reported it: the role, category and log
    /// channel must exist (and be of the right kind), the template must give a valid channel name, and the
    /// numbers must be in range.
    public func validate(in guild: GuildSnapshot) throws(TicketConfigValidationError) {
        var problems = referenceProblems(in: guild)
        if let message = TicketChannelName.problem(inTemplate: nameTemplate) {
            problems.append(TicketConfigProblem(.nameTemplate, message))
        }
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: TicketConfigProblem.Field, _ unit: String) {
            if !range.contains(value) {
                problems.append(
                    TicketConfigProblem(field, "must be between \(range.lowerBound) and \(range.upperBound) \(unit)"))
            }
        }
        check(maximumOpenTicketsPerUser, Self.openTicketLimitRange, .maximumOpenTickets, "tickets")
        check(openCooldownSeconds, Self.cooldownRange, .openCooldown, "seconds")
        check(deleteDelaySeconds, Self.deleteDelayRange, .deleteDelay, "seconds")
        check(staleAfterHours, Self.staleAfterRange, .staleAfter, "hours")
        if !problems.isEmpty { throw TicketConfigValidationError(problems: problems) }
    }

    /// Problems with the role and channels this configuration names; also used to report a role or channel
    /// deleted after it was configured.
    public func referenceProblems(in guild: GuildSnapshot) -> [TicketConfigProblem] {
        var problems: [TicketConfigProblem] = []
        if let staffRoleID {
            if guild.role(staffRoleID) == nil {
                problems.append(TicketConfigProblem(.staffRole, "the role no longer exists in this server"))
            } else if staffRoleID.rawValue == guild.id.rawValue {
                problems.append(TicketConfigProblem(.staffRole, "@everyone cannot be the support staff role"))
            }
        }
        if let parentCategoryID {
            let category = guild.channel(parentCategoryID)
            if category == nil {
                problems.append(TicketConfigProblem(.parentCategory, "the category no longer exists in this server"))
            } else if category?.type != UInt8(ChannelType.guildCategory.rawValue) {
                problems.append(TicketConfigProblem(.parentCategory, "the channel is not a category"))
            }
        }
        if let logChannelID {
            let channel = guild.channel(logChannelID)
            if channel == nil {
                problems.append(TicketConfigProblem(.logChannel, "the channel no longer exists in this server"))
            } else if channel?.type != UInt8(ChannelType.guildText.rawValue) {
                problems.append(TicketConfigProblem(.logChannel, "the log channel must be a text channel"))
            }
        }
        return problems
    }
}
