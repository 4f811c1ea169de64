/// Discord's JSON error body: `{"code": 50013, "message": "Missing Permissions", "errors": {...}}`.
public struct DiscordErrorBody: Codable, Sendable, Hashable {
    public var code: Int
    public var message: String
    /// For 50035: the field paths (`embeds.0.title`) with the error codes and messages found there.
    public var fieldErrors: [FieldError]

    public struct FieldError: Sendable, Hashable {
        public var path: String
        public var code: String
        public var message: String

        public init(path: String, code: String, message: String) {
            self.path = path
            self.code = code
            self.message = message
        }
    }

    public init(code: Int, message: String, fieldErrors: [FieldError] = []) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
    }

    private enum CodingKeys: String, CodingKey {
        case code, message, errors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.code = try container.decodeIfPresent(Int.self, forKey: .code) ?? 0
        self.message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        let tree = try container.decodeIfPresent(ErrorTree.self, forKey: .errors)
        self.fieldErrors = tree?.flatten(path: []) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        if !fieldErrors.isEmpty {
            var tree = ErrorTree()
            for error in fieldErrors {
                tree.insert(error, at: error.path.split(separator: ".").map(String.init)[...])
            }
            try container.encode(tree, forKey: .errors)
        }
    }
}

/// The nested `errors` object: keys mirror the request's shape; leaves hold `_errors`.
private struct ErrorTree: Codable {
    struct Leaf: Codable {
        var code: String
        var message: String
    }

    var errors: [Leaf] = []
    var children: [String: ErrorTree] = [:]

    init() {}

    mutating func insert(_ error: DiscordErrorBody.FieldError, at path: ArraySlice<String>) {
        guard let head = path.first else {
            errors.append(Leaf(code: error.code, message: error.message))
            return
        }
        children[head, default: ErrorTree()].insert(error, at: path.dropFirst())
    }

    func flatten(path: [String]) -> [DiscordErrorBody.FieldError] {
        let here = errors.map {
            DiscordErrorBody.FieldError(path: path.joined(separator: "."), code: $0.code, message: $0.message)
        }
        return here + children.sorted { $0.key < $1.key }.flatMap { $0.value.flatten(path: path + [$0.key]) }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { self.stringValue = String(intValue) }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "_errors" {
                errors = (try? container.decode([Leaf].self, forKey: key)) ?? []
            } else if let child = try? container.decode(ErrorTree.self, forKey: key) {
                children[key.stringValue] = child
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        if !errors.isEmpty {
            try container.encode(errors, forKey: Key(stringValue: "_errors"))
        }
        for (key, child) in children {
            try container.encode(child, forKey: Key(stringValue: key))
        }
    }
}

/// The body of a 429.
public struct RateLimitedBody: Codable, Sendable, Hashable {
    public var message: String
    public var retryAfter: Double
    public var global: Bool
    public var code: Int?

    public init(message: String, retryAfter: Double, global: Bool, code: Int? = nil) {
        self.message = message
        self.retryAfter = retryAfter
        self.global = global
        self.code = code
    }
}
