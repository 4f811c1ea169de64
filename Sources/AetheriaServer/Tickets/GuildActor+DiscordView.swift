import DiscordGateway
import DiscordModels
import Foundation
import TicketCore

/// Applying gateway events to the guild's view of Discord (roles, channels) and to its tickets.
extension GuildActor {
    /// MESSAGE_DELETE's payload, as far as a panel needs it.
    private struct DeletedMessage: Decodable {
        var id: MessageID
    }

    func guildCreated(_ snapshot: GuildSnapshot?) {
        guard let snapshot else {
            logger.error("GUILD_CREATE could not be decoded")
            return
        }
        discord = snapshot
        reconcile()
    }

    func apply(_ envelope: GatewayEnvelope, frame: [UInt8]) {
        switch envelope.event {
        case .guildCreate:
            guildCreated(
                GuildCreateDecoder.decode(payload(frame, envelope), keepingTopicsContaining: TicketMarker.namespace))
        case .channelCreate, .channelUpdate:
            if let channel = decodePayload(DiscordModels.Channel.self, frame, envelope) { channelChanged(channel) }
        case .channelDelete:
            if let channel = decodePayload(DiscordModels.Channel.self, frame, envelope) { channelDeleted(channel.id) }
        case .guildRoleCreate, .guildRoleUpdate:
            if let event = decodePayload(RoleEvent.self, frame, envelope), let role = event.role { roleChanged(role) }
        case .guildRoleDelete:
            if let event = decodePayload(RoleEvent.self, frame, envelope), let roleID = event.roleId {
                roleDeleted(roleID)
            }
        case .messageDelete
        where envelope.channelID.map({ raw in tickets.panelPlacements.contains { $0.channelID.rawValue == raw } })
            == true:
            // A posted panel may be the message deleted: forget it, so edits of the panel stop trying.
            if let deletion = decodePayload(DeletedMessage.self, frame, envelope) { panelMessageDeleted(deletion.id) }
        case .messageCreate, .messageUpdate, .messageDelete:
            // Only ticket channels matter; everything else is dropped after a look at the guild's few tickets,
            // before any JSON is decoded.
            guard let event = envelope.event, let rawChannelID = envelope.channelID,
                tickets.ticket(inChannel: ChannelID(rawChannelID)) != nil
            else { return }
            messageEvent(event, channelID: ChannelID(rawChannelID), frame: frame, envelope: envelope)
        case .guildMemberRemove:
            // Only a ticket opener leaving matters; the guild's few tickets are looked at before any decoding.
            guard !tickets.tickets.isEmpty, let event = decodePayload(MemberRemoval.self, frame, envelope) else {
                return
            }
            openerLeft(event.user.id)
        case .interactionCreate:
            guard let interaction = decodePayload(Interaction.self, frame, envelope) else {
                logger.warning("INTERACTION_CREATE could not be decoded")
                return
            }
            interactionReceived(interaction)
            // A guild learnt without GUILD_CREATE (after a resume) and without tickets fetches its roles and
            // channels at its first click, for the checks of the steps that follow the acknowledgement.
            if discord == nil { Task { await self.ensureDiscordGuild() } }
        default:
            break
        }
    }

    struct MemberRemoval: Decodable {
        var user: User
    }

    struct RoleEvent: Decodable {
        var role: Role?
        var roleId: RoleID?
    }

    func payload(_ frame: [UInt8], _ envelope: GatewayEnvelope) -> ArraySlice<UInt8> {
        envelope.payloadRange.map { frame[$0] } ?? []
    }

    func decodePayload<Value: Decodable>(_ type: Value.Type, _ frame: [UInt8], _ envelope: GatewayEnvelope) -> Value? {
        guard let range = envelope.payloadRange else { return nil }
        return try? DiscordJSON.decode(type, from: Data(frame[range]))
    }

    func channelChanged(_ channel: DiscordModels.Channel) {
        liftPause(because: "a channel changed")
        guard let current = discord else { return }
        var builder = current.builder(excludingChannel: channel.id)
        builder.addChannel(
            id: channel.id, type: channel.type.rawValue, name: channel.name ?? "", position: channel.position ?? 0,
            parentID: channel.parentId, topic: channel.topic.flatMap(TicketMarker.keptTopic),
            overwrites: channel.permissionOverwrites ?? [])
        discord = builder.build(id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
        if let topic = channel.topic, let marker = TicketMarker(topic: topic),
            let owner = tickets.ticket(number: marker.ticketNumber), owner.openerID == marker.openerID,
            let recorded = owner.channelID, recorded != channel.id
        {
            // A late answer to a request from before a crash made a second channel for a ticket that has one.
            Task { await self.deleteDuplicate(channel.id, of: owner) }
            return
        }
        // A ticket channel that appears for an interrupted opening (created, then we crashed or timed out).
        if let topic = channel.topic, let marker = TicketMarker(topic: topic),
            tickets.ticket(number: marker.ticketNumber)?.state == .opening,
            tickets.ticket(number: marker.ticketNumber)?.openerID == marker.openerID
        {
            if let ticket = tickets.confirmChannel(
                number: marker.ticketNumber, channelID: channel.id, name: channel.name ?? "")
            {
                Task {
                    await self.persistQuietly("adopting channel of ticket #\(ticket.number)")
                    // The workflow that asked for the channel posts the welcome unless it died meanwhile.
                    if !self.openingsInProgress.contains(ticket.number) { await self.ensureWelcome(ticket) }
                }
            }
        }
    }

    func channelDeleted(_ channelID: ChannelID) {
        if let current = discord {
            discord = current.builder(excludingChannel: channelID).build(
                id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
        }
        captured[channelID] = nil
        captureLimitReported.remove(channelID)
        tickets.forgetPanels(inChannel: channelID)
        guard let ticket = tickets.channelVanished(channelID, now: services.now()) else {
            refreshConfigProblems()
            return
        }
        deletionTimers.removeValue(forKey: ticket.number)?.cancel()
        if ticket.state == .open || ticket.state == .closing {
            services.metrics.closed.increment()
        }
        let reason = ticket.state == .closed ? "closed ticket" : "deleted by hand before the ticket was closed"
        Task {
            await self.persistQuietly("archiving ticket #\(ticket.number)")
            await self.audit(AuditEntry.deleted(ticket, reason: reason))
        }
    }

    func roleChanged(_ role: Role) {
        liftPause(because: "a role changed")
        guard let current = discord else { return }
        var builder = current.builder(excludingRole: role.id)
        builder.addRole(
            id: role.id, name: role.name, permissions: role.permissions, position: role.position, color: role.color)
        discord = builder.build(id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
    }

    func roleDeleted(_ roleID: RoleID) {
        guard let current = discord else { return }
        discord = current.builder(excludingRole: roleID).build(
            id: current.id, ownerID: current.ownerID, memberCount: Int(current.memberCount))
        refreshConfigProblems()
    }

    /// Recomputes the configuration's broken references and tells the moderation log about new ones.
    func refreshConfigProblems() {
        guard let discord else { return }
        let problems = tickets.config.referenceProblems(in: discord)
        let new = problems.filter { !configProblems.contains($0) }
        configProblems = problems
        guard !new.isEmpty else { return }
        for problem in new { services.metrics.failure("config_\(problem.field.rawValue)") }
        logger.warning("ticket configuration has broken references: \(new.map(\.description).joined(separator: "; "))")
        let detail = new.map { "\($0.field.rawValue.replacingOccurrences(of: "_", with: " ")): \($0.message)" }
            .joined(separator: "\n")
        Task {
            await self.audit(
                AuditEntry.problem("Ticket settings need attention", detail: detail + "\nFix them on the dashboard."))
        }
    }
}
