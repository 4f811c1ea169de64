public import DiscordModels

/// The permission overwrites of a ticket channel: private to the opener, the type's support staff roles and the bot.
public enum TicketPermissions {
    /// What the bot needs on top of a participant's rights: to manage (lock, delete) the channel.
    public static let bot: Permissions = Permissions.ticketParticipant.union(.manageChannels)

    public static func overwrites(
        guildID: GuildID, openerID: UserID, staffRoleIDs: [RoleID], botID: UserID
    ) -> [PermissionOverwrite] {
        var overwrites: [PermissionOverwrite] = [
            .role(RoleID(guildID.rawValue), deny: .viewChannel),
            .member(openerID, allow: .ticketParticipant),
        ]
        for staffRoleID in staffRoleIDs { overwrites.append(.role(staffRoleID, allow: .ticketParticipant)) }
        overwrites.append(.member(botID, allow: bot))
        return overwrites
    }

    /// The opener's overwrite once the ticket is closed: they can still read it but no longer write.
    public static func lockedOpener(_ openerID: UserID) -> PermissionOverwrite {
        .member(
            openerID, allow: [.viewChannel, .readMessageHistory],
            deny: [.sendMessages, .sendMessagesInThreads, .addReactions, .attachFiles, .embedLinks])
    }
}
