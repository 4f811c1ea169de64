import DiscordModels
import DiscordREST
import Foundation
import TicketCore

/// Before a ticket opens: which type the member chose (a panel's button or select menu), and the type's
/// questions, asked in a modal whose submission then opens the ticket.
extension GuildActor {
    /// A member chose `type` on a panel that offers it (`GuildTickets.typeOffered`).
    func openRequested(_ interaction: Interaction, type: TicketType) {
        guard let member = interaction.member, let user = member.user else { return }
        guard !type.questions.isEmpty else {
            openTicket(interaction, type: type, answers: nil)
            return
        }
        // Refusals that do not depend on the answers come before the form, not after the member filled it in.
        if let refusal = tickets.openRefusal(
            type: type, openerID: user.id, openerRoles: member.roles, now: services.now())
        {
            return refuseOpening(interaction, refusal)
        }
        if let refusal = pausedRefusal() {
            reply(to: interaction, TicketMessages.ephemeral(refusal))
            return
        }
        let discordAPI = self.discordAPI
        let modal = TicketQuestionForm.modal(for: type)
        Task {
            do {
                try await discordAPI.createInteractionResponse(interaction.id, token: interaction.token, .modal(modal))
                self.services.metrics.formShown()
            } catch {
                logger.warning("could not show the questions of \(type.name): \(error)")
                self.recordFailure(error)
            }
        }
    }

    /// The questions modal came back: its answers are checked against the type's questions as they are now,
    /// then the ticket opens exactly as from a button (the modal submission is the interaction answered).
    func formSubmitted(_ interaction: Interaction, typeID: Int) {
        guard let type = tickets.config.existingType(typeID) else {
            reply(to: interaction, TicketMessages.ephemeral(TicketMessages.typeRemoved))
            return
        }
        switch TicketQuestionForm.answers(from: interaction.data?.components ?? [], for: type) {
        case .success(let answers):
            openTicket(interaction, type: type, answers: answers.isEmpty ? nil : answers)
        case .failure(let problem):
            reply(to: interaction, TicketMessages.ephemeral(problem.message))
        }
    }

    /// Why opening is paused right now, in the member's words, or `nil`.
    func pausedRefusal() -> String? {
        guard pause.isPaused(now: services.now()) else { return nil }
        return
            "Opening tickets is paused in this server for a few minutes: Aetheria is missing **\(pause.reason ?? "a permission")**. The staff have been told."
    }
}
