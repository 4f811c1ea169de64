import Foundation
import Synchronization

/// A fixed one-minute window per client address for login attempts and form posts.
final class PostRateLimiter: Sendable {
    private let windows = Mutex<[String: (start: Date, count: Int)]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func allow(_ client: String, now: Date) -> Bool {
        windows.withLock { windows in
            if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < 60 } }
            var window = windows[client] ?? (now, 0)
            if now.timeIntervalSince(window.start) >= 60 { window = (now, 0) }
            window.count += 1
            windows[client] = window
            return window.count <= limit
        }
    }
}
