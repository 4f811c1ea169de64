public import DiscordModels
public import Foundation

/// How the deferred acknowledgement of a click went.
public enum AcknowledgementResult: Sendable, Hashable {
    case sent
    /// Discord says this interaction is not ours to answer any more: already acknowledged (a replay whose
    /// first delivery was answered before a crash) or expired. The click must have no effect.
    case refused
    /// The request failed on the way (the member may or may not have seen it).
    case failed

    public var wasSent: Bool { self == .sent }
}

/// Making the channel of an `opening` ticket, as a pure state machine (see `CloseWorkflow`): after the click
/// was recorded (`GuildTickets.requestOpen`) and acknowledged, or after a restart for an interrupted opening.
///
/// Acknowledgement (a refused one drops the click) → the intent stored → the guild's problems reported (a
/// deleted staff role or category must not block members) → the channel created → on a lost answer, looked
/// for by its marker before giving up → `open`, stored → welcome → the member's reply → audit. A refusal gives
/// the number up, tells the member in words they can act on and the staff in the moderation log.
public struct OpenWorkflow: Sendable {
    public enum Effect: Sendable {
        /// Wait for the click's acknowledgement (sent as soon as the click arrived).
        case awaitAcknowledgement
        /// Store the `opening` record before Discord is asked for anything.
        case storeOpening
        /// Store a change that nobody waits for (the abandoned opening); a failure is only logged.
        case storeQuietly(reason: String)
        /// Tell the staff in the moderation log (and count it in the metrics when it has a kind).
        case reportProblem(OpeningProblem)
        case createChannel(CreateChannelRequest, reason: String)
        /// The answer to the creation was lost: look for a channel with this marker.
        case findChannel(TicketMarker)
        /// Count the refusal against the guild's pause and log it (`kind` when it has a specific one).
        case recordRefusal(DiscordRESTError, kind: String?)
        /// Store the `open` record (a failure is logged: the next reconciliation adopts the marked channel).
        case storeOpened
        /// The opened and active counters.
        case countOpened
        case postWelcome(ChannelID, Ticket, TicketType)
        /// Finish the member's deferred reply.
        case tellOpener(token: String, text: String)
        case auditCreated(Ticket)
    }

    public enum Outcome: Sendable {
        case succeeded
        case failed
        case acknowledgement(AcknowledgementResult)
        case created(Channel)
        case refused(DiscordRESTError)
    }

    /// A problem worth the staff's attention, for the moderation log.
    public struct OpeningProblem: Sendable, Hashable {
        public var title: String
        public var detail: String
        /// The failure metric's kind, when it counts as one.
        public var failureKind: String?
    }

    /// The guild as the bot sees it when the channel is made.
    public struct Context: Sendable {
        public var guildID: GuildID
        public var botID: UserID
        /// Roles and channels Discord reported; `nil` before GUILD_CREATE (then nothing is checked).
        public var guild: GuildSnapshot?

        public init(guildID: GuildID, botID: UserID, guild: GuildSnapshot?) {
            self.guildID = guildID
            self.botID = botID
            self.guild = guild
        }
    }

    public static let storageUnavailable =
        "Your ticket could not be created because storage is unavailable right now. Please try again in a minute."
    /// A deferred reply can be edited for 15 minutes; past 14 it is not tried.
    public static let replyLifetime: TimeInterval = 14 * 60

    public let opening: Ticket
    private let context: Context
    private var acknowledgement: AcknowledgementResult?
    private var notes: [String] = []
    private var refusal: DiscordRESTError?
    /// The channel request, and the categories left to try when Discord says its category is full.
    private var channelRequest: CreateChannelRequest?
    private var overflowCategories: [ChannelID] = []
    private var reason = ""
    private var current: Effect?
    private var queue: [Effect] = []

    public init(opening: Ticket, context: Context) {
        self.opening = opening
        self.context = context
    }

    /// The first effect: the acknowledgement when the click is being acknowledged now, else the store.
    public mutating func start(acknowledging: Bool) -> Effect {
        let first: Effect = acknowledging ? .awaitAcknowledgement : .storeOpening
        current = first
        return first
    }

    /// The next effect after `outcome` of the previous one, or `nil` when the opening is over.
    public mutating func next(after outcome: Outcome, tickets: inout GuildTickets, now: Date) -> Effect? {
        guard let done = current else { return nil }
        let number = opening.number
        switch (done, outcome) {
        case (.awaitAcknowledgement, .acknowledgement(let result)):
            acknowledgement = result
            if result == .refused {
                // A replay of a click answered before a crash, or one too old to answer: no channel.
                tickets.abandonOpening(number: number)
                queue = [.storeQuietly(reason: "dropping a click Discord refused to acknowledge")]
            } else {
                queue = [.storeOpening]
            }
        case (.storeOpening, .failed):
            // Not stored, so not promised: undo and say so.
            tickets.abandonOpening(number: number)
            queue = tell(Self.storageUnavailable, now: now)
        case (.storeOpening, _):
            guard tickets.ticket(number: number)?.state == .opening else { break }
            let plan = Self.plan(for: opening, type: tickets.type(of: opening), context: context)
            notes = plan.notes
            channelRequest = plan.request
            overflowCategories = plan.overflowCategories
            reason = plan.reason
            queue = plan.problems.map(Effect.reportProblem) + [.createChannel(plan.request, reason: plan.reason)]
        case (.createChannel, .created(let channel)), (.findChannel, .created(let channel)):
            queue = created(channel, tickets: &tickets, now: now)
        case (.createChannel, .refused(let error)) where error.kind == .transport || error.kind == .serverError:
            // The channel may exist even though the answer was lost: look before giving up.
            refusal = error
            queue = [
                .findChannel(TicketMarker(ticketNumber: number, openerID: opening.openerID, typeID: opening.typeID))
            ]
        case (.createChannel, .refused(let error))
        where error.isCategoryFull && !overflowCategories.isEmpty && channelRequest != nil:
            // This category is full: the next of the type's categories.
            channelRequest?.parentId = overflowCategories.removeFirst()
            queue = channelRequest.map { [.createChannel($0, reason: reason)] } ?? []
        case (.createChannel, .refused(let error)):
            queue = failed(error, tickets: &tickets, now: now)
        case (.findChannel, _):
            queue = failed(
                refusal
                    ?? DiscordRESTError(
                        kind: .transport, status: nil, message: "no answer", route: "POST /guilds/{guild.id}/channels"),
                tickets: &tickets,
                now: now)
        case (.tellOpener, _):
            if tickets.ticket(number: number) != nil { tickets.forgetOpeningInteraction(number: number) }
        case (.auditCreated, _):
            tickets.announced(.created, number: number)
        default:
            break
        }
        current = queue.isEmpty ? nil : queue.removeFirst()
        return current
    }

    private func created(_ channel: Channel, tickets: inout GuildTickets, now: Date) -> [Effect] {
        let number = opening.number
        // The gateway's CHANNEL_CREATE may have confirmed it already.
        if tickets.ticket(number: number)?.state == .opening {
            tickets.confirmChannel(number: number, channelID: channel.id, name: channel.name ?? opening.channelName)
        }
        guard let ticket = tickets.ticket(number: number), ticket.channelID == channel.id else { return [] }
        let text = (["Your ticket is ready: <#\(channel.id)>"] + notes).joined(separator: "\n")
        return [.storeOpened, .countOpened, .postWelcome(channel.id, ticket, tickets.type(of: ticket))]
            + tell(text, now: now) + [.auditCreated(ticket)]
    }

    private func failed(_ error: DiscordRESTError, tickets: inout GuildTickets, now: Date) -> [Effect] {
        tickets.abandonOpening(number: opening.number)
        let refusal = Self.refusal(error, openerID: opening.openerID)
        return [
            .storeQuietly(reason: "abandoning ticket #\(opening.number)"),
            .recordRefusal(error, kind: refusal.failureKind),
        ] + tell(refusal.memberText, now: now)
            + [.reportProblem(OpeningProblem(title: "A ticket could not be created", detail: refusal.detail))]
    }

    /// The member's reply, when their click was acknowledged (or is being finished after a restart) and its
    /// token still works.
    private func tell(_ text: String, now: Date) -> [Effect] {
        if let acknowledgement, !acknowledgement.wasSent { return [] }
        guard let interaction = opening.openingInteraction,
            now.timeIntervalSince(interaction.receivedAt) < Self.replyLifetime
        else { return [] }
        return [.tellOpener(token: interaction.token, text: text)]
    }
}
