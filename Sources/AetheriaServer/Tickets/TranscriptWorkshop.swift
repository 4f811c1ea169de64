import NIOPosix

/// Where transcripts are rendered: a thread of its own, never a shard's event loop. Rendering a ticket of
/// 50,000 messages takes over a second; on the shard's loop it would hold back the heartbeats and events of
/// every guild on that shard (DESIGN.md §10: heavy work leaves the shard loop). One thread for the process
/// renders one transcript at a time, so a burst of closes queues here instead of taking every core.
enum TranscriptWorkshop {
    /// The most messages one transcript holds (the REST history is paged up to this many): the per-ticket
    /// budget of rendering time and memory.
    static let maximumMessages = 50_000

    private static let thread: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// Runs `work` (merging a ticket's history and rendering it) on the workshop thread; the caller's executor
    /// is free meanwhile.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await thread.runIfActive(work)
    }
}
