import AsyncHTTPClient
import DiscordEmulator
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient

/// Debian's `chromium` in headless mode, driven over the Chrome DevTools Protocol: navigate, run a line of
/// JavaScript in the page, wait for a condition, take a screenshot. Enough for the dashboard's browser test.
final class HeadlessChromium: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let process: Process
    private let userDataDirectory: String
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let pending = Mutex<[Int: CheckedContinuation<JSONValue, any Error>]>([:])
    private let nextID = Mutex(0)
    private let connection = Mutex<Task<Void, Never>?>(nil)

    private init(process: Process, userDataDirectory: String) {
        self.process = process
        self.userDataDirectory = userDataDirectory
    }

    static func launch() async throws -> HeadlessChromium {
        guard
            let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(
                where: FileManager.default.isExecutableFile)
        else { throw Failure(description: "chromium is not installed: run the tests with ./scripts/test.sh") }
        let directory = NSTemporaryDirectory() + "aetheria-chromium-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
            "--user-data-dir=\(directory)",
            "--window-size=1280,900", "about:blank",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let browser = HeadlessChromium(process: process, userDataDirectory: directory)
        // Chromium writes its debugging port to DevToolsActivePort once it listens.
        var port: Int?
        for _ in 0..<200 where port == nil {
            if let text = try? String(contentsOfFile: directory + "/DevToolsActivePort", encoding: .utf8),
                let first = text.split(separator: "\n").first
            {
                port = Int(first)
            }
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let port else {
            browser.close()
            throw Failure(description: "chromium did not open its debugging port")
        }
        let list = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/json/list"), timeout: .seconds(10))
        let body = try await list.body.collect(upTo: 1 << 20)
        let pages = JSONValue.parse(Data(buffer: body))?.arrayValue ?? []
        guard let page = pages.first(where: { $0["type"]?.stringValue == "page" }),
            let socketURL = page["webSocketDebuggerUrl"]?.stringValue
        else {
            browser.close()
            throw Failure(description: "chromium has no page to drive")
        }
        try await browser.connect(socketURL)
        _ = try await browser.call("Page.enable")
        return browser
    }

    private func connect(_ url: String) async throws {
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let task = Task {
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 64 * 1024 * 1024
            _ = try? await WebSocketClient.connect(
                url: url, configuration: configuration,
                logger: Logger(label: "test.chromium", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { inbound, outbound, _ in
                self.writer.withLock { $0 = outbound }
                readyContinuation.yield()
                for try await message in inbound.messages(maxSize: 64 * 1024 * 1024) {
                    guard case .text(let text) = message, let value = JSONValue.parse(Data(text.utf8)),
                        let id = value["id"]?.intValue
                    else { continue }
                    let waiter = self.pending.withLock { $0.removeValue(forKey: id) }
                    if let error = value["error"] {
                        waiter?.resume(throwing: Failure(description: "CDP error: \(error)"))
                    } else {
                        waiter?.resume(returning: value["result"] ?? .null)
                    }
                }
            }
            readyContinuation.finish()
        }
        connection.withLock { $0 = task }
        for await _ in ready { return }
        throw Failure(description: "could not connect to chromium's debugging socket")
    }

    /// Sends a DevTools command; `parameters` is a JSON object's text.
    @discardableResult
    func call(_ method: String, _ parameters: String = "{}") async throws -> JSONValue {
        let id = nextID.withLock {
            $0 += 1
            return $0
        }
        guard let writer = writer.withLock({ $0 }) else { throw Failure(description: "not connected") }
        return try await withCheckedThrowingContinuation { continuation in
            pending.withLock { $0[id] = continuation }
            Task {
                do {
                    try await writer.write(.text("{\"id\":\(id),\"method\":\"\(method)\",\"params\":\(parameters)}"))
                } catch {
                    self.pending.withLock { $0.removeValue(forKey: id) }?.resume(throwing: error)
                }
            }
        }
    }

    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    func navigate(_ url: String) async throws {
        try await call("Page.navigate", "{\"url\":\(Self.quoted(url))}")
        try await waitUntil("document.readyState === 'complete' && location.href !== 'about:blank'")
    }

    /// Runs `expression` in the page and returns its value.
    func evaluate(_ expression: String) async throws -> JSONValue {
        let result = try await call(
            "Runtime.evaluate",
            "{\"expression\":\(Self.quoted(expression)),\"returnByValue\":true,\"awaitPromise\":true}")
        return result["result"]?["value"] ?? .null
    }

    func waitUntil(_ condition: String, timeout: Duration = .seconds(15)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await evaluate("!!(\(condition))"))?.boolValue == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let location = (try? await evaluate("location.href"))?.stringValue ?? "?"
        throw Failure(description: "timed out waiting until \(condition) (page: \(location))")
    }

    func screenshot(_ name: String) async throws {
        let result = try await call("Page.captureScreenshot", "{\"format\":\"png\"}")
        guard let base64 = result["data"]?.stringValue, let data = Data(base64Encoded: base64) else { return }
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-output/screenshots")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: directory.appendingPathComponent(name + ".png"))
    }

    func close() {
        connection.withLock { $0?.cancel() }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: userDataDirectory)
    }
}
