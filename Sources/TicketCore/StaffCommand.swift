public import DiscordModels

/// `/ticket <subcommand> …` as Aetheria reads it from an interaction. Everything in it is outside input (a
/// self-bot can send any options): IDs pass `OutsideNumber`, text is bounded, and anything unexpected is `nil`.
public enum StaffCommand: Sendable, Hashable {
    case addMember(UserID)
    case addRole(RoleID)
    case removeMember(UserID)
    case removeRole(RoleID)
    case claim
    case unclaim
    case transfer(to: UserID)
    case rename(String)
    case close(reason: String?)
    case reopen
    /// Ask the opener whether the ticket can be closed (they answer with buttons).
    case closeRequest(reason: String?)
    case note(String)
    /// Put a member or role on the guild's blocklist (anywhere in the guild, not only in a ticket).
    case blockMember(UserID, reason: String?)
    case blockRole(RoleID, reason: String?)
    case unblockMember(UserID)
    case unblockRole(RoleID)

    public static let commandName = "ticket"
    /// Longest close reason, note and channel name kept (Discord's own limits for what they end up in).
    public static let maximumReasonLength = 500
    public static let maximumNoteLength = 1_000
    public static let maximumNameLength = 100

    /// The command's registration: one `/ticket` with a subcommand per action.
    public static var registration: ApplicationCommand {
        typealias Option = ApplicationCommand.Option
        typealias Kind = ApplicationCommand.OptionType
        func sub(_ name: String, _ description: String, _ options: [Option] = []) -> Option {
            Option(
                type: Kind.subcommand, name: name, description: description, options: options.isEmpty ? nil : options)
        }
        let member = Option(type: Kind.user, name: "member", description: "A member of the server")
        let role = Option(type: Kind.role, name: "role", description: "A role of the server")
        var command = ApplicationCommand(
            name: commandName, description: "Work on the support ticket of this channel",
            defaultMemberPermissions: nil)
        command.contexts = [0]  // guilds only
        command.options = [
            sub("add", "Let a member or a role into this ticket", [member, role]),
            sub("remove", "Take a member or a role out of this ticket", [member, role]),
            sub("claim", "Take this ticket: you answer it"),
            sub("unclaim", "Give this ticket back to the whole staff"),
            sub(
                "transfer", "Hand this ticket to another staff member",
                [Option(type: Kind.user, name: "member", description: "The staff member who takes it", required: true)]),
            sub(
                "rename", "Rename this ticket's channel (Discord allows two renames per 10 minutes)",
                [
                    Option(
                        name: "name", description: "The new channel name", required: true, minLength: 1,
                        maxLength: maximumNameLength)
                ]),
            sub(
                "close", "Close this ticket, optionally saying why",
                [Option(name: "reason", description: "Why it is closed", maxLength: maximumReasonLength)]),
            sub(
                "close-request", "Ask the member whether this ticket can be closed",
                [Option(name: "reason", description: "What was solved", maxLength: maximumReasonLength)]),
            sub("reopen", "Reopen this closed ticket before its channel is deleted"),
            sub(
                "note", "Add a note only staff see (kept in the transcript)",
                [Option(name: "text", description: "The note", required: true, maxLength: maximumNoteLength)]),
            sub(
                "block", "Stop a member or a role from opening tickets",
                [
                    member, role,
                    Option(
                        name: "reason", description: "Why (the member is told)",
                        maxLength: TicketAccess.reasonLength.upperBound),
                ]),
            sub("unblock", "Let a blocked member or role open tickets again", [member, role]),
        ]
        return command
    }

    /// Whether the command names `userID` (whose display name the record may keep).
    public func names(_ userID: UserID) -> Bool {
        switch self {
        case .addMember(let id), .removeMember(let id), .transfer(to: let id), .blockMember(let id, _),
            .unblockMember(let id):
            id == userID
        default: false
        }
    }

    /// The command in `data`, or `nil` when it is not a well-formed `/ticket` command.
    public init?(_ data: InteractionData) {
        guard data.name == Self.commandName, let options = data.options, options.count == 1,
            let subcommand = options.first, subcommand.type == ApplicationCommand.OptionType.subcommand
        else { return nil }
        var values: [String: String] = [:]
        for option in (subcommand.options ?? []).prefix(5) {
            switch option.value {
            case .string(let text): values[option.name] = text
            case .integer(let number): values[option.name] = String(number)
            default: return nil
            }
        }
        func id(_ name: String) -> UInt64? {
            values[name].flatMap { OutsideNumber.integer($0, in: UInt64(1)...UInt64.max) }
        }
        func text(_ name: String, _ limit: Int) -> String? {
            values[name].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit)) }
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        switch subcommand.name {
        case "add", "remove":
            let adding = subcommand.name == "add"
            if let member = id("member"), id("role") == nil {
                self = adding ? .addMember(UserID(member)) : .removeMember(UserID(member))
            } else if let role = id("role"), id("member") == nil {
                self = adding ? .addRole(RoleID(role)) : .removeRole(RoleID(role))
            } else {
                return nil
            }
        case "block", "unblock":
            let blocking = subcommand.name == "block"
            let reason = text("reason", TicketAccess.reasonLength.upperBound)
            if let member = id("member"), id("role") == nil {
                self = blocking ? .blockMember(UserID(member), reason: reason) : .unblockMember(UserID(member))
            } else if let role = id("role"), id("member") == nil {
                self = blocking ? .blockRole(RoleID(role), reason: reason) : .unblockRole(RoleID(role))
            } else {
                return nil
            }
        case "claim": self = .claim
        case "unclaim": self = .unclaim
        case "transfer":
            guard let member = id("member") else { return nil }
            self = .transfer(to: UserID(member))
        case "rename":
            guard let name = text("name", Self.maximumNameLength) else { return nil }
            self = .rename(name)
        case "close": self = .close(reason: text("reason", Self.maximumReasonLength))
        case "reopen": self = .reopen
        case "close-request": self = .closeRequest(reason: text("reason", Self.maximumReasonLength))
        case "note":
            guard let note = text("text", Self.maximumNoteLength) else { return nil }
            self = .note(note)
        default:
            return nil
        }
    }
}
