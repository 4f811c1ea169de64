public import Foundation

/// A file sent with a message (a transcript): Discord takes it as a `files[n]` part of a `multipart/form-data`
/// body, beside the message's JSON in `payload_json`.
public struct FileUpload: Sendable, Hashable {
    /// Discord's upload limit for a bot in a server without boosts, per file.
    public static let sizeLimit = 10 * 1024 * 1024

    public var filename: String
    public var contentType: String
    public var bytes: [UInt8]

    public init(filename: String, contentType: String, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }

    /// The body and its `Content-Type` for `payload` (the message JSON, which must list the files as
    /// `attachments`) and `files`. The boundary is random, and a file's name is reduced to safe characters so
    /// it cannot break out of its header.
    public static func multipartBody(payload: Data, files: [FileUpload]) -> (body: Data, contentType: String) {
        let boundary = "aetheria-" + UUID().uuidString
        var body = Data()
        func append(_ text: String) { body.append(contentsOf: Array(text.utf8)) }
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n")
        append("Content-Type: application/json\r\n\r\n")
        body.append(payload)
        for (index, file) in files.enumerated() {
            append("\r\n--\(boundary)\r\n")
            append(
                "Content-Disposition: form-data; name=\"files[\(index)]\"; filename=\"\(safeName(file.filename))\"\r\n")
            append("Content-Type: \(safeName(file.contentType, allowing: "/.+-"))\r\n\r\n")
            body.append(contentsOf: file.bytes)
        }
        append("\r\n--\(boundary)--\r\n")
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    static func safeName(_ name: String, allowing extra: String = ".-_") -> String {
        let kept = name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || extra.unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        return String(String(kept).prefix(100))
    }
}

/// How a message lists its uploaded files (`attachments` in `payload_json`).
public struct AttachmentReference: Encodable, Sendable, Hashable {
    public var id: Int
    public var filename: String

    public init(id: Int, filename: String) {
        self.id = id
        self.filename = filename
    }
}
