import DiscordModels
import Foundation
import Testing
import TicketTestSupport

@testable import TicketCore

/// Random interleavings of clicks, channel confirmations, messages, closes, deletions, reconciliations and
/// restarts (a snapshot encoded and decoded, as after a crash) never give a member two open tickets and
/// never lose a ticket.
@Suite("Ticket rules under random interleavings")
struct TicketPropertyTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("never two active tickets per member, never a lost ticket", arguments: 0..<40)
    func invariantsHold(seed: UInt64) throws {
        _ = try Self.history(seed: seed)
    }

    @Test("the random histories reopen closed tickets too")
    func historiesReopen() throws {
        #expect(try (0..<40).map { try Self.history(seed: $0) }.reduce(0, +) >= 10)
    }

    /// Runs one random history, checking the invariants after every step; returns how many reopens it did.
    static func history(seed: UInt64) throws -> Int {
        var random = SplitMix(state: seed)
        var tickets = GuildTickets(config: TicketConfig(maximumOpenTicketsPerUser: 1))
        tickets.config.types[0].deleteDelaySeconds = 86_400  // closed tickets stay reopenable
        var reopened = 0
        let members: [UserID] = (1...4).map { UserID($0) }
        var now = Date(timeIntervalSince1970: 1_700_000_000)
        var nextChannel: UInt64 = 1_000
        var nextInteraction: UInt64 = 1
        var discordChannels: [(id: ChannelID, name: String, marker: TicketMarker?)] = []
        /// Every ticket number ever created, and those legitimately finished (archived after a close or a
        /// deletion, or abandoned). Anything else must still be in the records.
        var created: Set<Int> = []
        var finished: Set<Int> = []
        var seenInteractions: [InteractionID] = []

        for _ in 0..<300 {
            now = now.addingTimeInterval(Double(random.next() % 600))
            switch random.next() % 9 {
            case 0, 1:  // a click, sometimes a replay of an earlier one
                let member = members.randomElement(using: &random)!
                let replay = !seenInteractions.isEmpty && random.next() % 4 == 0
                let id = replay ? seenInteractions.randomElement(using: &random)! : InteractionID(nextInteraction)
                if !replay {
                    nextInteraction += 1
                    seenInteractions.append(id)
                }
                if case .create(let ticket) = tickets.requestOpen(
                    openerID: member, openerName: "m\(member)", interaction: .init(id: id, token: "t", receivedAt: now),
                    now: now)
                {
                    #expect(!created.contains(ticket.number), "ticket numbers are never reused")
                    created.insert(ticket.number)
                }
            case 2:  // Discord creates the channel of an opening ticket
                if let opening = tickets.tickets.first(where: { $0.state == .opening }) {
                    let id = ChannelID(nextChannel)
                    nextChannel += 1
                    let marker = TicketMarker(ticketNumber: opening.number, openerID: opening.openerID)
                    discordChannels.append((id, opening.channelName, marker))
                    if random.next() % 3 != 0 {  // sometimes the process dies before recording it
                        tickets.confirmChannel(number: opening.number, channelID: id, name: opening.channelName)
                    }
                }
            case 3:  // creation failed for good
                if random.next() % 4 == 0, let opening = tickets.tickets.first(where: { $0.state == .opening }),
                    !discordChannels.contains(where: { $0.marker?.ticketNumber == opening.number })
                {
                    tickets.abandonOpening(number: opening.number)
                    finished.insert(opening.number)
                }
            case 4:  // messages
                if let open = tickets.tickets.filter({ $0.state == .open }).randomElement(using: &random),
                    let channel = open.channelID
                {
                    tickets.recordMessage(
                        inChannel: channel, authorID: members.randomElement(using: &random)!, authorIsBot: false,
                        at: now)
                }
            case 5:  // close, and finish the close
                if let open = tickets.tickets.filter({ $0.state == .open }).randomElement(using: &random),
                    let channel = open.channelID
                {
                    _ = tickets.requestClose(
                        inChannel: channel, closerID: open.openerID, closerIsStaff: false, reason: nil, now: now)
                    if random.next() % 2 == 0 {
                        tickets.markTranscriptSaved(number: open.number)
                        tickets.markClosed(number: open.number, now: now)
                    }
                }
            case 6:  // a closed ticket is reopened by staff, or its channel is deleted
                if random.next() % 3 == 0, let closed = tickets.tickets.first(where: { $0.state == .closed }),
                    let channel = closed.channelID
                {
                    tickets.announced(.closed, number: closed.number)
                    if case .recorded = tickets.recordStaffAction(
                        .reopen, guildID: 1, inChannel: channel, by: 99, actorIsStaff: true,
                        actionID: InteractionID(nextInteraction), now: now)
                    {
                        reopened += 1
                    }
                    nextInteraction += 1
                } else if let closed = tickets.tickets.first(where: { $0.state == .closed }),
                    let channel = closed.channelID
                {
                    discordChannels.removeAll { $0.id == channel }
                    _ = tickets.channelVanished(channel, now: now)
                    finished.insert(closed.number)
                }
            case 7:  // a ticket channel is deleted by hand
                if random.next() % 3 == 0,
                    let ticket = tickets.tickets.filter({ $0.channelID != nil }).randomElement(using: &random)
                {
                    discordChannels.removeAll { $0.id == ticket.channelID }
                    _ = tickets.channelVanished(ticket.channelID!, now: now)
                    finished.insert(ticket.number)
                }
            default:  // crash and restart: decode the snapshot, reconcile with Discord
                tickets = try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
                let outcome = tickets.reconcile(channels: discordChannels, now: now)
                for gone in outcome.vanished { finished.insert(gone.number) }
            }

            for member in members {
                #expect(
                    tickets.tickets.count { $0.openerID == member && $0.isActive } <= 1,
                    "member \(member) has two active tickets")
            }
            let recorded = Set(tickets.tickets.map(\.number))
            #expect(created.subtracting(finished).subtracting(recorded).isEmpty, "a ticket was lost")
            let channelIDs = tickets.tickets.compactMap(\.channelID)
            #expect(Set(channelIDs).count == channelIDs.count, "two tickets share a channel")
            #expect(
                tickets.analytics.opened - tickets.analytics.closed == tickets.openTicketCount,
                "the dashboard's counters disagree: opened \(tickets.analytics.opened), closed \(tickets.analytics.closed), open \(tickets.openTicketCount)"
            )
        }
        #expect(created.count >= 5, "the run exercised the rules")
        return reopened
    }
}
