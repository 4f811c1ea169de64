/// How Discord rewrites the names of text and announcement channels (observed behaviour,
/// discord-protocol.md §6.2): lowercase, whitespace to dashes, most ASCII punctuation dropped, dashes
/// collapsed. `"Joey's Cool Channel"` becomes `"joeys-cool-channel"`.
enum ChannelNameNormalizer {
    static func normalize(_ name: String) -> String {
        var result = ""
        var lastWasDash = false
        for character in name.lowercased() {
            if character.isWhitespace || character == "-" {
                if !lastWasDash && !result.isEmpty {
                    result.append("-")
                    lastWasDash = true
                }
                continue
            }
            let isAllowed =
                character == "_" || character.isLetter || character.isNumber
                || (!character.isASCII && (character.unicodeScalars.first?.properties.isEmoji ?? false))
            guard isAllowed else { continue }
            result.append(character)
            lastWasDash = false
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }
}
