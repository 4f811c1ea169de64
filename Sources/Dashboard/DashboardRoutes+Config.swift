import DiscordModels
import Foundation
import Hummingbird
import TicketCore
import Transcripts

/// The configuration pages (administrators only): the overview with the moderation-log form, ticket types,
/// panels and posting a panel. Every change goes through the guild's actor as a whole new configuration,
/// which validates it against the guild as Discord has it, stores it and audits it with a diff.
extension DashboardRoutes {
    @Sendable func configForm(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        return DashboardResponse.html(
            DashboardPages.config(
                grant.overview, values: grant.overview.tickets.config, problems: [],
                flash: flash(request), session: grant.session))
    }

    /// Behind `FormPostMiddleware`: the moderation-log routing.
    @Sendable func saveConfig(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let form = try await decodeForm(LogRoutingForm.self, request, context: context, grant: grant)
        return await saveOverview(form.applied(to: grant.overview.tickets.config), grant: grant)
    }

    /// Behind `FormPostMiddleware`: the blocklist and the guild-wide openings limit.
    @Sendable func saveAccess(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let form = try await decodeForm(AccessForm.self, request, context: context, grant: grant)
        let member = await findMember(MemberReference(form.blockMember), grant: grant)
        return await saveOverview(
            form.applied(
                to: grant.overview.tickets.config, member: member, by: grant.session.userID,
                byName: grant.session.username, now: now()),
            grant: grant)
    }

    /// The member an admin named in the blocklist form, asked of Discord: by ID (their name when they are in
    /// the server), or by the start of their name (one match, or one whose whole name it is).
    private func findMember(_ reference: MemberReference?, grant: GuildGrant) async -> AccessForm.FoundMember {
        let guildID = grant.guildID
        /// Staff as Discord sees them: a staff role of any type, or Administrator or Manage Channels through
        /// their roles (as `/ticket block` judges it).
        func isStaff(_ member: DashboardMember) -> Bool {
            let permissions = grant.unrestricted.discord.map { guild in
                PermissionCalculator.basePermissions(
                    guildID: guildID, ownerID: guild.ownerID, userID: member.id, memberRoleIDs: member.roles,
                    rolePermissions: { guild.role($0)?.permissions })
            }
            return grant.unrestricted.tickets.isStaff(roles: member.roles, permissions: permissions, for: nil)
        }
        switch reference {
        case nil:
            return .nobody
        case .id(let id):
            switch await backend.member(id, in: guildID) {
            case .found(let member):
                return .member(id, name: member.name, roles: member.roles, isStaff: isStaff(member))
            case .notAMember:
                // Someone not in the server (yet, or any more) may be blocked ahead of a return.
                return .member(id, name: nil, roles: [], isStaff: false)
            case .unknown:
                return .problem("Discord could not say who that is right now, so nothing was changed; try again")
            }
        case .name(let query):
            guard let found = await backend.searchMembers(query, in: guildID) else {
                return .problem("Discord could not be asked for members right now; enter the member's ID instead")
            }
            let exact = found.filter { $0.name.lowercased() == query.lowercased() }
            let candidates = exact.count == 1 ? exact : found
            guard candidates.count <= 1 else {
                let listed = candidates.prefix(5).map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
                return .problem("“\(query)” matches several members: \(listed); type more of the name, or the ID")
            }
            guard let member = candidates.first else { return .problem("no member's name starts with “\(query)”") }
            return .member(member.id, name: member.name, roles: member.roles, isStaff: isStaff(member))
        }
    }

    /// Saves a change made on the configuration overview: back to it when saved, the page with its problems
    /// (422) when not.
    private func saveOverview(
        _ change: (config: TicketConfig, problems: [TicketConfigProblem]), grant: GuildGrant
    ) async -> Response {
        let problems = await save(change.config, formProblems: change.problems, grant: grant)
        guard !problems.isEmpty else { return DashboardResponse.redirect("/guilds/\(grant.guildID)/config?saved=1") }
        return DashboardResponse.html(
            DashboardPages.config(
                grant.overview, values: change.config, problems: problems, flash: nil, session: grant.session),
            status: .unprocessableContent)
    }

    // MARK: - Types

    @Sendable func addType(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        var config = grant.overview.tickets.config
        let id = config.nextTypeID
        let name = Self.unusedName("New type", taken: config.types.map(\.name))
        config.types.append(TicketType(id: id, name: name, emoji: nil, summary: ""))
        return await saveAdded(config, grant: grant, then: "/guilds/\(grant.guildID)/config/types/\(id)")
    }

    @Sendable func typeForm(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let type = try existingType(context, grant: grant)
        return DashboardResponse.html(
            DashboardPages.typeForm(
                grant.overview, type: type, problems: [], flash: flash(request), session: grant.session))
    }

    @Sendable func saveType(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let current = try existingType(context, grant: grant)
        let form = try await decodeForm(TicketTypeForm.self, request, context: context, grant: grant)
        let (type, formProblems) = form.applied(to: current)
        var config = grant.overview.tickets.config
        config.types = config.types.map { $0.id == type.id ? type : $0 }
        let problems = await save(config, formProblems: formProblems, grant: grant)
        guard !problems.isEmpty else {
            return DashboardResponse.redirect("/guilds/\(grant.guildID)/config/types/\(type.id)?saved=1")
        }
        return DashboardResponse.html(
            DashboardPages.typeForm(
                grant.overview, type: type, problems: problems.filter { $0.scope != .guild || $0.field == .general },
                flash: nil, session: grant.session),
            status: .unprocessableContent)
    }

    /// Deleting a type takes it off every panel; the last type, or the only type of a panel, cannot go.
    @Sendable func deleteType(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let type = try existingType(context, grant: grant)
        var config = grant.overview.tickets.config
        var problems: [TicketConfigProblem] = []
        if config.types.count == 1 {
            problems.append(TicketConfigProblem(.general, "a server needs at least one ticket type"))
        }
        for panel in config.panels where panel.typeIDs == [type.id] {
            problems.append(
                TicketConfigProblem(
                    .general, "the panel “\(panel.name)” offers only this type: give it another type first"))
        }
        if problems.isEmpty {
            config.types.removeAll { $0.id == type.id }
            config.panels = config.panels.map { panel in
                var panel = panel
                panel.typeIDs.removeAll { $0 == type.id }
                return panel
            }
            problems = await save(config, formProblems: [], grant: grant)
            if problems.isEmpty { return DashboardResponse.redirect("/guilds/\(grant.guildID)/config?saved=1") }
        }
        return DashboardResponse.html(
            DashboardPages.typeForm(grant.overview, type: type, problems: problems, flash: nil, session: grant.session),
            status: .unprocessableContent)
    }

    // MARK: - Panels

    @Sendable func addPanel(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        var config = grant.overview.tickets.config
        let id = config.nextPanelID
        let name = Self.unusedName("New panel", taken: config.panels.map(\.name))
        config.panels.append(TicketPanel(id: id, name: name, typeIDs: [config.defaultType.id]))
        return await saveAdded(config, grant: grant, then: "/guilds/\(grant.guildID)/config/panels/\(id)")
    }

    @Sendable func panelForm(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let panel = try existingPanel(context, grant: grant)
        return DashboardResponse.html(
            DashboardPages.panelForm(
                grant.overview, panel: panel, config: grant.overview.tickets.config, problems: [],
                flash: flash(request), session: grant.session))
    }

    @Sendable func savePanel(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let current = try existingPanel(context, grant: grant)
        let form = try await decodeForm(PanelForm.self, request, context: context, grant: grant)
        let (panel, formProblems) = form.applied(to: current)
        var config = grant.overview.tickets.config
        config.panels = config.panels.map { $0.id == panel.id ? panel : $0 }
        let problems = await save(config, formProblems: formProblems, grant: grant)
        guard !problems.isEmpty else {
            return DashboardResponse.redirect("/guilds/\(grant.guildID)/config/panels/\(panel.id)?saved=1")
        }
        return DashboardResponse.html(
            DashboardPages.panelForm(
                grant.overview, panel: panel, config: config, problems: problems, flash: nil, session: grant.session),
            status: .unprocessableContent)
    }

    @Sendable func deletePanel(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let panel = try existingPanel(context, grant: grant)
        var config = grant.overview.tickets.config
        config.panels.removeAll { $0.id == panel.id }
        let problems = await save(config, formProblems: [], grant: grant)
        guard !problems.isEmpty else { return DashboardResponse.redirect("/guilds/\(grant.guildID)/config?saved=1") }
        return DashboardResponse.html(
            DashboardPages.panelForm(
                grant.overview, panel: panel, config: config, problems: problems, flash: nil, session: grant.session),
            status: .unprocessableContent)
    }

    /// Posts the panel in the chosen channel; Discord's refusal is shown on the page.
    @Sendable func postPanel(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let panel = try existingPanel(context, grant: grant)
        let form = try await decodeForm(PanelPostForm.self, request, context: context, grant: grant)
        var reader = FormFieldReader(scope: .panel(panel.id))
        var problems = reader.problems
        if let channel = reader.id(form.channel, .general).map({ ChannelID($0) }),
            grant.overview.discord?.channel(channel)?.type == UInt8(ChannelType.guildText.rawValue)
        {
            do {
                try await backend.postPanel(panel.id, in: channel, for: grant.guildID, by: grant.session.userID)
                return DashboardResponse.redirect("/guilds/\(grant.guildID)/config/panels/\(panel.id)?posted=1")
            } catch let error as TicketConfigValidationError {
                problems = error.problems
            } catch let error as DiscordRESTError {
                problems = [TicketConfigProblem(.general, Self.postRefusal(error))]
            } catch {
                problems = [TicketConfigProblem(.general, "the panel could not be posted right now; try again")]
            }
        } else {
            problems = reader.problems + [TicketConfigProblem(.general, "choose a text channel")]
        }
        return DashboardResponse.html(
            DashboardPages.panelForm(
                grant.overview, panel: panel, config: grant.overview.tickets.config, problems: problems, flash: nil,
                session: grant.session),
            status: .unprocessableContent)
    }

    /// The welcome text's live preview: the same renderer as transcripts, so what the admin sees is what the
    /// transcript shows (Discord's own client renders the message itself).
    @Sendable func previewMarkdown(_ request: Request, context: Context) async throws -> Response {
        let grant = try context.requireGuild()
        try grant.require(.admin)
        let form = try await decodeForm(PreviewForm.self, request, context: context, grant: grant)
        return DashboardResponse.text(
            DiscordMarkdown().render(String((form.text ?? "").prefix(4_000))), type: "text/html; charset=utf-8",
            cacheFor: 0)
    }

    // MARK: - Helpers

    /// `base`, or `base 2`, `base 3`, … : the first that no name in `taken` already is (names are unique).
    static func unusedName(_ base: String, taken: [String]) -> String {
        let used = Set(taken.map { $0.lowercased() })
        var name = base
        var suffix = 2
        while used.contains(name.lowercased()) {
            name = "\(base) \(suffix)"
            suffix += 1
        }
        return name
    }

    /// Saves a configuration with a type or panel added; on success opens its form (`then`), else shows the
    /// overview with the problems.
    private func saveAdded(_ config: TicketConfig, grant: GuildGrant, then page: String) async -> Response {
        let problems = await save(config, formProblems: [], grant: grant)
        guard problems.isEmpty else {
            return DashboardResponse.html(
                DashboardPages.config(
                    grant.overview, values: grant.overview.tickets.config, problems: problems, flash: nil,
                    session: grant.session), status: .unprocessableContent)
        }
        return DashboardResponse.redirect(page)
    }

    private struct PreviewForm: Decodable { var text: String? }

    private func flash(_ request: Request) -> String? {
        if request.uri.queryParameters["posted"] == "1" { return "Posted." }
        return request.uri.queryParameters["saved"] == "1" ? "Saved. New tickets use these settings." : nil
    }

    private func decodeForm<Form: Decodable>(
        _ type: Form.Type, _ request: Request, context: Context, grant: GuildGrant
    ) async throws -> Form {
        do {
            return try await request.decode(as: Form.self, context: context)
        } catch {
            throw PageFailure(
                status: .badRequest,
                page: DashboardPages.error(
                    "Form not readable", "The form could not be read. Reload the page and try again.",
                    session: grant.session))
        }
    }

    /// Saves through the guild's actor; returns the problems to show (none when saved).
    private func save(
        _ config: TicketConfig, formProblems: [TicketConfigProblem], grant: GuildGrant
    ) async -> [TicketConfigProblem] {
        guard formProblems.isEmpty else { return formProblems }
        do {
            _ = try await backend.updateConfig(config, for: grant.guildID, by: grant.session.userID)
            return []
        } catch let error as TicketConfigValidationError {
            return error.problems
        } catch {
            return [TicketConfigProblem(.general, "could not be saved right now; try again in a moment")]
        }
    }

    private func existingType(_ context: Context, grant: GuildGrant) throws -> TicketType {
        guard let text = context.parameters.get("type"), let id = OutsideNumber.integer(text, in: TicketType.idRange),
            let type = grant.overview.tickets.config.existingType(id)
        else { throw notFound(grant) }
        return type
    }

    private func existingPanel(_ context: Context, grant: GuildGrant) throws -> TicketPanel {
        guard let text = context.parameters.get("panel"),
            let id = OutsideNumber.integer(text, in: TicketType.idRange),
            let panel = grant.overview.tickets.config.panel(id)
        else { throw notFound(grant) }
        return panel
    }

    private func notFound(_ grant: GuildGrant) -> PageFailure {
        PageFailure(
            status: .notFound,
            page: DashboardPages.error(
                "Not found", "That ticket type or panel does not exist (it may have been deleted).",
                session: grant.session))
    }

    static func postRefusal(_ error: DiscordRESTError) -> String {
        switch error.kind {
        case .missingPermissions, .missingAccess:
            "Aetheria cannot post there: give it View Channel, Send Messages and Embed Links in that channel."
        default: "Discord refused the panel: \(error.message)"
        }
    }
}
