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

    /// What the type's staff roles may do in a ticket, given who claimed it and the type's claim mode.
    public static func staffOverwrites(
        staffRoleIDs: [RoleID], claimed: Bool, mode: TicketType.ClaimMode
    ) -> [PermissionOverwrite] {
        staffRoleIDs.map { roleID in
            switch (claimed, mode) {
            case (false, _), (true, .everyoneWrites):
                .role(roleID, allow: .ticketParticipant)
            case (true, .claimerWrites):
                .role(
                    roleID, allow: [.viewChannel, .readMessageHistory],
                    deny: [.sendMessages, .sendMessagesInThreads, .addReactions, .attachFiles, .embedLinks])
            case (true, .claimerOnly):
                .role(roleID, deny: .viewChannel)
            }
        }
    }

    /// Someone let into the ticket: the claimer, or a member or role added with `/ticket add`.
    public static func participant(member: UserID) -> PermissionOverwrite {
        .member(member, allow: .ticketParticipant)
    }
}
