import DiscordEmulator
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing

@Suite("File uploads: multipart/form-data messages")
struct AttachmentUploadTests {
    static func form(boundary: String, payload: String?, files: [(name: String, content: String)]) -> String {
        var body = ""
        if let payload {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
            body += "Content-Type: application/json\r\n\r\n\(payload)\r\n"
        }
        for (index, file) in files.enumerated() {
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"files[\(index)]\"; filename=\"\(file.name)\"\r\n"
            body += "Content-Type: text/plain\r\n\r\n\(file.content)\r\n"
        }
        return body + "--\(boundary)--\r\n"
    }

    @Test("a file uploaded with its message is an attachment whose URL serves the same bytes; limits answer as Discord")
    func upload() async throws {
        try await EmulatorHarness.run { harness in
            let channel = try #require(try await harness.guilds().first?.channel(named: "general"))
            let path = "/api/v10/channels/\(channel.id)/messages"
            let boundary = "aetheria-test-boundary"
            let type = "multipart/form-data; boundary=\(boundary)"
            let content = "Order 1234: never arrived.\nPlease help."
            let sent = try await harness.request(
                .POST, path, contentType: type,
                body: Self.form(
                    boundary: boundary, payload: #"{"content":"Transcript attached","attachments":[{"id":0}]}"#,
                    files: [("transcript.txt", content)]))
            #expect(sent.status == 200, "\(String(decoding: sent.body, as: UTF8.self))")
            let message = try sent.decode(Message.self)
            let attachment = try #require(message.attachments.first)
            #expect(message.content == "Transcript attached")
            #expect(attachment.filename == "transcript.txt" && attachment.size == content.utf8.count)
            #expect(attachment.contentType == "text/plain")
            let url = try #require(URL(string: attachment.url))
            let download = try await harness.request(.GET, url.path, authorization: nil)
            #expect(download.status == 200 && String(decoding: download.body, as: UTF8.self) == content)

            // A file alone is a message; eleven files, a file over 10 MiB or a broken form are refused.
            let fileOnly = try await harness.request(
                .POST, path, contentType: type,
                body: Self.form(boundary: boundary, payload: nil, files: [("a.txt", "a")]))
            #expect(fileOnly.status == 200)
            let eleven = try await harness.request(
                .POST, path, contentType: type,
                body: Self.form(boundary: boundary, payload: nil, files: (0..<11).map { ("f\($0).txt", "x") }))
            #expect(eleven.status == 400)
            let large = try await harness.request(
                .POST, path, contentType: type,
                body: Self.form(
                    boundary: boundary, payload: nil,
                    files: [("big.txt", String(repeating: "x", count: 10 * 1024 * 1024 + 1))]))
            #expect(large.status == 413 && large.error?.code == 40005)
            let broken = try await harness.request(
                .POST, path, contentType: type, body: "--\(boundary)\r\nno headers end here")
            #expect(broken.status == 400)
            let wrongFile = try await harness.request(
                .GET, "/attachments/\(channel.id)/1/transcript.txt", authorization: nil)
            #expect(wrongFile.status == 404)
        }
    }

    @Test(
        "hostile forms never trap the parser",
        arguments: [
            "", "--b", "--b--", "--b\r\n\r\n", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--b--",
            "--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--b--",
            "--b\r\nno-colon\r\n\r\nx\r\n--b--",
            String(repeating: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n", count: 30) + "--b--",
        ])
    func hostileForms(_ body: String) {
        _ = MultipartForm(body: Array(body.utf8), boundary: "b")
        #expect(
            MultipartForm.boundary(inContentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71))
                == nil)
        #expect(MultipartForm.boundary(inContentType: "multipart/form-data; boundary=\"b\"") == "b")
    }
}
