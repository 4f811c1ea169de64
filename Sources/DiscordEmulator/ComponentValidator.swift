import DiscordModels

/// Discord's rules for the components that are more than a button: string select menus on messages, and
/// modals (rows of one text input each) shown in answer to an interaction. Limits as documented in
/// `components/reference.mdx` and `interactions/receiving-and-responding.mdx`.
enum ComponentValidator {
    static let selectOptions = 1...25
    static let optionText = 1...100
    static let optionDescription = 0...100
    static let placeholder = 0...150
    static let textInputLabel = 1...45
    static let textInputValue = 0...4_000
    static let textInputPlaceholder = 0...100

    /// A string select (type 3): 1–25 options with unique values, `min_values` ≤ `max_values` ≤ the options.
    static func validateStringSelect(_ object: [String: JSONValue], at path: String, validator: inout FormValidator) {
        _ = validator.string(object["placeholder"], at: "\(path).placeholder", length: placeholder)
        guard let options = validator.array(object["options"], at: "\(path).options", required: true) else { return }
        if !selectOptions.contains(options.count) {
            validator.fail(
                "\(path).options", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 25 in length.")
        }
        var values = Set<String>()
        for (index, option) in options.enumerated() {
            let optionPath = "\(path).options.\(index)"
            guard let object = validator.object(option, at: optionPath) else { continue }
            _ = validator.string(object["label"], at: "\(optionPath).label", length: optionText, required: true)
            let value = validator.string(object["value"], at: "\(optionPath).value", length: optionText, required: true)
            _ = validator.string(object["description"], at: "\(optionPath).description", length: optionDescription)
            if let value, !values.insert(value).inserted {
                validator.fail(
                    "\(optionPath).value", code: "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    message: "Select component option values must be unique")
            }
        }
        let minimum = validator.integer(object["min_values"], at: "\(path).min_values", range: 0...25) ?? 1
        let maximum = validator.integer(object["max_values"], at: "\(path).max_values", range: 1...25) ?? 1
        if minimum > maximum || maximum > max(options.count, 1) {
            validator.fail(
                "\(path).max_values", code: "SELECT_COMPONENT_TOO_MANY_SELECTED",
                message: "max_values must be at least min_values and at most the number of options")
        }
    }

    /// A modal's `data`: `custom_id`, `title` and 1–5 action rows, each holding exactly one text input.
    static func validateModal(_ data: [String: JSONValue], validator: inout FormValidator) {
        _ = validator.string(data["custom_id"], at: "data.custom_id", length: 1...100, required: true)
        _ = validator.string(data["title"], at: "data.title", length: 1...45, required: true)
        guard let rows = validator.array(data["components"], at: "data.components", maximumCount: 5, required: true)
        else { return }
        if rows.isEmpty {
            validator.fail(
                "data.components", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 5 in length.")
        }
        var customIDs = Set<String>()
        for (rowIndex, row) in rows.enumerated() {
            let rowPath = "data.components.\(rowIndex)"
            guard let rowObject = validator.object(row, at: rowPath) else { continue }
            guard rowObject["type"]?.intValue == ComponentType.actionRow.rawValue,
                let children = validator.array(rowObject["components"], at: "\(rowPath).components", required: true),
                children.count == 1, let input = validator.object(children[0], at: "\(rowPath).components.0"),
                input["type"]?.intValue == ComponentType.textInput.rawValue
            else {
                validator.fail(
                    rowPath, code: "MODAL_COMPONENT_INVALID",
                    message: "A modal row must be an action row holding one text input")
                continue
            }
            let path = "\(rowPath).components.0"
            let customID = validator.string(
                input["custom_id"], at: "\(path).custom_id", length: 1...100, required: true)
            if let customID, !customIDs.insert(customID).inserted {
                validator.fail(
                    "\(path).custom_id", code: "COMPONENT_CUSTOM_ID_DUPLICATED",
                    message: "Component custom id cannot be duplicated")
            }
            _ = validator.integer(input["style"], at: "\(path).style", range: 1...2, required: true)
            _ = validator.string(input["label"], at: "\(path).label", length: textInputLabel, required: true)
            let minimum = validator.integer(input["min_length"], at: "\(path).min_length", range: 0...4_000) ?? 0
            let maximum = validator.integer(input["max_length"], at: "\(path).max_length", range: 1...4_000) ?? 4_000
            if minimum > maximum {
                validator.fail(
                    "\(path).min_length", code: "TEXT_INPUT_LENGTH_INVALID",
                    message: "min_length must not be greater than max_length")
            }
            _ = validator.bool(input["required"], at: "\(path).required")
            _ = validator.string(input["placeholder"], at: "\(path).placeholder", length: textInputPlaceholder)
            _ = validator.string(input["value"], at: "\(path).value", length: 0...maximum)
        }
    }
}
