/// Every message the bot builds is made to fit Discord's limits before it is sent: content, each embed field,
/// the 6,000 characters of all embeds together, 10 embeds, 25 fields, 5 rows, labels. Discord counts
/// characters as Unicode code points (`String.unicodeScalars`), not grapheme clusters (`String.count`): an
/// emoji with a skin tone is one `Character` and two code points. What does not fit is cut visibly ("…"),
/// never refused with 50035 (a welcome that Discord refused left the member a ticket without its Close button).
extension MessageRequest {
    /// What marks a cut.
    public static let cutMark = "…"

    /// This message within every limit Discord applies to it.
    public func fittingDiscordLimits() -> MessageRequest {
        var fitted = self
        fitted.content = content.map { Self.cut($0, to: Message.Limits.content) }
        if let embeds {
            fitted.embeds = Self.fit(Array(embeds.prefix(Embed.Limits.embedsPerMessage)))
        }
        fitted.components = components.map(Self.fit)
        return fitted
    }

    /// `text` in at most `limit` code points, the last one "…" when it was cut. Never splits a code point;
    /// may split a grapheme cluster (Discord counts code points, so that is what must fit).
    public static func cut(_ text: String, to limit: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        guard limit > 0 else { return "" }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars.prefix(limit - 1))
        return String(kept) + cutMark
    }

    static func length(_ text: String?) -> Int { text?.unicodeScalars.count ?? 0 }

    /// Each embed's fields within their limits, then the total within 6,000: the longest texts are shortened
    /// first (descriptions and field values), so the titles and short facts stay whole.
    static func fit(_ embeds: [Embed]) -> [Embed] {
        var embeds = embeds.map { embed in
            var embed = embed
            embed.title = embed.title.map { cut($0, to: Embed.Limits.title) }
            embed.description = embed.description.map { cut($0, to: Embed.Limits.description) }
            embed.footer = embed.footer.map {
                .init(text: cut($0.text, to: Embed.Limits.footerText), iconUrl: $0.iconUrl)
            }
            embed.author = embed.author.map {
                .init(name: cut($0.name, to: Embed.Limits.authorName), url: $0.url, iconUrl: $0.iconUrl)
            }
            embed.fields = embed.fields.map { fields in
                fields.prefix(Embed.Limits.fields).map { field in
                    var field = field
                    field.name = cut(field.name, to: Embed.Limits.fieldName)
                    field.value = cut(field.value, to: Embed.Limits.fieldValue)
                    return field
                }
            }
            return embed
        }
        let characters = embeds.reduce(0) { $0 + total(of: $1) }
        guard characters > Embed.Limits.totalCharacters else { return embeds }
        // Water-filling: the largest cap that makes the whole fit, applied to every text; the short ones (titles,
        // names, facts) stay whole and the long ones share the cut. One pass to measure, one to cut.
        var slots: [(embed: Int, slot: Slot, length: Int)] = []
        for (index, embed) in embeds.enumerated() {
            for slot in Slot.all(in: embed) {
                let count = length(slot.text(in: embed))
                if count > 0 { slots.append((index, slot, count)) }
            }
        }
        func fitted(under cap: Int) -> Int { slots.reduce(0) { $0 + min($1.length, cap) } }
        var low = 1
        var high = slots.map(\.length).max() ?? 1
        while low < high {
            let middle = (low + high + 1) / 2
            if fitted(under: middle) <= Embed.Limits.totalCharacters { low = middle } else { high = middle - 1 }
        }
        for entry in slots where entry.length > low {
            let text = entry.slot.text(in: embeds[entry.embed]) ?? ""
            entry.slot.set(cut(text, to: low), in: &embeds[entry.embed])
        }
        return embeds
    }

    /// A text of an embed that counts toward the 6,000.
    enum Slot {
        case description, fieldValue(Int), title, fieldName(Int), footer, author

        static func all(in embed: Embed) -> [Slot] {
            let fields = (embed.fields ?? []).indices
            return [.description] + fields.map(Slot.fieldValue) + [.title] + fields.map(Slot.fieldName) + [
                .footer, .author,
            ]
        }

        func text(in embed: Embed) -> String? {
            switch self {
            case .description: embed.description
            case .fieldValue(let index): embed.fields?[index].value
            case .title: embed.title
            case .fieldName(let index): embed.fields?[index].name
            case .footer: embed.footer?.text
            case .author: embed.author?.name
            }
        }

        func set(_ text: String, in embed: inout Embed) {
            switch self {
            case .description: embed.description = text
            case .fieldValue(let index): embed.fields?[index].value = text
            case .title: embed.title = text
            case .fieldName(let index): embed.fields?[index].name = text
            case .footer: embed.footer?.text = text
            case .author: embed.author?.name = text
            }
        }
    }

    /// The characters Discord counts toward the 6,000 of a message's embeds.
    public static func total(of embed: Embed) -> Int {
        length(embed.title) + length(embed.description) + length(embed.footer?.text) + length(embed.author?.name)
            + (embed.fields ?? []).reduce(0) { $0 + length($1.name) + length($1.value) }
    }

    /// Rows, buttons and select options within their counts; labels, placeholders and options within their lengths.
    static func fit(_ rows: [Component]) -> [Component] {
        rows.prefix(Message.Limits.actionRows).map { row in
            var row = row
            row.components = row.components.map { children in
                children.prefix(Message.Limits.buttonsPerRow).map { child in
                    var child = child
                    child.label = child.label.map { cut($0, to: Message.Limits.buttonLabel) }
                    child.placeholder = child.placeholder.map { cut($0, to: 150) }
                    child.options = child.options.map { options in
                        options.prefix(25).map { option in
                            var option = option
                            option.label = cut(option.label, to: 100)
                            option.description = option.description.map { cut($0, to: 100) }
                            return option
                        }
                    }
                    return child
                }
            }
            return row
        }
    }
}

extension InteractionResponse.Modal {
    /// The modal within Discord's limits: a 45-character title, five rows, 45-character labels.
    public func fittingDiscordLimits() -> InteractionResponse.Modal {
        var fitted = self
        fitted.title = MessageRequest.cut(title, to: 45)
        fitted.components = Array(components.prefix(5)).map { row in
            var row = row
            row.components = row.components?.map { input in
                var input = input
                input.label = input.label.map { MessageRequest.cut($0, to: 45) }
                input.placeholder = input.placeholder.map { MessageRequest.cut($0, to: 100) }
                input.value = input.value.map { MessageRequest.cut($0, to: 4_000) }
                return input
            }
            return row
        }
        return fitted
    }
}
