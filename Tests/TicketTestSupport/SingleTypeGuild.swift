public import DiscordModels
public import Foundation
public import TicketCore

/// Most rules are about one ticket type; these helpers set up a guild with one type the way guilds were
/// configured before types existed, so those tests read as before.
extension TicketConfig {
    public init(
        staffRoleID: RoleID? = nil, parentCategoryID: ChannelID? = nil,
        nameTemplate: String = TicketType.defaultNameTemplate, logChannelID: ChannelID? = nil,
        maximumOpenTicketsPerUser: Int = 1, openCooldownSeconds: Int = 0,
        closePolicy: TicketType.ClosePolicy = .openerAndStaff, deleteDelaySeconds: Int = 10, staleAfterHours: Int = 48
    ) {
        self.init(
            types: [
                TicketType(
                    staffRoleIDs: staffRoleID.map { [$0] } ?? [], categoryIDs: parentCategoryID.map { [$0] } ?? [],
                    nameTemplate: nameTemplate, maximumOpenTicketsPerUser: maximumOpenTicketsPerUser,
                    openCooldownSeconds: openCooldownSeconds, closePolicy: closePolicy,
                    deleteDelaySeconds: deleteDelaySeconds, staleAfterHours: staleAfterHours)
            ],
            logRouting: .everything(to: logChannelID))
    }
}

extension GuildTickets {
    /// Opens a ticket of the guild's first type.
    public mutating func requestOpen(
        openerID: UserID, openerName: String, interaction: Ticket.OpeningInteraction?, now: Date
    ) -> OpenDecision {
        requestOpen(
            type: config.defaultType, openerID: openerID, openerName: openerName, interaction: interaction, now: now)
    }
}
