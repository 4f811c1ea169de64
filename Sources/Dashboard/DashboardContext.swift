import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the client's address (for the post rate limit).
struct DashboardContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let clientAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
