import DiscordModels
import Foundation

/// The message fields of a create/edit/interaction-response body, validated the way Discord validates them.
package struct MessageDraft: Sendable {
    var content: String?
    var embeds: [Embed]?
    var components: [Component]?
    var flags: MessageFlags?
    var nonce: String?
    /// `enforce_nonce`: an earlier message with the same nonce is returned instead of a new one.
    var enforceNonce = false
    var tts = false
    var replyTo: MessageID?

    var isEmpty: Bool {
        (content ?? "").isEmpty && (embeds ?? []).isEmpty && (components ?? []).isEmpty
    }

    /// Flags a message may be created with; interaction responses may also be ephemeral.
    static func allowedFlags(forInteraction: Bool) -> MessageFlags {
        var flags: MessageFlags = [.suppressEmbeds, .suppressNotifications, .isVoiceMessage, .isComponentsV2]
        if forInteraction { flags.insert(.ephemeral) }
        return flags
    }

    /// Reads and validates `body`, collecting every problem at its path.
    package static func parse(
        _ body: [String: JSONValue], forInteraction: Bool, validator: inout FormValidator
    ) -> MessageDraft {
        var draft = MessageDraft()
        draft.content = validator.string(body["content"], at: "content", length: 0...Message.Limits.content)
        draft.tts = validator.bool(body["tts"], at: "tts") ?? false
        if let nonce = body["nonce"], !nonce.isNull {
            if let string = nonce.stringValue {
                if string.count > Message.Limits.nonce {
                    validator.fail("nonce", code: "BASE_TYPE_BAD_LENGTH", message: "Must be 25 or fewer in length.")
                }
                draft.nonce = string
            } else if let integer = nonce.intValue {
                draft.nonce = String(integer)
            } else {
                validator.fail("nonce", code: "BASE_TYPE_STRING", message: "Could not interpret nonce.")
            }
        }
        if let enforce = body["enforce_nonce"], !enforce.isNull {
            if case .bool(let value) = enforce {
                draft.enforceNonce = value
            } else {
                validator.fail("enforce_nonce", code: "BASE_TYPE_BOOLEAN", message: "Must be either true or false.")
            }
        }
        if let flags = validator.integer(body["flags"], at: "flags") {
            let requested = MessageFlags(rawValue: flags)
            if !allowedFlags(forInteraction: forInteraction).isSuperset(of: requested) {
                validator.fail("flags", code: "MESSAGE_FLAGS_INVALID", message: "Invalid flags")
            }
            draft.flags = requested
        }
        if let embeds = validator.array(body["embeds"], at: "embeds", maximumCount: Embed.Limits.embedsPerMessage) {
            draft.embeds = validateEmbeds(embeds, validator: &validator)
        }
        if let rows = validator.array(body["components"], at: "components", maximumCount: Message.Limits.actionRows) {
            draft.components = numbered(validateComponents(rows, validator: &validator))
        }
        if let reference = validator.object(body["message_reference"], at: "message_reference") {
            draft.replyTo = validator.snowflake(reference["message_id"], at: "message_reference.message_id")
                .map({ MessageID($0) })
        }
        return draft
    }

    /// Gives every component without an `id` the next free number, depth first from 1, as Discord does
    /// ("if not specified, generated sequentially"); ids the request chose are kept.
    static func numbered(_ rows: [Component]) -> [Component] {
        var taken = Set<Int>()
        func collect(_ components: [Component]) {
            for component in components {
                if let id = component.id { taken.insert(id) }
                collect(component.components ?? [])
            }
        }
        collect(rows)
        var next = 1
        func number(_ components: [Component]) -> [Component] {
            components.map { component in
                var component = component
                if component.id == nil {
                    while taken.contains(next) { next += 1 }
                    component.id = next
                    taken.insert(next)
                }
                component.components = component.components.map(number)
                return component
            }
        }
        return number(rows)
    }

    private static func validateEmbeds(_ values: [JSONValue], validator: inout FormValidator) -> [Embed] {
        var embeds: [Embed] = []
        var total = 0
        for (index, value) in values.enumerated() {
            let path = "embeds.\(index)"
            guard let object = validator.object(value, at: path) else { continue }
            let title = validator.string(object["title"], at: "\(path).title", length: 0...Embed.Limits.title)
            let description = validator.string(
                object["description"], at: "\(path).description", length: 0...Embed.Limits.description)
            _ = validator.string(object["url"], at: "\(path).url", length: 0...2048)
            _ = validator.integer(object["color"], at: "\(path).color", range: 0...0xFFFFFF)
            total += (title ?? "").trimmed.unicodeScalars.count + (description ?? "").trimmed.unicodeScalars.count
            if let footer = validator.object(object["footer"], at: "\(path).footer") {
                let text = validator.string(
                    footer["text"], at: "\(path).footer.text", length: 1...Embed.Limits.footerText, required: true)
                total += (text ?? "").trimmed.unicodeScalars.count
            }
            if let author = validator.object(object["author"], at: "\(path).author") {
                let name = validator.string(
                    author["name"], at: "\(path).author.name", length: 1...Embed.Limits.authorName, required: true)
                total += (name ?? "").trimmed.unicodeScalars.count
            }
            if let fields = validator.array(object["fields"], at: "\(path).fields", maximumCount: Embed.Limits.fields) {
                for (fieldIndex, field) in fields.enumerated() {
                    let fieldPath = "\(path).fields.\(fieldIndex)"
                    guard let fieldObject = validator.object(field, at: fieldPath) else { continue }
                    let name = validator.string(
                        fieldObject["name"], at: "\(fieldPath).name", length: 1...Embed.Limits.fieldName, required: true
                    )
                    let fieldValue = validator.string(
                        fieldObject["value"], at: "\(fieldPath).value", length: 1...Embed.Limits.fieldValue,
                        required: true)
                    total += (name ?? "").trimmed.unicodeScalars.count + (fieldValue ?? "").trimmed.unicodeScalars.count
                }
            }
            if var embed = value.decoded(as: Embed.self) {
                embed.type = "rich"
                // Discord answers every field with its `inline`, false unless asked for.
                embed.fields = embed.fields?.map { field in
                    var field = field
                    field.inline = field.inline ?? false
                    return field
                }
                embeds.append(embed)
            }
        }
        if total > Embed.Limits.totalCharacters {
            validator.fail(
                "embeds", code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000")
        }
        return embeds
    }

    private static func validateComponents(_ rows: [JSONValue], validator: inout FormValidator) -> [Component] {
        var customIDs = Set<String>()
        for (rowIndex, row) in rows.enumerated() {
            let rowPath = "components.\(rowIndex)"
            guard let rowObject = validator.object(row, at: rowPath) else { continue }
            guard rowObject["type"]?.intValue == ComponentType.actionRow.rawValue else {
                validator.fail(
                    "\(rowPath).type", code: "UNION_TYPE_CHOICES",
                    message: "Value of field \"type\" must be one of (1,).")
                continue
            }
            guard let children = validator.array(rowObject["components"], at: "\(rowPath).components", required: true)
            else { continue }
            if children.isEmpty || children.count > Message.Limits.buttonsPerRow {
                validator.fail(
                    "\(rowPath).components", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 5 in length."
                )
            }
            let selects = children.filter { ComponentType(rawValue: $0["type"]?.intValue ?? 0).isSelect }
            if !selects.isEmpty && children.count > 1 {
                validator.fail(
                    "\(rowPath).components", code: "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    message: "The specified component exceeds the maximum width")
            }
            for (index, child) in children.enumerated() {
                let path = "\(rowPath).components.\(index)"
                guard let object = validator.object(child, at: path) else { continue }
                let type = ComponentType(rawValue: object["type"]?.intValue ?? 0)
                if type == .button {
                    validateButton(object, at: path, customIDs: &customIDs, validator: &validator)
                } else if type.isSelect {
                    if type == .stringSelect {
                        ComponentValidator.validateStringSelect(object, at: path, validator: &validator)
                    }
                    let customID = validator.string(
                        object["custom_id"], at: "\(path).custom_id", length: 1...Message.Limits.customId,
                        required: true)
                    if let customID, !customIDs.insert(customID).inserted {
                        validator.fail(
                            "\(path).custom_id", code: "COMPONENT_CUSTOM_ID_DUPLICATED",
                            message: "Component custom id cannot be duplicated")
                    }
                } else {
                    validator.fail(
                        "\(path).type", code: "UNION_TYPE_CHOICES",
                        message: "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8).")
                }
            }
        }
        return rows.compactMap { $0.decoded(as: Component.self) }.map(withDiscordDefaults)
    }

    /// What Discord fills in a component it stores: a select's `min_values` and `max_values` default to 1.
    private static func withDiscordDefaults(_ component: Component) -> Component {
        var component = component
        if component.type.isSelect {
            component.minValues = component.minValues ?? 1
            component.maxValues = component.maxValues ?? 1
        }
        component.components = component.components?.map(withDiscordDefaults)
        return component
    }

    private static func validateButton(
        _ object: [String: JSONValue], at path: String, customIDs: inout Set<String>, validator: inout FormValidator
    ) {
        let style = validator.integer(object["style"], at: "\(path).style", range: 1...6, required: true)
        _ = validator.string(object["label"], at: "\(path).label", length: 0...Message.Limits.buttonLabel)
        if style == ButtonStyle.link.rawValue {
            _ = validator.string(object["url"], at: "\(path).url", length: 1...Message.Limits.linkURL, required: true)
            if object["custom_id"] != nil, object["custom_id"]?.isNull == false {
                validator.fail(
                    "\(path).custom_id", code: "BUTTON_CUSTOM_ID_INVALID",
                    message: "A custom id cannot be set on a link button")
            }
        } else if let style, style != ButtonStyle.premium.rawValue {
            let customID = validator.string(
                object["custom_id"], at: "\(path).custom_id", length: 1...Message.Limits.customId, required: true)
            if let customID, !customIDs.insert(customID).inserted {
                validator.fail(
                    "\(path).custom_id", code: "COMPONENT_CUSTOM_ID_DUPLICATED",
                    message: "Component custom id cannot be duplicated")
            }
            if object["url"] != nil, object["url"]?.isNull == false {
                validator.fail("\(path).url", code: "BUTTON_URL_INVALID", message: "Only link buttons may have a url")
            }
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
