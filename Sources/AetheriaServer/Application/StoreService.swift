import Logging
import ServiceLifecycle

/// Keeps the stores open for the life of the process and closes them last: it comes first in the service
/// group, so on shutdown every other service (the guild actors writing their last activity among them) has
/// finished before it closes.
struct StoreService: Service {
    let stores: BotStores
    let logger: Logger

    func run() async throws {
        logger.info("storage: \(stores.description)")
        // Returns on graceful shutdown, throws when cancelled: either way the stores close now.
        try? await gracefulShutdown()
        await stores.shutdown()
    }
}
