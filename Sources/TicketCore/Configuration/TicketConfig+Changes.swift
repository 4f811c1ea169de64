public import DiscordModels

extension TicketConfig {
    /// The change from `old` to `new` in words an admin reads in the moderation log and the dashboard's
    /// audit, with names rather than IDs where the guild knows them: one line per changed field, type or panel.
    public static func describeChanges(
        from old: TicketConfig, to new: TicketConfig, in guild: GuildSnapshot
    )
        -> [String]
    {
        let changes = ChangeList(guild: guild)
        for type in new.types {
            guard let before = old.existingType(type.id) else {
                changes.lines.append("Type added: **\(type.name)**")
                continue
            }
            changes.compare(type: before, with: type)
        }
        for type in old.types where new.existingType(type.id) == nil {
            changes.lines.append("Type removed: **\(type.name)**")
        }
        if old.types.map(\.id) != new.types.map(\.id), Set(old.types.map(\.id)) == Set(new.types.map(\.id)) {
            changes.lines.append("Type order: \(new.types.map(\.name).joined(separator: ", "))")
        }
        for panel in new.panels {
            guard let before = old.panel(panel.id) else {
                changes.lines.append("Panel added: **\(panel.name)**")
                continue
            }
            changes.compare(panel: before, with: panel, types: new)
        }
        for panel in old.panels where new.panel(panel.id) == nil {
            changes.lines.append("Panel removed: **\(panel.name)**")
        }
        for kind in LogRouting.Kind.allCases {
            changes.note("Log · \(kind.title)", old.logRouting[kind], new.logRouting[kind], changes.channel)
        }
        for entry in new.access.blocked where old.access.entry(memberID: entry.memberID, roleID: entry.roleID) == nil {
            changes.lines.append("Blocked: \(entry.mention)" + (entry.reason.isEmpty ? "" : " (\(entry.reason))"))
        }
        for entry in old.access.blocked where new.access.entry(memberID: entry.memberID, roleID: entry.roleID) == nil {
            changes.lines.append("Unblocked: \(entry.mention)")
        }
        changes.note(
            "New tickets per 10 minutes, whole server", old.access.openingsPerWindow, new.access.openingsPerWindow
        ) {
            $0 == 0 ? "no limit" : "\($0)"
        }
        return changes.lines
    }
}

/// Collects the change lines of `describeChanges`.
private final class ChangeList {
    let guild: GuildSnapshot
    var lines: [String] = []

    init(guild: GuildSnapshot) {
        self.guild = guild
    }

    func role(_ id: RoleID) -> String { "@" + (guild.role(id).map(guild.name(of:)) ?? "\(id)") }
    func channel(_ id: ChannelID?) -> String {
        id.map { "#" + (guild.channel($0).map(guild.name(of:)) ?? "\($0)") } ?? "none"
    }

    func note<Value: Equatable>(_ label: String, _ old: Value, _ new: Value, _ show: (Value) -> String) {
        if old != new { lines.append("\(label): \(show(old)) → \(show(new))") }
    }

    func compare(type old: TicketType, with new: TicketType) {
        let prefix = "Type **\(new.name)**"
        note("\(prefix) · name", old.name, new.name) { $0 }
        note("\(prefix) · emoji", old.emoji, new.emoji) { $0 ?? "none" }
        note("\(prefix) · description", old.summary, new.summary) { $0.isEmpty ? "none" : "“\($0)”" }
        note("\(prefix) · staff roles", old.staffRoleIDs, new.staffRoleIDs) {
            $0.isEmpty ? "none" : $0.map(role).joined(separator: ", ")
        }
        note("\(prefix) · categories", old.categoryIDs, new.categoryIDs) {
            $0.isEmpty ? "none" : $0.map { channel($0) }.joined(separator: ", ")
        }
        note("\(prefix) · name template", old.nameTemplate, new.nameTemplate) { "`\($0)`" }
        if old.welcomeText != new.welcomeText { lines.append("\(prefix) · welcome text changed") }
        note("\(prefix) · open tickets per member", old.maximumOpenTicketsPerUser, new.maximumOpenTicketsPerUser) {
            "\($0)"
        }
        note("\(prefix) · cooldown", old.openCooldownSeconds, new.openCooldownSeconds) { "\($0) s" }
        note("\(prefix) · who can close", old.closePolicy, new.closePolicy) { $0.rawValue }
        note("\(prefix) · when claimed", old.claimMode, new.claimMode) { $0.rawValue }
        note("\(prefix) · delete delay", old.deleteDelaySeconds, new.deleteDelaySeconds) { "\($0) s" }
        note("\(prefix) · stale after", old.staleAfterHours, new.staleAfterHours) { "\($0) h" }
        note("\(prefix) · close reason", old.closeReasonPrompt, new.closeReasonPrompt) { $0.rawValue }
        note("\(prefix) · transcript sent to the member", old.sendsTranscriptToOpener, new.sendsTranscriptToOpener) {
            $0 ? "yes" : "no"
        }
        note("\(prefix) · when the member leaves", old.whenOpenerLeaves, new.whenOpenerLeaves) { $0.rawValue }
        note("\(prefix) · members rate their tickets", old.asksForFeedback, new.asksForFeedback) { $0 ? "yes" : "no" }
        note(
            "\(prefix) · unanswered close requests close after", old.closeRequestTimeoutHours,
            new.closeRequestTimeoutHours
        ) {
            $0 == 0 ? "never" : "\($0) h"
        }
        note(
            "\(prefix) · silent tickets close after the reminder", old.autoCloseAfterReminderHours,
            new.autoCloseAfterReminderHours
        ) {
            $0 == 0 ? "never" : "\($0) h"
        }
        note("\(prefix) · questions", old.questions, new.questions) {
            $0.isEmpty ? "none" : $0.map { "“\($0.label)”" }.joined(separator: ", ")
        }
    }

    func compare(panel old: TicketPanel, with new: TicketPanel, types: TicketConfig) {
        let prefix = "Panel **\(new.name)**"
        note("\(prefix) · name", old.name, new.name) { $0 }
        note("\(prefix) · title", old.title, new.title) { "“\($0)”" }
        if old.text != new.text { lines.append("\(prefix) · text changed") }
        note("\(prefix) · colour", old.colour, new.colour) { TicketPanel.hexColour($0) }
        note("\(prefix) · image", old.imageURL, new.imageURL) { $0 ?? "none" }
        note("\(prefix) · layout", old.layout, new.layout) { $0.rawValue }
        note("\(prefix) · types", old.typeIDs, new.typeIDs) {
            $0.map { types.existingType($0)?.name ?? "#\($0)" }.joined(separator: ", ")
        }
    }
}

extension TicketPanel {
    /// `#5865F2` for 0x5865F2.
    public static func hexColour(_ colour: Int) -> String {
        let digits = String(min(max(colour, 0), 0xFF_FFFF), radix: 16, uppercase: true)
        return "#" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
