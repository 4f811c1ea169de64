import DiscordModels
import Foundation
package import TicketCore

/// A ticket type's form as the browser posts it. Every field is optional text: what is missing or malformed
/// becomes a problem shown beside its field, never a refusal of the whole page. Categories are five ordered
/// dropdowns (the first is used until full, then the next); questions are five rows of inputs.
package struct TicketTypeForm: Decodable, Sendable {
    package var name: String?
    package var emoji: String?
    package var summary: String?
    package var staffRoles: [String]?
    package var categories: [String]?
    package var nameTemplate: String?
    package var welcomeText: String?
    package var maximumOpen: String?
    package var cooldown: String?
    package var deleteDelay: String?
    package var staleAfter: String?
    package var closePolicy: String?
    package var claimMode: String?
    package var closeReasonPrompt: String?
    package var closeRequestTimeout: String?
    package var autoCloseAfter: String?
    /// Checkboxes: present ("on") when ticked.
    package var dmTranscript: String?
    package var askFeedback: String?
    package var whenOpenerLeaves: String?
    package var questionLabels: [String]?
    package var questionStyles: [String]?
    package var questionRequired: [String]?
    package var questionMinimums: [String]?
    package var questionMaximums: [String]?
    package var questionPlaceholders: [String]?

    /// The names of the form's inputs (`DashboardPages.typeForm`); lists are posted as `name[]`.
    enum CodingKeys: String, CodingKey {
        case name, emoji, summary
        case staffRoles = "staff_roles"
        case categories
        case nameTemplate = "name_template"
        case welcomeText = "welcome_text"
        case maximumOpen = "maximum_open"
        case cooldown
        case deleteDelay = "delete_delay"
        case staleAfter = "stale_after"
        case closePolicy = "close_policy"
        case claimMode = "claim_mode"
        case closeReasonPrompt = "close_reason"
        case closeRequestTimeout = "close_request_timeout"
        case autoCloseAfter = "auto_close_after"
        case dmTranscript = "dm_transcript"
        case askFeedback = "ask_feedback"
        case whenOpenerLeaves = "when_opener_leaves"
        case questionLabels = "question_label"
        case questionStyles = "question_style"
        case questionRequired = "question_required"
        case questionMinimums = "question_min"
        case questionMaximums = "question_max"
        case questionPlaceholders = "question_placeholder"
    }

    /// `type` with this form applied, and what is wrong with the form itself.
    package func applied(to type: TicketType) -> (type: TicketType, problems: [TicketConfigProblem]) {
        var type = type
        var reader = FormFieldReader(scope: .type(type.id))
        type.name = FormFieldReader.text(name) ?? ""
        type.emoji = FormFieldReader.text(emoji)
        type.summary = FormFieldReader.text(summary) ?? ""
        type.staffRoleIDs = (staffRoles ?? []).prefix(50).compactMap { reader.id($0, .staffRoles).map { RoleID($0) } }
        type.categoryIDs = (categories ?? []).prefix(10).compactMap {
            reader.id($0, .categories).map { ChannelID($0) }
        }
        type.nameTemplate = nameTemplate ?? type.nameTemplate
        type.welcomeText = FormFieldReader.text(welcomeText)
        type.maximumOpenTicketsPerUser = reader.number(
            maximumOpen, .maximumOpenTickets, current: type.maximumOpenTicketsPerUser)
        type.openCooldownSeconds = reader.number(cooldown, .openCooldown, current: type.openCooldownSeconds)
        type.deleteDelaySeconds = reader.number(deleteDelay, .deleteDelay, current: type.deleteDelaySeconds)
        type.staleAfterHours = reader.number(staleAfter, .staleAfter, current: type.staleAfterHours)
        type.closePolicy = closePolicy.flatMap(TicketType.ClosePolicy.init(rawValue:)) ?? type.closePolicy
        type.claimMode = claimMode.flatMap(TicketType.ClaimMode.init(rawValue:)) ?? type.claimMode
        type.closeReasonPrompt =
            closeReasonPrompt.flatMap(TicketType.CloseReasonPrompt.init(rawValue:)) ?? type.closeReasonPrompt
        type.closeRequestTimeoutHours = reader.number(
            closeRequestTimeout, .closeRequestTimeout, current: type.closeRequestTimeoutHours)
        type.sendsTranscriptToOpener = dmTranscript != nil
        type.asksForFeedback = askFeedback != nil
        type.whenOpenerLeaves =
            whenOpenerLeaves.flatMap(TicketType.OpenerLeftAction.init(rawValue:)) ?? type.whenOpenerLeaves
        type.autoCloseAfterReminderHours = reader.number(
            autoCloseAfter, .autoCloseAfterReminder, current: type.autoCloseAfterReminderHours)
        type.questions = questions(&reader)
        return (type, reader.problems)
    }

    /// The question rows whose label is filled in, in order.
    private func questions(_ reader: inout FormFieldReader) -> [TicketQuestion] {
        let labels = (questionLabels ?? []).prefix(TicketType.maximumQuestions)
        func value(_ list: [String]?, _ index: Int) -> String? {
            guard let list, list.indices.contains(index) else { return nil }
            return list[index]
        }
        var result: [TicketQuestion] = []
        for (index, label) in labels.enumerated() {
            guard let label = FormFieldReader.text(label) else { continue }
            let required = (questionRequired ?? []).contains(String(index))
            result.append(
                TicketQuestion(
                    label: label, placeholder: FormFieldReader.text(value(questionPlaceholders, index)),
                    style: value(questionStyles, index).flatMap(TicketQuestion.Style.init(rawValue:)) ?? .short,
                    required: required,
                    minimumLength: reader.number(value(questionMinimums, index) ?? "0", .questions, current: 0),
                    maximumLength: reader.number(value(questionMaximums, index) ?? "1000", .questions, current: 1_000)))
        }
        return result
    }
}
