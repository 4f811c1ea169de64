import Foundation

/// Parses HTML with Python's standard `html.parser` (a real HTML tokenizer, independent of ours) and reports
/// what would run or load: script elements, event-handler attributes, and URLs in href/src.
struct HTMLAudit: Decodable {
    var scripts: Int
    var eventHandlers: [String]
    var urls: [String]
    var styleAttributes: Int

    static let program = """
        import sys, json
        from html.parser import HTMLParser
        class Audit(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.scripts = 0; self.handlers = []; self.urls = []; self.styles = 0
            def handle_starttag(self, tag, attrs):
                if tag == 'script': self.scripts += 1
                for name, value in attrs:
                    if name.lower().startswith('on'): self.handlers.append(tag + ' ' + name)
                    if name.lower() in ('href', 'src', 'action', 'formaction', 'xlink:href', 'srcset'):
                        self.urls.append(value or '')
                    if name.lower() == 'style': self.styles += 1
            handle_startendtag = handle_starttag
        audit = Audit()
        audit.feed(sys.stdin.read())
        print(json.dumps({'scripts': audit.scripts, 'eventHandlers': audit.handlers, 'urls': audit.urls,
                          'styleAttributes': audit.styles}))
        """

    static func run(_ html: String) throws -> HTMLAudit {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", program]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(html.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(HTMLAudit.self, from: data)
    }

    /// URLs a transcript may contain: in-page anchors, http(s) links and inline raster images.
    static func isAllowed(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("#") || lower.hasPrefix("https://") || lower.hasPrefix("http://")
            || ["data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;"].contains {
                lower.hasPrefix($0)
            }
    }
}
