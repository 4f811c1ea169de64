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

/// A legacy message component: an action row holding buttons or a select, tolerant of every other type.
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

    /// Every component in this tree, depth first.
    public var flattened: [Component] {
        [self] + (components ?? []).flatMap(\.flattened)
    }
}
