public import DiscordModels
public import Foundation

extension OpenWorkflow {
    /// The channel to ask Discord for, and what the staff and the member should know about it.
    public struct ChannelPlan: Sendable {
        public var request: CreateChannelRequest
        /// The categories to try next, in order, when Discord says the request's category is full.
        public var overflowCategories: [ChannelID]
        public var reason: String
        /// Lines added to the member's reply.
        public var notes: [String]
        public var problems: [OpeningProblem]
    }

    /// Private to the member, the type's staff roles and the bot, under the first of the type's categories
    /// that exists and is not full (by the guild as last reported; Discord's refusal moves on to the next one).
    /// A staff role or category that no longer exists is left out (the member is not blocked) and reported.
    public static func plan(for opening: Ticket, type: TicketType, context: Context) -> ChannelPlan {
        var notes: [String] = []
        var problems: [OpeningProblem] = []
        var staffRoleIDs = type.staffRoleIDs
        if let guild = context.guild {
            let missing = staffRoleIDs.filter { guild.role($0) == nil }
            staffRoleIDs.removeAll { guild.role($0) == nil }
            if !missing.isEmpty {
                if staffRoleIDs.isEmpty {
                    notes.append(
                        "The support team role configured for this server no longer exists, so for now only administrators can see your ticket."
                    )
                }
                problems.append(
                    OpeningProblem(
                        title: "Support staff role is missing",
                        detail:
                            "Ticket #\(opening.number) (\(type.name)) was created without \(missing.count == 1 ? "a deleted staff role" : "\(missing.count) deleted staff roles"). Choose the staff roles again on the dashboard.",
                        failureKind: "staff_role_missing"))
            }
        }
        var categories = type.categoryIDs
        if let guild = context.guild, !categories.isEmpty {
            let existing = categories.filter { guild.channel($0) != nil }
            if existing.count < categories.count {
                problems.append(
                    OpeningProblem(
                        title: "Ticket category is missing",
                        detail: existing.isEmpty
                            ? "Ticket #\(opening.number) was created at the top of the channel list. Choose a category for **\(type.name)** on the dashboard."
                            : "A category of **\(type.name)** no longer exists; ticket #\(opening.number) went to another one. Check the categories on the dashboard.",
                        failureKind: "category_missing"))
            }
            // Categories Discord already reports full are tried last, in case the report is stale.
            let roomy = existing.filter { guild.childCount(of: $0) < Self.channelsPerCategory }
            categories = roomy + existing.filter { !roomy.contains($0) }
        }
        let marker = TicketMarker(ticketNumber: opening.number, openerID: opening.openerID, typeID: opening.typeID)
        let request = CreateChannelRequest(
            name: opening.channelName, topic: marker.topic(openerName: opening.openerName),
            parentID: categories.first,
            permissionOverwrites: TicketPermissions.overwrites(
                guildID: context.guildID, openerID: opening.openerID, staffRoleIDs: staffRoleIDs,
                botID: context.botID))
        return ChannelPlan(
            request: request, overflowCategories: Array(categories.dropFirst()),
            reason: "Support ticket #\(opening.number) for \(opening.openerName)", notes: notes, problems: problems)
    }

    /// Discord's limit of channels in one category.
    public static let channelsPerCategory = 50

    /// What a refused creation means: the member's answer, the staff's problem and the failure's kind.
    public struct Refusal: Sendable, Hashable {
        public var memberText: String
        public var detail: String
        public var failureKind: String?
    }

    public static func refusal(_ error: DiscordRESTError, openerID: UserID) -> Refusal {
        if error.isCategoryFull {
            return Refusal(
                memberText:
                    "Sorry, the ticket category is full (Discord allows 50 channels per category). The staff have been told.",
                detail:
                    "Every ticket category of this type is full (50 channels each). Close old tickets or add an overflow category on the dashboard.",
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

extension DiscordRESTError {
    /// Discord refused a channel because its category holds 50 channels already.
    public var isCategoryFull: Bool { fieldErrors.contains { $0.code == "CHANNEL_PARENT_MAX_CHANNELS" } }
}
