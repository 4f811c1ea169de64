public import DiscordModels
public import Foundation

extension OpenWorkflow {
    /// The channel to ask Discord for, and what the staff and the member should know about it.
    public struct ChannelPlan: Sendable {
        public var request: CreateChannelRequest
        public var reason: String
        /// Lines added to the member's reply.
        public var notes: [String]
        public var problems: [OpeningProblem]
    }

    /// Private to the member, the staff role and the bot, under the configured category; a staff role or
    /// category that no longer exists is left out (the member is not blocked) and reported.
    public static func plan(for opening: Ticket, config: TicketConfig, context: Context) -> ChannelPlan {
        var staffRoleID = config.staffRoleID
        var notes: [String] = []
        var problems: [OpeningProblem] = []
        if let role = staffRoleID, let guild = context.guild, guild.role(role) == nil {
            staffRoleID = nil
            notes.append(
                "The support team role configured for this server no longer exists, so for now only administrators can see your ticket."
            )
            problems.append(
                OpeningProblem(
                    title: "Support staff role is missing",
                    detail:
                        "Ticket #\(opening.number) was created without it. Choose a new staff role on the dashboard.",
                    failureKind: "staff_role_missing"))
        }
        var parentID = config.parentCategoryID
        if let parent = parentID, let guild = context.guild, guild.channel(parent) == nil {
            parentID = nil
            problems.append(
                OpeningProblem(
                    title: "Ticket category is missing",
                    detail:
                        "Ticket #\(opening.number) was created at the top of the channel list. Choose a category on the dashboard.",
                    failureKind: "category_missing"))
        }
        let marker = TicketMarker(ticketNumber: opening.number, openerID: opening.openerID)
        let request = CreateChannelRequest(
            name: opening.channelName, topic: marker.topic(openerName: opening.openerName), parentID: parentID,
            permissionOverwrites: TicketPermissions.overwrites(
                guildID: context.guildID, openerID: opening.openerID, staffRoleID: staffRoleID, botID: context.botID))
        return ChannelPlan(
            request: request, reason: "Support ticket #\(opening.number) for \(opening.openerName)", notes: notes,
            problems: problems)
    }

    /// What a refused creation means: the member's answer, the staff's problem and the failure's kind.
    public struct Refusal: Sendable, Hashable {
        public var memberText: String
        public var detail: String
        public var failureKind: String?
    }

    public static func refusal(_ error: DiscordRESTError, openerID: UserID) -> Refusal {
        if error.fieldErrors.contains(where: { $0.code == "CHANNEL_PARENT_MAX_CHANNELS" }) {
            return Refusal(
                memberText:
                    "Sorry, the ticket category is full (Discord allows 50 channels per category). The staff have been told.",
                detail: "The ticket category is full (50 channels). Close old tickets or choose another category.",
                failureKind: "category_full")
        }
        if error.kind == .missingPermissions || error.kind == .missingAccess {
            return Refusal(
                memberText:
                    "Sorry, I'm missing the permission to create ticket channels here. The staff have been told.",
                detail:
                    "Aetheria lacks **Manage Channels** (or access to the ticket category) and could not create a ticket for <@\(openerID)>.",
                failureKind: nil)
        }
        if error.code == 30013 {
            return Refusal(
                memberText: "Sorry, this server has reached Discord's limit of 500 channels. The staff have been told.",
                detail: "The server has 500 channels; no ticket channel can be created.",
                failureKind: "guild_channels_full")
        }
        return Refusal(
            memberText: "Sorry, your ticket could not be created (\(error.message)). Please try again.",
            detail: "Creating a ticket for <@\(openerID)> failed: \(error.message)", failureKind: nil)
    }
}
