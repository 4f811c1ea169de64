/// A rich embed (`resources/message.mdx`, Embed Object).
public struct Embed: Codable, Sendable, Hashable {
    public struct Footer: Codable, Sendable, Hashable {
        public var text: String
        public var iconUrl: String?

        public init(text: String, iconUrl: String? = nil) {
            self.text = text
            self.iconUrl = iconUrl
        }
    }

    public struct Author: Codable, Sendable, Hashable {
        public var name: String
        public var url: String?
        public var iconUrl: String?

        public init(name: String, url: String? = nil, iconUrl: String? = nil) {
            self.name = name
            self.url = url
            self.iconUrl = iconUrl
        }
    }

    public struct Field: Codable, Sendable, Hashable {
        public var name: String
        public var value: String
        public var inline: Bool?

        public init(name: String, value: String, inline: Bool? = nil) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }

    public struct Media: Codable, Sendable, Hashable {
        public var url: String
        public var width: Int?
        public var height: Int?

        public init(url: String) {
            self.url = url
        }
    }

    public var title: String?
    public var type: String?
    public var description: String?
    public var url: String?
    public var timestamp: String?
    public var color: Int?
    public var footer: Footer?
    public var image: Media?
    public var thumbnail: Media?
    public var author: Author?
    public var fields: [Field]?

    public init(
        title: String? = nil, description: String? = nil, url: String? = nil, timestamp: String? = nil,
        color: Int? = nil, footer: Footer? = nil, author: Author? = nil, fields: [Field]? = nil
    ) {
        self.title = title
        self.type = "rich"
        self.description = description
        self.url = url
        self.timestamp = timestamp
        self.color = color
        self.footer = footer
        self.author = author
        self.fields = fields
    }

    /// Discord's limits (discord-protocol.md §6.4).
    public enum Limits {
        public static let title = 256
        public static let description = 4096
        public static let fields = 25
        public static let fieldName = 256
        public static let fieldValue = 1024
        public static let footerText = 2048
        public static let authorName = 256
        public static let totalCharacters = 6000
        public static let embedsPerMessage = 10
    }
}
