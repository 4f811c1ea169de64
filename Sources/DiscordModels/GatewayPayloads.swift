/// `d` of op 10 HELLO.
public struct GatewayHello: Codable, Sendable, Hashable {
    public var heartbeatInterval: Int

    public init(heartbeatInterval: Int) {
        self.heartbeatInterval = heartbeatInterval
    }
}

/// `d` of op 2 IDENTIFY. Unknown keys that real clients send (`capabilities`, legacy `presence.game`) are ignored.
public struct GatewayIdentify: Codable, Sendable, Hashable {
    public struct ConnectionProperties: Codable, Sendable, Hashable {
        public var os: String
        public var browser: String
        public var device: String

        public init(os: String, browser: String, device: String) {
            self.os = os
            self.browser = browser
            self.device = device
        }
    }

    public var token: String
    public var properties: ConnectionProperties
    public var compress: Bool?
    public var largeThreshold: Int?
    public var shard: [Int]?
    public var intents: GatewayIntents

    public init(token: String, properties: ConnectionProperties, intents: GatewayIntents, shard: [Int]?) {
        self.token = token
        self.properties = properties
        self.intents = intents
        self.shard = shard
    }
}

/// `d` of op 6 RESUME.
public struct GatewayResume: Codable, Sendable, Hashable {
    public var token: String
    public var sessionId: String
    public var seq: Int

    public init(token: String, sessionId: String, seq: Int) {
        self.token = token
        self.sessionId = sessionId
        self.seq = seq
    }
}

/// `d` of the READY dispatch.
public struct GatewayReady: Codable, Sendable, Hashable {
    public struct PartialApplication: Codable, Sendable, Hashable {
        public var id: ApplicationID
        public var flags: Int

        public init(id: ApplicationID, flags: Int) {
            self.id = id
            self.flags = flags
        }
    }

    public var v: Int
    public var user: User
    public var guilds: [Guild]
    public var sessionId: String
    public var resumeGatewayUrl: String
    public var shard: [Int]?
    public var application: PartialApplication

    public init(
        user: User, guilds: [Guild], sessionId: String, resumeGatewayUrl: String, shard: [Int]?,
        application: PartialApplication
    ) {
        self.v = 10
        self.user = user
        self.guilds = guilds
        self.sessionId = sessionId
        self.resumeGatewayUrl = resumeGatewayUrl
        self.shard = shard
        self.application = application
    }
}

/// `GET /gateway/bot`.
public struct GatewayBotInfo: Codable, Sendable, Hashable {
    public struct SessionStartLimit: Codable, Sendable, Hashable {
        public var total: Int
        public var remaining: Int
        public var resetAfter: Int
        public var maxConcurrency: Int

        public init(total: Int, remaining: Int, resetAfter: Int, maxConcurrency: Int) {
            self.total = total
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.maxConcurrency = maxConcurrency
        }
    }

    public var url: String
    public var shards: Int
    public var sessionStartLimit: SessionStartLimit

    public init(url: String, shards: Int, sessionStartLimit: SessionStartLimit) {
        self.url = url
        self.shards = shards
        self.sessionStartLimit = sessionStartLimit
    }
}

/// Which shard a guild's events travel on: `(guild_id >> 22) % num_shards`.
public func shardID(for guild: GuildID, shardCount: Int) -> Int {
    guard shardCount > 0 else { return 0 }
    return Int((guild.rawValue >> 22) % UInt64(shardCount))
}
