public import DiscordModels
import Foundation

/// The modal a ticket type's questions are asked in, and the reading of its answers.
public enum TicketQuestionForm {
    /// A modal of the type's questions, one text input per row (Discord allows five rows).
    public static func modal(for type: TicketType) -> InteractionResponse.Modal {
        let title = "Open a ticket: \(type.name)"
        return InteractionResponse.Modal(
            customId: TicketComponentID.form(typeID: type.id).customID,
            title: title.count > 45 ? String(title.prefix(44)) + "…" : title,
            components: type.questions.prefix(TicketType.maximumQuestions).enumerated().map { index, question in
                .actionRow([
                    .textInput(
                        customId: inputID(index), label: question.label, paragraph: question.style == .paragraph,
                        placeholder: question.placeholder.flatMap { $0.isEmpty ? nil : $0 },
                        minLength: question.minimumLength > 0 ? question.minimumLength : nil,
                        maxLength: question.maximumLength, required: question.required)
                ])
            })
    }

    /// Why the submitted answers do not fit the questions (in words for the member).
    public struct AnswerProblem: Error, Sendable, Hashable {
        public var message: String
    }

    /// The answers of a submitted modal, in question order, checked against the type's questions as they are
    /// now (an admin may have changed them while the modal was open). The submission is outside input: only
    /// inputs named `q0`…`q4` are read, and answers are bounded by the question's limits.
    public static func answers(
        from components: [Component], for type: TicketType
    ) -> Result<[TicketAnswer], AnswerProblem> {
        var submitted: [String: String] = [:]
        for input in components.flatMap(\.flattened) where input.type == .textInput {
            guard let id = input.customId, submitted.count < TicketType.maximumQuestions else { continue }
            submitted[id] = input.value
        }
        var answers: [TicketAnswer] = []
        for (index, question) in type.questions.prefix(TicketType.maximumQuestions).enumerated() {
            let answer = (submitted[inputID(index)] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if answer.isEmpty {
                if question.required {
                    return .failure(AnswerProblem(message: "Please answer “\(question.label)”."))
                }
                continue
            }
            guard answer.count >= question.minimumLength else {
                return .failure(
                    AnswerProblem(
                        message:
                            "Your answer to “\(question.label)” needs at least \(question.minimumLength) characters."
                    ))
            }
            answers.append(
                TicketAnswer(question: question.label, answer: String(answer.prefix(question.maximumLength))))
        }
        return .success(answers)
    }

    static func inputID(_ index: Int) -> String { "q\(index)" }
}
