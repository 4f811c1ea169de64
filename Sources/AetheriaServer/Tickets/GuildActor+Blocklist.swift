import DiscordModels
import Foundation
import TicketCore

/// `/ticket block` and `/ticket unblock`: staff of any type change the guild's blocklist from Discord. The
/// change is a new configuration saved exactly like the dashboard's (validated, stored, logged with a diff
/// naming who did it), so the two can never disagree.
extension GuildActor {
    func blocklistCommand(_ interaction: Interaction, _ command: StaffCommand) {
        guard interaction.data != nil, let member = interaction.member, member.user != nil else { return }
        guard tickets.isStaff(roles: member.roles, permissions: member.permissions, for: nil) else {
            return reply(to: interaction, TicketMessages.ephemeral("Only the support staff can change the blocklist."))
        }
        // Staff cannot be blocked: judged from the bot's own view of the member, never the interaction's
        // `resolved` data; when Discord cannot say, nothing is changed.
        if case .blockMember(let target, _) = command {
            Task {
                let view = await self.memberView(of: target)
                guard let targetIsStaff = self.isStaff(view, for: nil) else {
                    return self.reply(to: interaction, TicketMessages.ephemeral(Self.memberUnknown))
                }
                self.changeBlocklist(interaction, command, targetIsStaff: targetIsStaff)
            }
            return
        }
        changeBlocklist(interaction, command, targetIsStaff: false)
    }

    private func changeBlocklist(_ interaction: Interaction, _ command: StaffCommand, targetIsStaff: Bool) {
        guard let user = interaction.member?.user else { return }
        // Everyone the interaction names was remembered on arrival (`interactionReceived`).
        switch tickets.config.changingBlocklist(
            command, by: user.id, targetIsStaff: targetIsStaff, guildID: guildID,
            names: capturedPeople.mapValues(\.name), now: services.now())
        {
        case nil:
            return
        case .refused(let why)?:
            services.metrics.failure("staff_action_refused")
            reply(to: interaction, TicketMessages.ephemeral(why))
        case .changed(let config, let entry, let blocked)?:
            let reply = (interaction.token, acknowledge(interaction, ephemeral: true))
            Task {
                let answer: String
                do {
                    _ = try await self.updateConfig(config, by: user.id)
                    self.services.metrics.staffAction(blocked ? "block" : "unblock")
                    answer =
                        blocked
                        ? "🚫 \(entry.mention) can no longer open tickets here. The moderation log has it; the dashboard's settings page lists the blocklist."
                        : "✅ \(entry.mention) can open tickets again."
                } catch let error as TicketConfigValidationError {
                    answer = "Not changed: \(error.description)"
                } catch {
                    self.logger.error("blocklist change not saved: \(error)")
                    answer = "Storage is unavailable, so nothing was changed. Try again."
                }
                await self.finishReply(reply, TicketMessages.ephemeral(answer))
            }
        }
    }
}
