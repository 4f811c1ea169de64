import AsyncHTTPClient
public import DiscordModels
public import Foundation
import NIOCore
import NIOHTTP1

/// Fetches the files posted in a ticket from Discord's CDN when it closes, so its transcript keeps them after
/// Discord's links expire. Only from the allowed origins (scheme, host and port exactly: Discord's CDN hosts by
/// default), never following a redirect, within a byte budget per ticket and per file, one file at a time with
/// a timeout each: a ticket full of large files costs its own budget and time, nothing more.
public struct AttachmentFetcher: Sendable {
    /// One attachment as the history reported it.
    public struct Wanted: Sendable, Hashable {
        public var id: AttachmentID
        public var url: String
        public var declaredSize: Int

        public init(id: AttachmentID, url: String, declaredSize: Int) {
            self.id = id
            self.url = url
            self.declaredSize = declaredSize
        }
    }

    public static let discordOrigins = ["https://cdn.discordapp.com", "https://media.discordapp.net"]
    public static let defaultBudgetBytes = 5 * 1024 * 1024
    /// At most this many files are looked at per ticket.
    public static let maximumFiles = 50

    /// Its own client: no redirects (a redirect could point anywhere), short timeouts. Process-long, never
    /// shut down.
    private static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))

    let allowedOrigins: Set<String>
    public let budgetBytes: Int

    public init(allowedOrigins: [String] = Self.discordOrigins, budgetBytes: Int = Self.defaultBudgetBytes) {
        self.allowedOrigins = Set(allowedOrigins.compactMap(Self.origin(of:)))
        self.budgetBytes = max(0, budgetBytes)
    }

    /// `scheme://host[:port]`, lowercased, for http(s) URLs only.
    static func origin(of text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host?.lowercased(), !host.isEmpty,
            components.user == nil, components.password == nil
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Whether `url` may be fetched at all.
    public func allows(_ url: String) -> Bool {
        Self.origin(of: url).map(allowedOrigins.contains) ?? false
    }

    /// The bytes of as many of `wanted` as fit the budget, in order; the rest (or any that fail) are left out.
    public func fetch(_ wanted: [Wanted]) async -> [AttachmentID: [UInt8]] {
        var fetched: [AttachmentID: [UInt8]] = [:]
        var remaining = budgetBytes
        for item in wanted.prefix(Self.maximumFiles) where allows(item.url) {
            guard item.declaredSize >= 0, item.declaredSize <= remaining, fetched[item.id] == nil else { continue }
            guard let bytes = await download(item.url, limit: remaining) else { continue }
            fetched[item.id] = bytes
            remaining -= bytes.count
        }
        return fetched
    }

    private func download(_ url: String, limit: Int) async -> [UInt8]? {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let response = try await Self.client.execute(request, timeout: .seconds(15))
            guard response.status == .ok else { return nil }
            let body = try await response.body.collect(upTo: limit)
            return Array(buffer: body)
        } catch {
            return nil  // too large, refused, unreachable, timed out: the transcript lists the file without it
        }
    }
}
