public import Foundation

/// Where Redis is and how to talk to it, from `redis://[user:password@]host:port/db`.
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    public var connectTimeout: Duration = .seconds(2)
    public var readTimeout: Duration = .seconds(2)
    /// Connections in the pool, each used by one blocking call at a time on the storage thread pool.
    public var connections = 4

    public struct InvalidURL: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(url: URL) throws(InvalidURL) {
        guard url.scheme == "redis", let host = url.host, !host.isEmpty else {
            throw InvalidURL(description: "Redis URL must look like redis://[user:password@]host:port/db")
        }
        self.host = host
        self.port = url.port ?? 6379
        self.username = url.user.flatMap { $0.isEmpty ? nil : $0 }
        self.password = url.password
        let path = url.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard path.isEmpty || Int(path) != nil else {
            throw InvalidURL(description: "the Redis database in the URL must be a number")
        }
        self.database = Int(path) ?? 0
    }

    /// The URL with the password replaced, for logs and errors.
    public var description: String {
        let credentials =
            password == nil ? "" : "\(username ?? ""):***@"
        return "redis://\(credentials)\(host):\(port)/\(database)"
    }
}
