import Foundation
import Synchronization

/// Writes the REST exchanges the emulator serves — route template, method, status, query, request and
/// response bodies — and the gateway dispatches it sends, as JSON lines, for `scripts/check-discord-schema.py` to validate against Discord's OpenAPI
/// document. Enabled by `AETHERIA_EMULATOR_EXCHANGES=<directory>` (the test command sets it); off otherwise, at
/// the cost of one branch per request.
///
/// Bounded: at most `samplesPerShape` exchanges per (method, route, status), so a load test records no more
/// than a unit test, and bodies over 256 KB are left out (noted, so the checker can count them).
final class ExchangeRecorder: Sendable {
    static let shared: ExchangeRecorder? = ProcessInfo.processInfo.environment["AETHERIA_EMULATOR_EXCHANGES"].flatMap {
        ExchangeRecorder(directory: $0)
    }

    static let samplesPerShape = 25
    static let largestBody = 256 * 1024

    private struct State {
        var handle: FileHandle
        var counts: [String: Int] = [:]
    }
    private let state: Mutex<State>

    init?(directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(
            "exchanges-\(getpid())-\(UUID().uuidString.prefix(8)).jsonl")
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { return nil }
        state = Mutex(State(handle: handle))
    }

    struct Exchange {
        var method: String
        /// The route's template as the emulator declares it (`channels/{channel}/messages`).
        var template: String
        var status: Int
        var query: [String: String]
        var requestContentType: String?
        var requestBody: [UInt8]
        var responseContentType: String?
        var responseBody: [UInt8]
    }

    func record(_ exchange: Exchange) {
        var line: [String: Any] = [
            "method": exchange.method, "route": exchange.template, "status": exchange.status, "query": exchange.query,
            "request_body": Self.text(exchange.requestBody), "response_body": Self.text(exchange.responseBody),
        ]
        if let type = exchange.requestContentType { line["request_content_type"] = type }
        if let type = exchange.responseContentType { line["response_content_type"] = type }
        write(line, shape: "\(exchange.method) \(exchange.template) \(exchange.status)")
    }

    /// A gateway dispatch as one session received it (after its intents were applied), for the same check
    /// against Discord's documented objects.
    func recordDispatch(event: String, payload: [UInt8]) {
        write(["kind": "dispatch", "event": event, "payload": Self.text(payload)], shape: "dispatch \(event)")
    }

    /// One JSON line, unless this shape already has its samples.
    private func write(_ line: @autoclosure () -> [String: Any], shape: String) {
        state.withLock { state in
            let seen = state.counts[shape, default: 0]
            guard seen < Self.samplesPerShape else { return }
            state.counts[shape] = seen + 1
            guard var data = try? JSONSerialization.data(withJSONObject: line(), options: [.sortedKeys]) else { return }
            data.append(UInt8(ascii: "\n"))
            state.handle.write(data)
        }
    }

    /// Bodies as text (they are JSON, form data or empty); a body too large to keep is marked, not dropped.
    private static func text(_ body: [UInt8]) -> Any {
        guard body.count <= largestBody else { return ["omitted_bytes": body.count] }
        return String(decoding: body, as: UTF8.self)
    }
}
