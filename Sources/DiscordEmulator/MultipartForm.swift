import Foundation

/// A `multipart/form-data` body (RFC 7578) as Discord takes file uploads: a `payload_json` part with the
/// message and `files[n]` parts with the bytes. Every byte is a client's: the parser scans with bounds, keeps at
/// most `maximumParts` parts, and answers `nil` for anything that is not a well-formed form.
package struct MultipartForm: Sendable {
    package struct Part: Sendable {
        package var name: String
        package var filename: String?
        package var contentType: String?
        package var body: [UInt8]
    }

    package static let maximumParts = 20
    package var parts: [Part]

    /// The boundary named by a `Content-Type: multipart/form-data; boundary=…` header.
    package static func boundary(inContentType contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    package init?(body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        let newline: [UInt8] = [13, 10]
        guard var cursor = body.firstRange(of: delimiter)?.upperBound else { return nil }
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the form, CRLF starts a part.
            if body[cursor...].starts(with: [45, 45]) { break }
            guard body[cursor...].starts(with: newline), parts.count < Self.maximumParts else { return nil }
            cursor += 2
            guard let headerEnd = body[cursor...].firstRange(of: newline + newline) else { return nil }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            let bodyStart = headerEnd.upperBound
            guard let next = body[bodyStart...].firstRange(of: newline + delimiter) else { return nil }
            guard var part = Self.part(headers: headers) else { return nil }
            part.body = Array(body[bodyStart..<next.lowerBound])
            parts.append(part)
            cursor = next.upperBound
        }
        self.parts = parts
    }

    /// Reads `Content-Disposition: form-data; name="…"; filename="…"` and `Content-Type`.
    private static func part(headers: String) -> Part? {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            guard field == "content-disposition" else { continue }
            let items = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard items.first?.lowercased() == "form-data" else { return nil }
            for item in items.dropFirst() {
                guard let equals = item.firstIndex(of: "=") else { continue }
                let key = item[..<equals].lowercased()
                var text = String(item[item.index(after: equals)...])
                if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                    text = String(text.dropFirst().dropLast())
                }
                if key == "name" { name = text } else if key == "filename" { filename = text }
            }
        }
        guard let name, !name.isEmpty else { return nil }
        return Part(name: name, filename: filename, contentType: contentType, body: [])
    }

    package func part(named name: String) -> Part? { parts.first { $0.name == name } }
}
