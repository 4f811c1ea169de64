package import DiscordModels

/// Collects validation problems at their field paths, producing Discord's 50035 "Invalid Form Body" with the
/// nested `errors` object (discord-protocol.md §9).
package struct FormValidator {
    package private(set) var problems: [DiscordErrorBody.FieldError] = []

    package init() {}

    package var isValid: Bool { problems.isEmpty }

    mutating func fail(_ path: String, code: String, message: String) {
        problems.append(DiscordErrorBody.FieldError(path: path, code: code, message: message))
    }

    mutating func required(_ path: String) {
        fail(path, code: "BASE_TYPE_REQUIRED", message: "This field is required")
    }

    /// Reads an optional string, checking its type and length in code points, as Discord counts.
    mutating func string(
        _ value: JSONValue?, at path: String, length: ClosedRange<Int>? = nil, required isRequired: Bool = false
    ) -> String? {
        guard let value, !value.isNull else {
            if isRequired { required(path) }
            return nil
        }
        guard let string = value.stringValue else {
            fail(
                path, code: "BASE_TYPE_STRING", message: "Could not interpret \"\(value.shortDescription)\" as string.")
            return nil
        }
        // Discord counts code points (an emoji with a skin tone is two), not grapheme clusters.
        if let length, !length.contains(string.unicodeScalars.count) {
            fail(
                path, code: "BASE_TYPE_BAD_LENGTH",
                message: "Must be between \(length.lowerBound) and \(length.upperBound) in length.")
        }
        return string
    }

    mutating func integer(
        _ value: JSONValue?, at path: String, range: ClosedRange<Int>? = nil, required isRequired: Bool = false
    ) -> Int? {
        guard let value, !value.isNull else {
            if isRequired { required(path) }
            return nil
        }
        guard let integer = value.intValue else {
            fail(path, code: "NUMBER_TYPE_COERCE", message: "Value \"\(value.shortDescription)\" is not int.")
            return nil
        }
        if let range, !range.contains(integer) {
            fail(
                path, code: "NUMBER_TYPE_MAX",
                message: "int value should be between \(range.lowerBound) and \(range.upperBound).")
        }
        return integer
    }

    mutating func bool(_ value: JSONValue?, at path: String) -> Bool? {
        guard let value, !value.isNull else { return nil }
        guard let bool = value.boolValue else {
            fail(path, code: "BASE_TYPE_BOOLEAN", message: "Must be either true or false.")
            return nil
        }
        return bool
    }

    mutating func snowflake(_ value: JSONValue?, at path: String, required isRequired: Bool = false) -> UInt64? {
        guard let value, !value.isNull else {
            if isRequired { required(path) }
            return nil
        }
        guard let id = value.snowflakeValue else {
            fail(path, code: "NUMBER_TYPE_COERCE", message: "Value \"\(value.shortDescription)\" is not snowflake.")
            return nil
        }
        return id
    }

    mutating func permissions(_ value: JSONValue?, at path: String) -> Permissions? {
        guard let value, !value.isNull else { return nil }
        if let string = value.stringValue, let bits = UInt64(string) { return Permissions(rawValue: bits) }
        if let integer = value.intValue, integer >= 0 { return Permissions(rawValue: UInt64(integer)) }
        fail(path, code: "NUMBER_TYPE_COERCE", message: "Value \"\(value.shortDescription)\" is not int.")
        return nil
    }

    mutating func array(
        _ value: JSONValue?, at path: String, maximumCount: Int? = nil, required isRequired: Bool = false
    ) -> [JSONValue]? {
        guard let value, !value.isNull else {
            if isRequired { required(path) }
            return nil
        }
        guard let array = value.arrayValue else {
            fail(path, code: "BASE_TYPE_ARRAY", message: "Must be an array.")
            return nil
        }
        if let maximumCount, array.count > maximumCount {
            fail(path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be \(maximumCount) or fewer in length.")
        }
        return array
    }

    mutating func object(_ value: JSONValue?, at path: String) -> [String: JSONValue]? {
        guard let value, !value.isNull else { return nil }
        guard let object = value.objectValue else {
            fail(path, code: "MODEL_TYPE_CONVERT", message: "Only dictionaries may be used in a ModelType")
            return nil
        }
        return object
    }
}

extension JSONValue {
    /// A short rendering for error messages; never the whole (possibly huge) value.
    var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): String(value.prefix(40))
        case .array: "[...]"
        case .object: "{...}"
        }
    }
}
