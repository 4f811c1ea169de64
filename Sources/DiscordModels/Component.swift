/// A message component type. Unknown future types decode as themselves.
public struct ComponentType: RawRepresentable, Codable, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let actionRow = ComponentType(rawValue: 1)
    public static let button = ComponentType(rawValue: 2)
    public static let stringSelect = ComponentType(rawValue: 3)
    public static let textInput = ComponentType(rawValue: 4)
    public static let userSelect = ComponentType(rawValue: 5)
    public static let roleSelect = ComponentType(rawValue: 6)
    public static let mentionableSelect = ComponentType(rawValue: 7)
    public static let channelSelect = ComponentType(rawValue: 8)

    public var isSelect: Bool { [3, 5, 6, 7, 8].contains(rawValue) }
}

/// A button's look: 1 primary, 2 secondary, 3 success, 4 danger, 5 link, 6 premium.
public struct ButtonStyle: RawRepresentable, Codable, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let primary = ButtonStyle(rawValue: 1)
    public static let secondary = ButtonStyle(rawValue: 2)
    public static let success = ButtonStyle(rawValue: 3)
    public static let danger = ButtonStyle(rawValue: 4)
    public static let link = ButtonStyle(rawValue: 5)
    public static let premium = ButtonStyle(rawValue: 6)
}

/// A partial emoji as buttons carry it.
public struct PartialEmoji: Codable, Sendable, Hashable {
    public var id: EmojiID?
    public var name: String?
    public var animated: Bool?

    public init(id: EmojiID? = nil, name: String?, animated: Bool? = nil) {
        self.id = id
        self.name = name
        self.animated = animated
    }
}

/// One choice of a string select menu.
public struct SelectOption: Codable, Sendable, Hashable {
    public var label: String
    public var value: String
    public var description: String?
    public var emoji: PartialEmoji?
    public var `default`: Bool?

    public init(label: String, value: String, description: String? = nil, emoji: PartialEmoji? = nil) {
        self.label = label
        self.value = value
        self.description = description
        self.emoji = emoji
    }
}

/// A legacy message component: an action row holding buttons, a select or (in a modal) a text input, tolerant
/// of every other type. `style` is a button's style or a text input's (1 short, 2 paragraph).
public struct Component: Codable, Sendable, Hashable {
    public var type: ComponentType
    public var id: Int?
    public var style: ButtonStyle?
    public var label: String?
    public var emoji: PartialEmoji?
    public var customId: String?
    public var url: String?
    public var disabled: Bool?
    public var components: [Component]?
    /// Select menus and text inputs.
    public var placeholder: String?
    /// A string select's choices.
    public var options: [SelectOption]?
    public var minValues: Int?
    public var maxValues: Int?
    /// Text inputs: bounds, whether an answer is needed, and (in a modal submit) the member's answer.
    public var minLength: Int?
    public var maxLength: Int?
    public var required: Bool?
    public var value: String?

    public init(
        type: ComponentType, style: ButtonStyle? = nil, label: String? = nil, emoji: PartialEmoji? = nil,
        customId: String? = nil, url: String? = nil, disabled: Bool? = nil, components: [Component]? = nil
    ) {
        self.type = type
        self.style = style
        self.label = label
        self.emoji = emoji
        self.customId = customId
        self.url = url
        self.disabled = disabled
        self.components = components
    }

    public static func actionRow(_ components: [Component]) -> Component {
        Component(type: .actionRow, components: components)
    }

    public static func button(
        style: ButtonStyle, label: String, customId: String, emoji: PartialEmoji? = nil, disabled: Bool = false
    ) -> Component {
        Component(type: .button, style: style, label: label, emoji: emoji, customId: customId, disabled: disabled)
    }

    public static func stringSelect(
        customId: String, placeholder: String?, options: [SelectOption], minValues: Int = 1, maxValues: Int = 1
    ) -> Component {
        var select = Component(type: .stringSelect, customId: customId)
        select.placeholder = placeholder
        select.options = options
        select.minValues = minValues
        select.maxValues = maxValues
        return select
    }

    /// A modal's text input (style 1 short, 2 paragraph).
    public static func textInput(
        customId: String, label: String, paragraph: Bool, placeholder: String?, minLength: Int?, maxLength: Int?,
        required: Bool
    ) -> Component {
        var input = Component(
            type: .textInput, style: ButtonStyle(rawValue: paragraph ? 2 : 1), label: label, customId: customId)
        input.placeholder = placeholder
        input.minLength = minLength
        input.maxLength = maxLength
        input.required = required
        return input
    }

    /// Every component in this tree, depth first.
    public var flattened: [Component] {
        [self] + (components ?? []).flatMap(\.flattened)
    }
}
