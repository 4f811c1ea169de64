public import Foundation

/// Loads `AetheriaConfiguration` from a JSON file and the environment (the environment wins), refusing
/// unknown keys and bad values with one message that names the key.
public struct ConfigurationLoader: Sendable {
    /// One documented configuration key: where it lives in the JSON file and which variable overrides it.
    package struct Key: Sendable {
        package let path: String
        package let environmentVariable: String?
        let apply: @Sendable (String, inout AetheriaConfiguration) throws(ConfigurationError) -> Void
    }

    public init() {}

    /// Reads the file at `path` (absent file: `defaults` only) and then the environment. `defaults` lets a
    /// command start from its own defaults (the demo's data directory) that the environment still overrides.
    public func load(
        file path: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        defaults: AetheriaConfiguration = AetheriaConfiguration()
    ) throws(ConfigurationError) -> AetheriaConfiguration {
        var contents: Data?
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(key: path, problem: "the configuration file cannot be read")
            }
            contents = data
        }
        return try load(
            contents: contents, named: path ?? "configuration", environment: environment, defaults: defaults)
    }

    /// The same from a file's bytes (the fuzz target feeds it anything).
    package func load(
        contents: Data?, named name: String, environment: [String: String],
        defaults: AetheriaConfiguration = AetheriaConfiguration()
    ) throws(ConfigurationError) -> AetheriaConfiguration {
        var values: [String: String] = [:]
        if let contents {
            values = try Self.flatten(contents, file: name)
        }
        for key in Self.keys {
            if let variable = key.environmentVariable, let value = environment[variable], !value.isEmpty {
                values[key.path] = value
            }
        }
        var configuration = defaults
        let known = Dictionary(uniqueKeysWithValues: Self.keys.map { ($0.path, $0) })
        for (path, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let key = known[path] else {
                throw ConfigurationError(key: path, problem: "is not a configuration key (see docs/configuration.md)")
            }
            try key.apply(value, &configuration)
        }
        return configuration
    }

    /// Turns the nested JSON object into `section.key` → string value; `null` means "use the default".
    package static func flatten(_ data: Data, file: String) throws(ConfigurationError) -> [String: String] {
        let root: ConfigurationValue
        do {
            root = try JSONDecoder().decode(ConfigurationValue.self, from: data)
        } catch {
            throw ConfigurationError(key: file, problem: "is not valid JSON")
        }
        guard case .object = root else {
            throw ConfigurationError(key: file, problem: "must hold a JSON object")
        }
        var values: [String: String] = [:]
        func walk(_ value: ConfigurationValue, path: String) throws(ConfigurationError) {
            switch value {
            case .object(let members):
                for (name, member) in members where !name.hasPrefix("$") {  // "$comment" annotations
                    try walk(member, path: path.isEmpty ? name : "\(path).\(name)")
                }
            case .null: break
            case .scalar(let text): values[path] = text
            case .array:
                throw ConfigurationError(key: path, problem: "must be a string, number, boolean or null")
            }
        }
        try walk(root, path: "")
        return values
    }

    /// `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`, for logs and errors.
    public static func redactingPassword(in url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<redis url>" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "<redis url>"
    }
}

/// A configuration value that stops start-up, naming the key and what is wrong with it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "configuration error: \(key) \(problem)" }
}

/// A JSON value as the configuration file may hold it; numbers and booleans keep their JSON spelling.
enum ConfigurationValue: Decodable {
    case object([String: ConfigurationValue])
    case array
    case scalar(String)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .scalar(bool ? "true" : "false")
        } else if let integer = try? container.decode(Int.self) {
            self = .scalar(String(integer))
        } else if let number = try? container.decode(Double.self) {
            self = .scalar(String(number))
        } else if let string = try? container.decode(String.self) {
            self = .scalar(string)
        } else if let object = try? container.decode([String: ConfigurationValue].self) {
            self = .object(object)
        } else {
            self = .array
        }
    }
}
