import DiscordModels

/// What Discord's client does with what a member types into a slash command: it offers only the declared
/// subcommands and options, insists on the required ones, types each value as declared, keeps strings within
/// their bounds, lets a user option name only someone it can resolve and a role option only a role of the
/// guild, and sends the `resolved` users, members and roles beside the options.
struct CommandOptionResolver {
    let guild: EmulatedGuild
    let users: [UserID: User]

    /// `typed` are name → text as the member entered them; `subcommand` names the chosen subcommand when the
    /// command has subcommands.
    func resolve(
        _ command: ApplicationCommand, subcommand: String?, typed: [(name: String, value: String)]
    ) throws(DiscordAPIError) -> (options: [InteractionOption], resolved: ResolvedData?) {
        let declared = command.options ?? []
        let subcommands = declared.filter { $0.type == ApplicationCommand.OptionType.subcommand }
        var resolved = ResolvedData()
        if subcommands.isEmpty {
            guard subcommand == nil else { throw Self.refusal("The command has no subcommands") }
            let options = try values(typed, declared: declared, resolved: &resolved)
            return (options, resolved.isEmpty ? nil : resolved)
        }
        guard let subcommand, let chosen = subcommands.first(where: { $0.name == subcommand }) else {
            throw Self.refusal("Choose one of the command's subcommands")
        }
        var group = InteractionOption(name: chosen.name, type: ApplicationCommand.OptionType.subcommand, value: nil)
        group.options = try values(typed, declared: chosen.options ?? [], resolved: &resolved)
        return ([group], resolved.isEmpty ? nil : resolved)
    }

    private func values(
        _ typed: [(name: String, value: String)], declared: [ApplicationCommand.Option], resolved: inout ResolvedData
    ) throws(DiscordAPIError) -> [InteractionOption] {
        var options: [InteractionOption] = []
        for option in declared where option.required == true && !typed.contains(where: { $0.name == option.name }) {
            throw Self.refusal("The option \(option.name) is required")
        }
        for (name, text) in typed {
            guard let option = declared.first(where: { $0.name == name }) else {
                throw Self.refusal("The command has no option \(name)")
            }
            guard !options.contains(where: { $0.name == name }) else { throw Self.refusal("\(name) given twice") }
            options.append(
                InteractionOption(name: name, type: option.type, value: try value(text, of: option, &resolved)))
        }
        return options
    }

    private func value(
        _ text: String, of option: ApplicationCommand.Option, _ resolved: inout ResolvedData
    ) throws(DiscordAPIError) -> JSONScalar {
        typealias Kind = ApplicationCommand.OptionType
        switch option.type {
        case Kind.string:
            let length = text.count
            guard length >= (option.minLength ?? 0), length <= (option.maxLength ?? 6_000) else {
                throw Self.refusal(
                    "\(option.name) must be \(option.minLength ?? 0)–\(option.maxLength ?? 6_000) characters")
            }
            return .string(text)
        case Kind.integer:
            guard let number = Int64(text) else { throw Self.refusal("\(option.name) must be a whole number") }
            return .integer(number)
        case Kind.user:
            guard let id = UInt64(text).map { UserID($0) }, let user = users[id] else {
                throw Self.refusal("\(option.name): no such user")
            }
            resolved.users = (resolved.users ?? [:]).merging([id.description: user]) { $1 }
            // Resolved members leave out `user` (it is in `users`).
            if let member = guild.member(id, users: users, includeUser: false) {
                resolved.members = (resolved.members ?? [:]).merging([id.description: member]) { $1 }
            }
            return .string(id.description)
        case Kind.role:
            guard let id = UInt64(text).map { RoleID($0) }, let role = guild.roles[id] else {
                throw Self.refusal("\(option.name): no such role in this server")
            }
            resolved.roles = (resolved.roles ?? [:]).merging([id.description: role]) { $1 }
            return .string(id.description)
        default:
            throw Self.refusal("the emulator does not offer option type \(option.type)")
        }
    }

    static func refusal(_ message: String) -> DiscordAPIError {
        DiscordAPIError(status: 400, code: 0, message: message)
    }
}

extension ResolvedData {
    fileprivate var isEmpty: Bool { users == nil && members == nil && roles == nil }
}
