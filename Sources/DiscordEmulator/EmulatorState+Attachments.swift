import DiscordModels
import Foundation

/// Uploaded files, kept so their `url` serves the bytes back (Discord's CDN). Bounded: 64 MiB in all, the
/// oldest files forgotten first.
struct AttachmentBook: Sendable {
    struct File: Sendable {
        var channelID: ChannelID
        var filename: String
        var contentType: String
        var bytes: [UInt8]
    }

    static let capacityBytes = 64 * 1024 * 1024

    /// A file name as Discord's CDN serves it: letters, digits, `.`, `-` and `_`, at most 100 characters.
    static func safeFilename(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || ".-_".contains($0) ? $0 : "_" }.prefix(100))
    }
    private(set) var files: [AttachmentID: File] = [:]
    private var order: [AttachmentID] = []
    private var totalBytes = 0

    mutating func store(_ file: File, as id: AttachmentID) {
        files[id] = file
        order.append(id)
        totalBytes += file.bytes.count
        while totalBytes > Self.capacityBytes, !order.isEmpty {
            let oldest = order.removeFirst()
            totalBytes -= files.removeValue(forKey: oldest)?.bytes.count ?? 0
        }
    }
}

extension EmulatorState {
    /// Discord's default upload limit for a bot, per file, and the most files per message.
    static let attachmentSizeLimit = 10 * 1024 * 1024
    static let attachmentsPerMessage = 10

    /// A `multipart/form-data` message: the message from `payload_json`, the files from `files[n]` parts.
    /// `nil` body means the request was not multipart (the JSON body applies).
    func multipartMessage(
        _ request: RESTRequest
    ) throws(DiscordAPIError) -> (body: [String: JSONValue], files: [MultipartForm.Part])? {
        guard let contentType = request.contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            return nil
        }
        guard let boundary = MultipartForm.boundary(inContentType: contentType),
            let form = MultipartForm(body: request.rawBody, boundary: boundary)
        else {
            throw .invalidFormBody(path: "", code: "CONTENT_TYPE_INVALID", message: "Invalid multipart body")
        }
        var body: [String: JSONValue] = [:]
        if let payload = form.part(named: "payload_json") {
            guard case .object(let object)? = JSONValue.parse(Data(payload.body)) else { throw .invalidJSON }
            body = object
        }
        let files = form.parts.filter { $0.name.hasPrefix("files[") || $0.name == "file" }
        guard files.count <= Self.attachmentsPerMessage else {
            throw .invalidFormBody(
                path: "attachments", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length.")
        }
        guard files.allSatisfy({ $0.body.count <= Self.attachmentSizeLimit }) else { throw .requestTooLarge }
        return (body, files)
    }

    /// Stores the files and describes them as Discord's attachment objects, with URLs that serve them.
    mutating func attachments(
        from files: [MultipartForm.Part], body: [String: JSONValue], channelID: ChannelID, now: Date
    ) -> [Attachment] {
        let described = body["attachments"]?.arrayValue ?? []
        return files.enumerated().map { index, part in
            let id = AttachmentID(mintID(at: now))
            let declared = described.first { $0["id"]?.intValue == index || $0["id"]?.stringValue == String(index) }
            let name = declared?["filename"]?.stringValue ?? part.filename ?? "file\(index)"
            let filename = AttachmentBook.safeFilename(name)
            let contentType = part.contentType ?? "application/octet-stream"
            attachmentFiles.store(
                .init(channelID: channelID, filename: filename, contentType: contentType, bytes: part.body), as: id)
            let url = "\(originForClients)/attachments/\(channelID)/\(id)/\(filename)"
            return Attachment(id: id, filename: filename, size: part.body.count, url: url, contentType: contentType)
        }
    }

    /// `GET /attachments/{channel}/{attachment}/{filename}`: the file's bytes, as Discord's CDN serves them.
    func attachmentDownload(path: String) -> RESTResponse {
        let segments = path.split(separator: "/")
        guard segments.count == 4, let channelID = ChannelID(String(segments[1])),
            let id = AttachmentID(String(segments[2])), let file = attachmentFiles.files[id],
            file.channelID == channelID, file.filename == segments[3]
        else { return .error(.notFound) }
        return .file(contentType: file.contentType, body: Data(file.bytes))
    }
}
