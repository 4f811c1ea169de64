public import DiscordModels
import Foundation

/// One reason a configuration was refused, tied to the field (and the type or panel it belongs to) so the
/// dashboard can show it beside the input.
public struct TicketConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case general
        case name
        case emoji
        case summary
        case staffRoles = "staff_roles"
        case categories
        case nameTemplate = "name_template"
        case welcomeText = "welcome_text"
        case maximumOpenTickets = "maximum_open"
        case openCooldown = "cooldown"
        case deleteDelay = "delete_delay"
        case staleAfter = "stale_after"
        case closeRequestTimeout = "close_request_timeout"
        case autoCloseAfterReminder = "auto_close_after"
        case questions
        case logChannel = "log_channel"
        case title
        case text
        case colour
        case imageURL = "image_url"
        case panelTypes = "panel_types"
        case blocklist
        case openingsLimit = "openings_limit"
    }

    /// What the field belongs to.
    public enum Scope: Sendable, Hashable {
        case guild
        case type(Int)
        case panel(Int)
    }

    public var field: Field
    public var scope: Scope
    public var message: String

    public init(_ field: Field, _ message: String, scope: Scope = .guild) {
        self.field = field
        self.scope = scope
        self.message = message
    }

    public var description: String {
        switch scope {
        case .guild: "\(field.rawValue): \(message)"
        case .type(let id): "type \(id) \(field.rawValue): \(message)"
        case .panel(let id): "panel \(id) \(field.rawValue): \(message)"
        }
    }
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
    /// Checks the configuration against the guild as Discord last reported it: roles, categories and log
    /// channels must exist (and be of the right kind), templates must give valid channel names, texts must fit
    /// Discord's limits and numbers must be in range.
    public func validate(in guild: GuildSnapshot) throws(TicketConfigValidationError) {
        var problems = referenceProblems(in: guild) + shapeProblems + access.problems(guildID: guild.id)
        for type in types { problems += type.shapeProblems }
        for panel in panels { problems += panel.shapeProblems(types: types) }
        if !problems.isEmpty { throw TicketConfigValidationError(problems: problems) }
    }

    /// Problems of the lists as a whole: counts, and names that must be unique.
    var shapeProblems: [TicketConfigProblem] {
        var problems: [TicketConfigProblem] = []
        if types.isEmpty { problems.append(TicketConfigProblem(.general, "a server needs at least one ticket type")) }
        if types.count > Self.maximumTypes {
            problems.append(TicketConfigProblem(.general, "at most \(Self.maximumTypes) ticket types"))
        }
        if panels.count > TicketPanel.maximumPanels {
            problems.append(TicketConfigProblem(.general, "at most \(TicketPanel.maximumPanels) panels"))
        }
        if Set(types.map(\.id)).count != types.count || Set(panels.map(\.id)).count != panels.count {
            problems.append(TicketConfigProblem(.general, "two types or panels share an ID"))
        }
        var names = Set<String>()
        for type in types where !names.insert(type.name.lowercased()).inserted {
            problems.append(TicketConfigProblem(.name, "another type already has this name", scope: .type(type.id)))
        }
        names = []
        for panel in panels where !names.insert(panel.name.lowercased()).inserted {
            problems.append(TicketConfigProblem(.name, "another panel already has this name", scope: .panel(panel.id)))
        }
        return problems
    }

    /// Problems with the roles and channels this configuration names; also used to report a role or channel
    /// deleted after it was configured.
    public func referenceProblems(in guild: GuildSnapshot) -> [TicketConfigProblem] {
        var problems: [TicketConfigProblem] = []
        for type in types {
            for roleID in type.staffRoleIDs {
                if guild.role(roleID) == nil {
                    problems.append(
                        TicketConfigProblem(
                            .staffRoles, "a staff role (\(roleID)) no longer exists in this server",
                            scope: .type(type.id))
                    )
                } else if roleID.rawValue == guild.id.rawValue {
                    problems.append(
                        TicketConfigProblem(
                            .staffRoles, "@everyone cannot be a support staff role", scope: .type(type.id)))
                }
            }
            for categoryID in type.categoryIDs {
                guard let category = guild.channel(categoryID) else {
                    problems.append(
                        TicketConfigProblem(
                            .categories, "a category (\(categoryID)) no longer exists in this server",
                            scope: .type(type.id)))
                    continue
                }
                if category.type != UInt8(ChannelType.guildCategory.rawValue) {
                    problems.append(
                        TicketConfigProblem(
                            .categories, "#\(guild.name(of: category)) is not a category", scope: .type(type.id)))
                }
            }
        }
        for kind in LogRouting.Kind.allCases {
            guard let channelID = logRouting[kind] else { continue }
            let channel = guild.channel(channelID)
            if channel == nil {
                problems.append(
                    TicketConfigProblem(.logChannel, "\(kind.title): the channel no longer exists in this server"))
            } else if channel?.type != UInt8(ChannelType.guildText.rawValue) {
                problems.append(TicketConfigProblem(.logChannel, "\(kind.title): a log channel must be a text channel"))
            }
        }
        return problems
    }
}

extension TicketType {
    /// What is wrong with this type on its own (lengths, counts, ranges, the template, the questions).
    var shapeProblems: [TicketConfigProblem] {
        var problems: [TicketConfigProblem] = []
        func fail(_ field: TicketConfigProblem.Field, _ message: String) {
            problems.append(TicketConfigProblem(field, message, scope: .type(id)))
        }
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: TicketConfigProblem.Field, _ unit: String) {
            if !range.contains(value) {
                fail(field, "must be between \(range.lowerBound) and \(range.upperBound) \(unit)")
            }
        }
        if !Self.idRange.contains(id) { fail(.general, "the type's ID is out of range") }
        if !Self.nameLength.contains(name.trimmingCharacters(in: .whitespaces).count) {
            fail(.name, "must be 1 to \(Self.nameLength.upperBound) characters")
        }
        if let emoji, emoji.count != 1 || !emoji.unicodeScalars.contains(where: \.properties.isEmoji) {
            fail(.emoji, "must be a single emoji, or empty")
        }
        if !Self.summaryLength.contains(summary.count) {
            fail(.summary, "at most \(Self.summaryLength.upperBound) characters")
        }
        if let welcomeText, !Self.welcomeLength.contains(welcomeText.count) {
            fail(.welcomeText, "at most \(Self.welcomeLength.upperBound) characters")
        }
        if staffRoleIDs.count > Self.maximumStaffRoles { fail(.staffRoles, "at most \(Self.maximumStaffRoles) roles") }
        if Set(staffRoleIDs).count != staffRoleIDs.count { fail(.staffRoles, "a role is listed twice") }
        if categoryIDs.count > Self.maximumCategories {
            fail(.categories, "at most \(Self.maximumCategories) categories")
        }
        if Set(categoryIDs).count != categoryIDs.count { fail(.categories, "a category is listed twice") }
        if let message = TicketChannelName.problem(inTemplate: nameTemplate) { fail(.nameTemplate, message) }
        check(maximumOpenTicketsPerUser, Self.openTicketLimitRange, .maximumOpenTickets, "tickets")
        check(openCooldownSeconds, Self.cooldownRange, .openCooldown, "seconds")
        check(deleteDelaySeconds, Self.deleteDelayRange, .deleteDelay, "seconds")
        check(staleAfterHours, Self.staleAfterRange, .staleAfter, "hours")
        check(closeRequestTimeoutHours, Self.closeRequestTimeoutRange, .closeRequestTimeout, "hours")
        check(autoCloseAfterReminderHours, Self.autoCloseAfterReminderRange, .autoCloseAfterReminder, "hours")
        if questions.count > Self.maximumQuestions { fail(.questions, "at most \(Self.maximumQuestions) questions") }
        for (index, question) in questions.enumerated() {
            if let problem = question.problem { fail(.questions, "question \(index + 1): \(problem)") }
        }
        return problems
    }
}

extension TicketQuestion {
    /// Why Discord would refuse this question as a text input, or `nil`.
    var problem: String? {
        if !Self.labelLength.contains(label.trimmingCharacters(in: .whitespaces).count) {
            return "the question must be 1 to \(Self.labelLength.upperBound) characters"
        }
        if let placeholder, !Self.placeholderLength.contains(placeholder.count) {
            return "the placeholder must be at most \(Self.placeholderLength.upperBound) characters"
        }
        guard Self.minimumLengthRange.contains(minimumLength), Self.maximumLengthRange.contains(maximumLength) else {
            return "lengths must be between 0 and 4000"
        }
        if minimumLength > maximumLength { return "the minimum length is above the maximum" }
        return nil
    }
}

extension TicketPanel {
    func shapeProblems(types: [TicketType]) -> [TicketConfigProblem] {
        var problems: [TicketConfigProblem] = []
        func fail(_ field: TicketConfigProblem.Field, _ message: String) {
            problems.append(TicketConfigProblem(field, message, scope: .panel(id)))
        }
        if !TicketType.idRange.contains(id) { fail(.general, "the panel's ID is out of range") }
        if !Self.nameLength.contains(name.trimmingCharacters(in: .whitespaces).count) {
            fail(.name, "must be 1 to \(Self.nameLength.upperBound) characters")
        }
        if !Self.titleLength.contains(title.trimmingCharacters(in: .whitespaces).count) {
            fail(.title, "must be 1 to \(Self.titleLength.upperBound) characters")
        }
        if !Self.textLength.contains(text.count) { fail(.text, "at most \(Self.textLength.upperBound) characters") }
        if !Self.colourRange.contains(colour) { fail(.colour, "must be a colour like #5865F2") }
        if let imageURL, let problem = Self.imageURLProblem(imageURL) { fail(.imageURL, problem) }
        if typeIDs.isEmpty { fail(.panelTypes, "choose at least one ticket type") }
        if typeIDs.count > Self.maximumTypes { fail(.panelTypes, "at most \(Self.maximumTypes) types") }
        if Set(typeIDs).count != typeIDs.count { fail(.panelTypes, "a type is listed twice") }
        let known = Set(types.map(\.id))
        if typeIDs.contains(where: { !known.contains($0) }) { fail(.panelTypes, "a listed type no longer exists") }
        return problems
    }

    /// An image URL Discord will show: `https://`, a host, no spaces, at most 2,048 characters.
    public static func imageURLProblem(_ text: String) -> String? {
        guard Self.imageURLLength.contains(text.count), let url = URL(string: text), url.scheme == "https",
            let host = url.host(), !host.isEmpty, !text.contains(where: \.isWhitespace)
        else { return "must be an https:// address of an image" }
        return nil
    }
}
