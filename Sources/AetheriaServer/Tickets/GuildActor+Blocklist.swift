import DiscordModels
import Foundation
import TicketCore

/// `/ticket block` and `/ticket unblock`: staff of any type change the guild's blocklist from Discord. The
/// change is a new configuration saved exactly like the dashboard's (validated, stored, logged with a diff
/// naming who did it), so the two can never disagree.
extension GuildActor {
    func blocklistCommand(_ interaction: Interaction, _ command: StaffCommand) {
        guard let data = interaction.data, let member = interaction.member, let user = member.user else { return }
        guard tickets.isStaff(roles: member.roles, permissions: member.permissions, for: nil) else {
            return reply(to: interaction, TicketMessages.ephemeral("Only the support staff can change the blocklist."))
        }
        var targetIsStaff = false
        if case .blockMember(let target, _) = command, let resolved = data.resolved?.members?[target.description] {
            targetIsStaff = tickets.isStaff(roles: resolved.roles, permissions: resolved.permissions, for: nil)
        }
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
