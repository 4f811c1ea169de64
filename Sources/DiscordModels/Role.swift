/// A guild role (`topics/permissions.mdx`). The @everyone role's ID equals its guild's ID.
public struct Role: Codable, Sendable, Hashable {
    public struct Colors: Codable, Sendable, Hashable {
        public var primaryColor: Int
        @Nullable public var secondaryColor: Int?
        @Nullable public var tertiaryColor: Int?

        public init(primaryColor: Int, secondaryColor: Int? = nil, tertiaryColor: Int? = nil) {
            self.primaryColor = primaryColor
            self.secondaryColor = secondaryColor
            self.tertiaryColor = tertiaryColor
        }
    }

    public var id: RoleID
    public var name: String
    public var color: Int
    public var colors: Colors?
    public var hoist: Bool
    @Nullable public var icon: String?
    @Nullable public var unicodeEmoji: String?
    public var position: Int
    public var permissions: Permissions
    public var managed: Bool
    public var mentionable: Bool
    public var flags: Int?

    public init(
        id: RoleID, name: String, color: Int = 0, hoist: Bool = false, position: Int,
        permissions: Permissions, managed: Bool = false, mentionable: Bool = false
    ) {
        self.id = id
        self.name = name
        self.color = color
        self.colors = Colors(primaryColor: color)
        self.hoist = hoist
        self.position = position
        self.permissions = permissions
        self.managed = managed
        self.mentionable = mentionable
        self.flags = 0
    }
}
