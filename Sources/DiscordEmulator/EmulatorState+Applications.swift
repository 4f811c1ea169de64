import DiscordModels
import Foundation

extension EmulatorState {
    // MARK: - Gateway discovery

    func gatewayInfo(gatewayURL: String) -> RESTResponse {
        .ok(JSONValue.object(["url": .string(gatewayURL)]))
    }

    mutating func gatewayBotInfo(gatewayURL: String, now: Date) -> RESTResponse {
        let nowSeconds = now.timeIntervalSince1970
        if nowSeconds >= gateway.sessionStartsResetAt {
            gateway.sessionStarts = 0
            gateway.sessionStartsResetAt = nowSeconds + 86_400
        }
        let info = GatewayBotInfo(
            url: gatewayURL, shards: configuration.recommendedShardCount(guildCount: guilds.count),
            sessionStartLimit: .init(
                total: configuration.sessionStartLimit,
                remaining: max(0, configuration.sessionStartLimit - gateway.sessionStarts),
                resetAfter: Int((gateway.sessionStartsResetAt - nowSeconds) * 1000),
                maxConcurrency: configuration.maxConcurrency))
        return .ok(info)
    }

    // MARK: - Application

    func currentApplication() -> RESTResponse {
        .ok(JSONValue.object(applicationObject(includingPrivateFields: true)))
    }

    /// The application as Discord describes it: the public fields (what `GET /oauth2/@me` embeds), and for its
    /// own bot the private ones too (`GET /applications/@me`).
    func applicationObject(includingPrivateFields: Bool) -> [String: JSONValue] {
        func user(_ user: User) -> JSONValue {
            (try? DiscordJSON.makeEncoder().encode(user)).flatMap(JSONValue.parse) ?? .null
        }
        var object: [String: JSONValue] = [
            "id": .string(applicationID.description), "name": .string("Aetheria"), "icon": .null,
            "description": .string("Support tickets for Discord communities."), "type": .null,
            "verify_key": .string(String(repeating: "0", count: 64)), "flags": .number(0), "flags_new": .string("0"),
            "bot_public": .bool(true), "bot_require_code_grant": .bool(false), "bot": user(botUser),
            "summary": .string(""), "hook": .bool(true), "is_monetized": .bool(false),
            "integration_types_config": .object(["0": .object([:])]),
        ]
        guard includingPrivateFields else { return object }
        let owner = User(id: UserID(1_000_000_000_000_000_002), username: "owner")
        let memberships = guilds.values.count { $0.members[botID] != nil }
        object.merge([
            "owner": user(owner), "team": .null, "redirect_uris": .array([]), "interactions_endpoint_url": .null,
            "role_connections_verification_url": .null, "approximate_guild_count": .number(Double(memberships)),
            "approximate_user_install_count": .number(0), "approximate_user_authorization_count": .number(0),
            "explicit_content_filter": .number(0), "eligible_oauth2_scopes": .array([]),
        ]) { $1 }
        return object
    }

    // MARK: - Application commands

    mutating func getCommands(_ request: RESTRequest) -> RESTResponse {
        guard request.id("application", as: ApplicationEntity.self) == applicationID else {
            return .error(.unknownApplication)
        }
        return .ok(commands)
    }

    /// `PUT /applications/{app}/commands`: replaces every global command, validated as Discord does.
    mutating func overwriteCommands(_ request: RESTRequest) -> RESTResponse {
        guard request.id("application", as: ApplicationEntity.self) == applicationID else {
            return .error(.unknownApplication)
        }
        guard let entries = request.body?.arrayValue else {
            return .error(.invalidFormBody(path: "", code: "BASE_TYPE_ARRAY", message: "Must be an array."))
        }
        var validator = FormValidator()
        var names = Set<String>()
        var registered: [ApplicationCommand] = []
        for (index, entry) in entries.enumerated() {
            let path = "\(index)"
            guard let object = validator.object(entry, at: path) else { continue }
            let type = validator.integer(object["type"], at: "\(path).type", range: 1...4) ?? 1
            let name = validator.string(object["name"], at: "\(path).name", length: 1...32, required: true)
            let description = validator.string(
                object["description"], at: "\(path).description", length: type == 1 ? 1...100 : 0...0,
                required: type == 1)
            if let name, type == 1, !Self.isValidChatInputName(name) {
                validator.fail(
                    "\(path).name", code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid")
            }
            if let name, !names.insert("\(type):\(name)").inserted {
                validator.fail(
                    "\(path).name", code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    message: "Application command names must be unique")
            }
            let options = validator.array(object["options"], at: "\(path).options", maximumCount: 25) ?? []
            for (index, option) in options.enumerated() {
                let optionPath = "\(path).options.\(index)"
                guard let optionObject = validator.object(option, at: optionPath) else { continue }
                let optionType = validator.integer(
                    optionObject["type"], at: "\(optionPath).type", range: 1...11, required: true)
                let optionName = validator.string(
                    optionObject["name"], at: "\(optionPath).name", length: 1...32, required: true)
                if let optionName, !Self.isValidChatInputName(optionName) {
                    validator.fail(
                        "\(optionPath).name", code: "APPLICATION_COMMAND_INVALID_NAME",
                        message: "Command name is invalid")
                }
                _ = validator.string(
                    optionObject["description"], at: "\(optionPath).description", length: 1...100, required: true)
                // Only string, integer and number options autocomplete (`application-commands.mdx`).
                if optionObject["autocomplete"]?.boolValue == true, let optionType, ![3, 4, 10].contains(optionType) {
                    validator.fail(
                        "\(optionPath).autocomplete", code: "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                        message: "Autocomplete is only available for string, integer and number options")
                }
            }
            let permissions = validator.permissions(
                object["default_member_permissions"], at: "\(path).default_member_permissions")
            guard let name else { continue }
            var command = ApplicationCommand(
                name: name, description: description ?? "", defaultMemberPermissions: permissions)
            command.type = type
            command.applicationId = applicationID
            command.id =
                commands.first { $0.name == name && ($0.type ?? 1) == type }?.id ?? CommandID(mintID(at: request.now))
            command.version = Snowflake(mintID(at: request.now))
            command.contexts = object["contexts"]?.arrayValue?.compactMap(\.intValue) ?? [0, 1, 2]
            command.integrationTypes = object["integration_types"]?.arrayValue?.compactMap(\.intValue) ?? [0]
            command.nsfw = object["nsfw"]?.boolValue ?? false
            command.options = options.compactMap { $0.decoded(as: ApplicationCommand.Option.self) }
            if command.options?.isEmpty == true { command.options = nil }
            registered.append(command)
        }
        if registered.filter({ $0.type == 1 }).count > 100 {
            validator.fail(
                "", code: "APPLICATION_COMMANDS_TOO_MANY",
                message: "Maximum number of application commands reached (100)")
        }
        guard validator.isValid else { return .error(.invalidFormBody(validator.problems)) }
        commands = registered
        return .ok(commands)
    }

    /// CHAT_INPUT names: 1–32 letters, numbers, `-`, `_` or `'`, lowercase wherever a lowercase form exists.
    static func isValidChatInputName(_ name: String) -> Bool {
        guard (1...32).contains(name.count), name == name.lowercased() else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "'" }
    }

    // MARK: - Request Guild Members (op 8)

    /// Answers op 8 with GUILD_MEMBERS_CHUNK dispatches of at most 1,000 members each.
    mutating func answerGuildMembersRequest(
        guildID: GuildID, nonce: String?, userIDs: [JSONValue]?, connection: GatewayConnection
    ) {
        guard let sessionID = connection.sessionID, let session = gateway.sessions[sessionID],
            let guild = guilds[guildID], session.covers(guildID)
        else { return }
        let wanted = userIDs?.compactMap(\.snowflakeValue).map({ UserID($0) })
        guard wanted != nil || session.intents.contains(.guildMembers) else { return }
        let members = (wanted ?? guild.members.keys.sorted()).compactMap { guild.member($0, users: users) }
        let notFound = (wanted ?? []).filter { guild.members[$0] == nil }
        let chunks = stride(from: 0, to: max(members.count, 1), by: 1000).map {
            Array(members[$0..<min($0 + 1000, members.count)])
        }
        for (index, chunk) in chunks.enumerated() {
            var payload: [String: JSONValue] = [
                "guild_id": .string(guildID.description), "chunk_index": .number(Double(index)),
                "chunk_count": .number(Double(chunks.count)),
                "members": JSONValue.parse((try? DiscordJSON.makeEncoder().encode(chunk)) ?? Data()) ?? .array([]),
            ]
            if let nonce { payload["nonce"] = .string(String(nonce.prefix(32))) }
            if index == 0, !notFound.isEmpty {
                payload["not_found"] = .array(notFound.map { .string($0.description) })
            }
            let data = (try? JSONEncoder().encode(JSONValue.object(payload))) ?? Data()
            deliver(event: "GUILD_MEMBERS_CHUNK", payload: Array(data), toSession: sessionID)
        }
    }
}
