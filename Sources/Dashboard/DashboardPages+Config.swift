import DiscordModels
import Foundation
import TicketCore
import Transcripts

/// The configuration pages: the overview (types, panels, moderation log), a type's form and a panel's form.
/// Lists show names, never IDs; every problem is shown beside its field.
extension DashboardPages {
    /// What the configuration pages need to name roles and channels.
    struct GuildNames {
        let discord: GuildSnapshot?
        let guildID: GuildID

        var roles: [(String, String)] {
            (discord?.roles ?? []).filter { $0.id.rawValue != guildID.rawValue }.sorted { $0.position > $1.position }
                .map { ($0.id.description, "@" + (discord?.name(of: $0) ?? "")) }
        }
        var categories: [(String, String)] {
            (discord?.channels ?? []).filter { $0.type == UInt8(ChannelType.guildCategory.rawValue) }
                .sorted { $0.position < $1.position }.map { ($0.id.description, discord?.name(of: $0) ?? "") }
        }
        var textChannels: [(String, String)] {
            (discord?.channels ?? []).filter { $0.type == UInt8(ChannelType.guildText.rawValue) }
                .sorted { $0.position < $1.position }.map { ($0.id.description, "#" + (discord?.name(of: $0) ?? "")) }
        }
        func role(_ id: RoleID) -> String {
            "@" + (discord?.role(id).map { discord?.name(of: $0) ?? "" } ?? "deleted role")
        }
        func channel(_ id: ChannelID) -> String {
            discord?.channel(id).map { "#" + (discord?.name(of: $0) ?? "") } ?? "deleted channel"
        }
        /// Categories are shown as Discord's channel list shows them: by name, without a `#`.
        func category(_ id: ChannelID) -> String {
            discord?.channel(id).map { discord?.name(of: $0) ?? "" } ?? "deleted category"
        }
    }

    static func problems(
        _ problems: [TicketConfigProblem], _ field: TicketConfigProblem.Field
    ) -> String {
        problems.filter { $0.field == field }.map { "<div class=error>\(HTMLEscaping.escape($0.message))</div>" }
            .joined()
    }

    static func options(_ items: [(String, String)], selected: Set<String>) -> String {
        items.map { value, label in
            "<option value=\"\(HTMLEscaping.escape(value))\"\(selected.contains(value) ? " selected" : "")>\(HTMLEscaping.escape(label))</option>"
        }.joined()
    }

    /// A labelled one-line text input.
    static func textField(_ name: String, _ label: String, _ value: String, max: Int) -> String {
        "<label for=\(name)>\(label)</label>"
            + "<input id=\(name) name=\(name) maxlength=\(max) value=\"\(HTMLEscaping.escape(value))\">"
    }

    static func csrf(_ session: DashboardSessions.Session) -> String {
        "<input type=hidden name=csrf value=\"\(session.csrfToken)\">"
    }

    // MARK: - Overview

    static func config(
        _ overview: GuildTicketsOverview, values: TicketConfig, problems: [TicketConfigProblem], flash: String?,
        session: DashboardSessions.Session
    ) -> String {
        let id = overview.guildID
        let names = GuildNames(discord: overview.discord, guildID: id)
        var body = "<h1>\(HTMLEscaping.escape(name(of: overview)))</h1>" + tabs(id, access: .admin)
        if let flash { body += "<p class=flash>\(HTMLEscaping.escape(flash))</p>" }
        body += Self.problems(problems, .general)
        body += "<div class=card><h2>Ticket types</h2><table><thead><tr><th>Type</th><th>Staff</th><th>Categories</th>"
        body += "<th>Questions</th><th></th></tr></thead><tbody>"
        for type in values.types {
            let staff = type.staffRoleIDs.map(names.role).joined(separator: ", ")
            let categories = type.categoryIDs.map(names.category).joined(separator: " → ")
            body += "<tr><td>\(HTMLEscaping.escape((type.emoji.map { $0 + " " } ?? "") + type.name))</td>"
            body += "<td>\(HTMLEscaping.escape(staff.isEmpty ? "administrators only" : staff))</td>"
            body += "<td>\(HTMLEscaping.escape(categories.isEmpty ? "top of the channel list" : categories))</td>"
            body +=
                "<td>\(type.questions.count)</td><td><a href=\"/guilds/\(id)/config/types/\(type.id)\">Edit</a></td></tr>"
        }
        body += "</tbody></table>"
        if values.types.count < TicketConfig.maximumTypes {
            body += "<form method=post action=\"/guilds/\(id)/config/types\">\(csrf(session))"
            body += "<p><button type=submit>Add a ticket type</button></p></form>"
        }
        body += "</div><div class=card><h2>Panels</h2><table><thead><tr><th>Panel</th><th>Layout</th><th>Offers</th>"
        body += "<th>Posted in</th><th></th></tr></thead><tbody>"
        for panel in values.panels {
            let offers = panel.typeIDs.compactMap(values.existingType).map(\.name).joined(separator: ", ")
            let placed = overview.tickets.panelPlacements.filter { $0.panelID == panel.id }.map {
                names.channel($0.channelID)
            }
            body += "<tr><td>\(HTMLEscaping.escape(panel.name))</td>"
            body += "<td>\(panel.layout == .buttons ? "buttons" : "select menu")</td>"
            body += "<td>\(HTMLEscaping.escape(offers))</td>"
            body += "<td>\(HTMLEscaping.escape(placed.isEmpty ? "not posted" : placed.joined(separator: ", ")))</td>"
            body += "<td><a href=\"/guilds/\(id)/config/panels/\(panel.id)\">Edit</a></td></tr>"
        }
        body += "</tbody></table>"
        if values.panels.count < TicketPanel.maximumPanels {
            body += "<form method=post action=\"/guilds/\(id)/config/panels\">\(csrf(session))"
            body += "<p><button type=submit>Add a panel</button></p></form>"
        }
        body += "</div><form class=card method=post action=\"/guilds/\(id)/config\">\(csrf(session))"
        body += "<h2>Moderation log</h2><p class=hint>Each kind of event can go to its own channel, or nowhere.</p>"
        for kind in LogRouting.Kind.allCases {
            let input = LogRoutingForm.inputName(kind)
            body += "<label for=\(input)>\(kind.title)</label><select id=\(input) name=\(input)>"
            body += options(
                [("", "— not logged —")] + names.textChannels,
                selected: [values.logRouting[kind]?.description ?? ""])
            body += "</select>"
        }
        body += Self.problems(problems, .logChannel)
        body += "<p><button type=submit>Save</button></p></form>"
        body += accessForm(values.access, id: id, names: names, problems: problems, session: session)
        return layout("Configuration", session: session, body: body)
    }

    /// The blocklist (staff also change it with `/ticket block`) and the guild-wide openings limit.
    static func accessForm(
        _ access: TicketAccess, id: GuildID, names: GuildNames, problems: [TicketConfigProblem],
        session: DashboardSessions.Session
    ) -> String {
        var body = "<form class=card method=post action=\"/guilds/\(id)/config/access\">\(csrf(session))"
        body += "<h2>Who may open tickets</h2>"
        body += "<label for=openings_limit>New tickets per 10 minutes, whole server (0: no limit)</label>"
        body += "<input id=openings_limit name=openings_limit type=number min=\(TicketAccess.openingsRange.lowerBound) "
        body += "max=\(TicketAccess.openingsRange.upperBound) value=\(access.openingsPerWindow)>"
        body +=
            "<p class=hint>Protects the staff from raids: beyond it, members are asked to wait, and the log says so once.</p>"
        body += Self.problems(problems, .openingsLimit)
        body += "<h3>Blocklist</h3>"
        if access.blocked.isEmpty {
            body += "<p>Nobody is blocked.</p>"
        } else {
            body += "<table><thead><tr><th>Blocked</th><th>Reason</th><th>By</th><th>Since</th><th>Remove</th></tr>"
            body += "</thead><tbody>"
            for entry in access.blocked {
                let who =
                    entry.memberID.map { id in entry.memberName.map { "\($0) (\(id))" } ?? "User \(id)" }
                    ?? entry.roleID.map(names.role) ?? "?"
                let by = entry.addedByName ?? entry.addedBy.map { "User \($0)" } ?? "—"
                body += "<tr><td>\(HTMLEscaping.escape(who))</td><td>\(HTMLEscaping.escape(entry.reason))</td>"
                body += "<td>\(HTMLEscaping.escape(by))</td>"
                body += "<td>\(HTMLEscaping.escape(date(entry.addedAt)))</td>"
                let value = AccessForm.removalValue(entry)
                body +=
                    "<td><input type=checkbox name=\"unblock[]\" value=\"\(value)\" aria-label=\"Remove \(HTMLEscaping.escape(who))\"></td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<label for=block_member>Block a member (name, @mention or user ID)</label>"
        body += "<input id=block_member name=block_member maxlength=100 autocomplete=off>"
        body += "<div class=hint>The start of a name is enough when only one member's name starts with it.</div>"
        body += "<label for=block_role>…or a role</label><select id=block_role name=block_role>"
        body += options([("", "— no role —")] + names.roles, selected: [])
        body += "</select><label for=block_reason>Reason (the member is told)</label>"
        body += "<input id=block_reason name=block_reason maxlength=\(TicketAccess.reasonLength.upperBound)>"
        body += Self.problems(problems, .blocklist)
        body += "<p><button type=submit>Save</button></p></form>"
        return body
    }

    // MARK: - A type

    static func typeForm(
        _ overview: GuildTicketsOverview, type: TicketType, problems: [TicketConfigProblem], flash: String?,
        session: DashboardSessions.Session
    ) -> String {
        let id = overview.guildID
        let names = GuildNames(discord: overview.discord, guildID: id)
        let action = "/guilds/\(id)/config/types/\(type.id)"
        var body = "<h1>\(HTMLEscaping.escape(name(of: overview)))</h1>" + tabs(id, access: .admin)
        body += "<p><a href=\"/guilds/\(id)/config\">← Configuration</a></p>"
        if let flash { body += "<p class=flash>\(HTMLEscaping.escape(flash))</p>" }
        body += Self.problems(problems, .general)
        body += "<form class=card method=post action=\"\(action)\">\(csrf(session))<h2>Ticket type</h2>"
        func text(_ name: String, _ label: String, _ value: String, _ field: TicketConfigProblem.Field, max: Int) {
            body += textField(name, label, value, max: max) + Self.problems(problems, field)
        }
        text("name", "Name", type.name, .name, max: TicketType.nameLength.upperBound)
        text("emoji", "Emoji (one, or empty)", type.emoji ?? "", .emoji, max: 8)
        text("summary", "Description (shown in select menus)", type.summary, .summary, max: 100)
        body += "<label for=staff_roles>Support staff roles</label>"
        body += "<select id=staff_roles name=\"staff_roles[]\" multiple size=6>"
        body += options(names.roles, selected: Set(type.staffRoleIDs.map(\.description))) + "</select>"
        body += "<div class=hint>Members with any of these roles see and answer these tickets.</div>"
        body += Self.problems(problems, .staffRoles)
        body += "<label for=category_1>Categories, in order</label>"
        for slot in 0..<TicketType.maximumCategories {
            let selected = type.categoryIDs.indices.contains(slot) ? type.categoryIDs[slot].description : ""
            let none = slot == 0 ? "— top of the channel list —" : "— no overflow —"
            body += "<select id=category_\(slot + 1) name=\"categories[]\" aria-label=\"Category \(slot + 1)\">"
            body += options([("", none)] + names.categories, selected: [selected]) + "</select> "
        }
        body += "<div class=hint>When one category holds Discord's 50 channels, tickets go to the next.</div>"
        body += Self.problems(problems, .categories)
        body += "<label for=name_template>Channel name template</label>"
        body +=
            "<input id=name_template name=name_template maxlength=90 value=\"\(HTMLEscaping.escape(type.nameTemplate))\">"
        body += "<div class=hint>Use {username}, {number} and {type}. Preview: <code id=name-preview>"
        body += HTMLEscaping.escape(
            TicketChannelName.render(template: type.nameTemplate, username: "alice", number: 42, typeName: type.name))
        body += "</code></div>" + Self.problems(problems, .nameTemplate)
        body += "<label for=welcome_text>Welcome message (Discord markdown; empty for the standard one)</label>"
        body += "<textarea id=welcome_text name=welcome_text rows=5 maxlength=2000>"
        body += HTMLEscaping.escape(type.welcomeText ?? "") + "</textarea>"
        body += "<div class=hint>Preview:</div><div class=preview id=welcome-preview>"
        body += DiscordMarkdown().render(type.welcomeText ?? "") + "</div>" + Self.problems(problems, .welcomeText)
        func number(
            _ name: String, _ label: String, _ value: Int, _ range: ClosedRange<Int>, _ field: TicketConfigProblem.Field
        ) {
            body += "<label for=\(name)>\(label)</label><input id=\(name) name=\(name) type=number "
            body += "min=\(range.lowerBound) max=\(range.upperBound) value=\(value)>" + Self.problems(problems, field)
        }
        number(
            "maximum_open", "Open tickets of this type per member", type.maximumOpenTicketsPerUser,
            TicketType.openTicketLimitRange, .maximumOpenTickets)
        number(
            "cooldown", "Cooldown after a member's last ticket (seconds)", type.openCooldownSeconds,
            TicketType.cooldownRange, .openCooldown)
        number(
            "delete_delay", "Delete closed channels after (seconds)", type.deleteDelaySeconds,
            TicketType.deleteDelayRange, .deleteDelay)
        number(
            "stale_after", "Remind idle tickets after (hours)", type.staleAfterHours, TicketType.staleAfterRange,
            .staleAfter)
        number(
            "auto_close_after", "Close still-silent tickets this many hours after the reminder (0: never)",
            type.autoCloseAfterReminderHours, TicketType.autoCloseAfterReminderRange, .autoCloseAfterReminder)
        number(
            "close_request_timeout", "Close unanswered close requests after (hours, 0: never)",
            type.closeRequestTimeoutHours, TicketType.closeRequestTimeoutRange, .closeRequestTimeout)
        body += "<label for=close_policy>Who can close tickets</label><select id=close_policy name=close_policy>"
        body += options(
            [("opener_and_staff", "The member who opened it, and staff"), ("staff_only", "Staff only")],
            selected: [type.closePolicy.rawValue])
        body += "</select><label for=claim_mode>When a staff member claims a ticket (/ticket claim)</label>"
        body += "<select id=claim_mode name=claim_mode>"
        body += options(
            TicketType.ClaimMode.allCases.map { ($0.rawValue, $0.label) }, selected: [type.claimMode.rawValue])
        body += "</select><label for=close_reason>When the Close button is clicked</label>"
        body += "<select id=close_reason name=close_reason>"
        body += options(
            TicketType.CloseReasonPrompt.allCases.map { ($0.rawValue, $0.label) },
            selected: [type.closeReasonPrompt.rawValue])
        body += "</select><h2>When a ticket closes</h2>"
        body += "<label><input type=checkbox name=dm_transcript\(type.sendsTranscriptToOpener ? " checked" : "")> "
        body += "Send the member their transcript by DM (an HTML file)</label>"
        body += "<label><input type=checkbox name=ask_feedback\(type.asksForFeedback ? " checked" : "")> "
        body += "Ask the member to rate the ticket from 1 to 5 by DM</label>"
        body += "<label for=when_opener_leaves>When the member who opened a ticket leaves the server</label>"
        body += "<select id=when_opener_leaves name=when_opener_leaves>"
        body += options(
            TicketType.OpenerLeftAction.allCases.map { ($0.rawValue, $0.label) },
            selected: [type.whenOpenerLeaves.rawValue])
        body += "</select><p class=hint>Needs member events (the Server Members intent, "
        body += "<code>discord.memberEvents</code>).</p>"
        body += "<p class=hint>Members who do not accept DMs are skipped. Each transcript is also posted to the "
        body +=
            "transcripts channel chosen on the settings page, if any.</p><h2>Questions</h2><p class=hint>Asked in a form before the ticket opens (at most five; "
        body += "leave a question empty to remove it). Answers appear in the ticket, its transcript and the log.</p>"
        body += "<table><thead><tr><th>Question</th><th>Style</th><th>Required</th><th>Min</th><th>Max</th>"
        body += "<th>Placeholder</th></tr></thead><tbody>"
        for slot in 0..<TicketType.maximumQuestions {
            let question = type.questions.indices.contains(slot) ? type.questions[slot] : nil
            body += "<tr><td><input name=\"question_label[]\" maxlength=45 aria-label=\"Question \(slot + 1)\" "
            body += "value=\"\(HTMLEscaping.escape(question?.label ?? ""))\"></td>"
            body += "<td><select name=\"question_style[]\" aria-label=\"Style of question \(slot + 1)\">"
            body += options(
                [("short", "short"), ("paragraph", "paragraph")], selected: [question?.style.rawValue ?? "short"])
            body += "</select></td><td><input type=checkbox name=\"question_required[]\" value=\(slot)"
            body += "\(question?.required ?? true ? " checked" : "") aria-label=\"Question \(slot + 1) required\"></td>"
            body +=
                "<td><input type=number name=\"question_min[]\" min=0 max=4000 value=\(question?.minimumLength ?? 0)"
            body += " aria-label=\"Minimum length of question \(slot + 1)\"></td>"
            body += "<td><input type=number name=\"question_max[]\" min=1 max=4000 "
            body +=
                "value=\(question?.maximumLength ?? 1_000) aria-label=\"Maximum length of question \(slot + 1)\"></td>"
            body += "<td><input name=\"question_placeholder[]\" maxlength=100 aria-label=\"Placeholder of question "
            body += "\(slot + 1)\" value=\"\(HTMLEscaping.escape(question?.placeholder ?? ""))\"></td></tr>"
        }
        body += "</tbody></table>" + Self.problems(problems, .questions)
        body += "<p><button type=submit>Save</button></p></form>"
        body += "<form class=card method=post action=\"\(action)/delete\">\(csrf(session))<h2>Delete this type</h2>"
        body += "<p class=hint>Open tickets of this type keep working with the first type's settings.</p>"
        body += "<p><button type=submit class=danger>Delete “\(HTMLEscaping.escape(type.name))”</button></p></form>"
        return layout("Ticket type", session: session, body: body)
    }

    // MARK: - A panel

    static func panelForm(
        _ overview: GuildTicketsOverview, panel: TicketPanel, config: TicketConfig, problems: [TicketConfigProblem],
        flash: String?, session: DashboardSessions.Session
    ) -> String {
        let id = overview.guildID
        let names = GuildNames(discord: overview.discord, guildID: id)
        let action = "/guilds/\(id)/config/panels/\(panel.id)"
        var body = "<h1>\(HTMLEscaping.escape(name(of: overview)))</h1>" + tabs(id, access: .admin)
        body += "<p><a href=\"/guilds/\(id)/config\">← Configuration</a></p>"
        if let flash { body += "<p class=flash>\(HTMLEscaping.escape(flash))</p>" }
        body += Self.problems(problems, .general)
        body += "<form class=card method=post action=\"\(action)\">\(csrf(session))<h2>Panel</h2>"
        func text(_ name: String, _ label: String, _ value: String, _ field: TicketConfigProblem.Field, max: Int) {
            body += textField(name, label, value, max: max) + Self.problems(problems, field)
        }
        text("name", "Name (for admins: /ticket-setup lists it)", panel.name, .name, max: 45)
        text("title", "Title", panel.title, .title, max: 256)
        body += "<label for=text>Text (Discord markdown)</label><textarea id=text name=text rows=4 maxlength=4000>"
        body += HTMLEscaping.escape(panel.text) + "</textarea>" + Self.problems(problems, .text)
        body += "<label for=colour>Colour</label><input id=colour name=colour type=color "
        body += "value=\"\(TicketPanel.hexColour(panel.colour).lowercased())\">" + Self.problems(problems, .colour)
        text("image_url", "Image (https:// address, optional)", panel.imageURL ?? "", .imageURL, max: 2_048)
        body += "<label for=layout>Members choose with</label><select id=layout name=layout>"
        body += options(
            [("buttons", "a button per type"), ("select_menu", "a select menu")], selected: [panel.layout.rawValue])
        body += "</select><fieldset><legend>Ticket types offered</legend>"
        for type in config.types {
            let checked = panel.typeIDs.contains(type.id) ? " checked" : ""
            body += "<label><input type=checkbox name=\"types[]\" value=\(type.id)\(checked)> "
            body += HTMLEscaping.escape((type.emoji.map { $0 + " " } ?? "") + type.name) + "</label>"
        }
        body += "</fieldset>" + Self.problems(problems, .panelTypes)
        body += "<p><button type=submit>Save</button> <span class=hint>Posted copies are updated.</span></p></form>"
        body += "<form class=card method=post action=\"\(action)/post\">\(csrf(session))<h2>Post this panel</h2>"
        body += "<label for=channel>Channel</label><select id=channel name=channel>"
        body += options(names.textChannels, selected: []) + "</select>"
        let placed = overview.tickets.panelPlacements.filter { $0.panelID == panel.id }
        if !placed.isEmpty {
            body +=
                "<p class=hint>Posted in "
                + placed.map { HTMLEscaping.escape(names.channel($0.channelID)) }
                .joined(separator: ", ") + ".</p>"
        }
        body += "<p><button type=submit>Post</button></p></form>"
        body += "<form class=card method=post action=\"\(action)/delete\">\(csrf(session))<h2>Delete this panel</h2>"
        body += "<p class=hint>Posted copies lose their buttons.</p>"
        body += "<p><button type=submit class=danger>Delete “\(HTMLEscaping.escape(panel.name))”</button></p></form>"
        return layout("Panel", session: session, body: body)
    }
}
