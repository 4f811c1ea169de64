public import Foundation

/// What `aetheria loadtest` measured, for people (a table) and machines (`--json`).
public struct LoadTestReport: Codable, Sendable {
    public struct Latency: Codable, Sendable {
        public var p50: Double
        public var p99: Double
        public var p999: Double

        public init(p50: Double, p99: Double, p999: Double) {
            self.p50 = p50
            self.p99 = p99
            self.p999 = p999
        }
    }

    public struct Parameters: Codable, Sendable {
        public var guilds: Int
        public var shards: Int
        public var durationSeconds: Int
        public var rate: Int
        public var interactionsPerSecond: Int
        public var compression: Bool
        public var machine: String

        public init(
            guilds: Int, shards: Int, durationSeconds: Int, rate: Int, interactionsPerSecond: Int, compression: Bool,
            machine: String
        ) {
            self.guilds = guilds
            self.shards = shards
            self.durationSeconds = durationSeconds
            self.rate = rate
            self.interactionsPerSecond = interactionsPerSecond
            self.compression = compression
            self.machine = machine
        }
    }

    /// Phase 4: the same firehose over guilds with open tickets, once with activity written as usual and once
    /// with activity writes held back, on the same store; the difference is what persistence costs ingest.
    public struct Persistence: Codable, Sendable {
        /// `redis` or `sqlite`.
        public var store: String
        public var guildsWithTickets: Int
        public var snapshotWritesPerSecond: Double
        public var eventsPerCPUSecondWithWrites: Double
        public var eventsPerCPUSecondWithoutWrites: Double

        /// The share of ingest capacity persistence takes: 0.03 means 3% fewer events per CPU-second.
        public var costFraction: Double

        public init(
            store: String, guildsWithTickets: Int, snapshotWritesPerSecond: Double,
            eventsPerCPUSecondWithWrites: Double, eventsPerCPUSecondWithoutWrites: Double
        ) {
            self.store = store
            self.guildsWithTickets = guildsWithTickets
            self.snapshotWritesPerSecond = snapshotWritesPerSecond
            self.eventsPerCPUSecondWithWrites = eventsPerCPUSecondWithWrites
            self.eventsPerCPUSecondWithoutWrites = eventsPerCPUSecondWithoutWrites
            self.costFraction =
                eventsPerCPUSecondWithoutWrites > 0
                ? 1 - eventsPerCPUSecondWithWrites / eventsPerCPUSecondWithoutWrites : 0
        }

        enum CodingKeys: String, CodingKey {
            case store
            case guildsWithTickets = "guilds_with_tickets"
            case snapshotWritesPerSecond = "snapshot_writes_per_second"
            case eventsPerCPUSecondWithWrites = "events_per_cpu_second_with_writes"
            case eventsPerCPUSecondWithoutWrites = "events_per_cpu_second_without_writes"
            case costFraction = "cost_fraction"
        }
    }

    public var parameters: Parameters
    public var startupSeconds: Double
    public var startupCPUSecondsPerGuild: Double
    public var memoryBytesPerGuild: Double
    /// Heap bytes in use (malloc) per guild: steadier than the RSS delta. Absent in reports before it existed.
    public var heapBytesPerGuild: Double?
    /// Absent when the persistence phase did not run.
    public var persistence: Persistence?
    public var ingestEventsPerSecond: Double
    public var ingestEventsPerCPUSecond: Double
    public var ackLatencyMs: Latency
    public var interactionsSent: Int
    public var interactionsAcknowledged: Int
    public var lostEvents: Int
    public var duplicateTickets: Int
    public var rateLimitedResponses: Int

    public init(
        parameters: Parameters, startupSeconds: Double, startupCPUSecondsPerGuild: Double, memoryBytesPerGuild: Double,
        ingestEventsPerSecond: Double, ingestEventsPerCPUSecond: Double, ackLatencyMs: Latency, interactionsSent: Int,
        interactionsAcknowledged: Int, lostEvents: Int, duplicateTickets: Int, rateLimitedResponses: Int,
        heapBytesPerGuild: Double? = nil, persistence: Persistence? = nil
    ) {
        self.heapBytesPerGuild = heapBytesPerGuild
        self.persistence = persistence
        self.parameters = parameters
        self.startupSeconds = startupSeconds
        self.startupCPUSecondsPerGuild = startupCPUSecondsPerGuild
        self.memoryBytesPerGuild = memoryBytesPerGuild
        self.ingestEventsPerSecond = ingestEventsPerSecond
        self.ingestEventsPerCPUSecond = ingestEventsPerCPUSecond
        self.ackLatencyMs = ackLatencyMs
        self.interactionsSent = interactionsSent
        self.interactionsAcknowledged = interactionsAcknowledged
        self.lostEvents = lostEvents
        self.duplicateTickets = duplicateTickets
        self.rateLimitedResponses = rateLimitedResponses
    }

    enum CodingKeys: String, CodingKey {
        case parameters
        case startupSeconds = "startup_seconds"
        case startupCPUSecondsPerGuild = "startup_cpu_seconds_per_guild"
        case memoryBytesPerGuild = "memory_bytes_per_guild"
        case heapBytesPerGuild = "heap_bytes_per_guild"
        case persistence
        case ingestEventsPerSecond = "ingest_events_per_second"
        case ingestEventsPerCPUSecond = "ingest_events_per_cpu_second"
        case ackLatencyMs = "ack_latency_ms"
        case interactionsSent = "interactions_sent"
        case interactionsAcknowledged = "interactions_acknowledged"
        case lostEvents = "lost_events"
        case duplicateTickets = "duplicate_tickets"
        case rateLimitedResponses = "rate_limited_responses"
    }

    var rows: [(String, String, Double?)] {
        [
            ("startup (READY + GUILD_CREATE of every guild)", String(format: "%.2f s", startupSeconds), startupSeconds),
            (
                "startup CPU per guild", String(format: "%.1f µs", startupCPUSecondsPerGuild * 1e6),
                startupCPUSecondsPerGuild
            ),
            (
                "memory per guild (RSS delta ÷ guilds)", String(format: "%.0f B", memoryBytesPerGuild),
                memoryBytesPerGuild
            ),
            (
                "heap in use per guild (malloc delta ÷ guilds)",
                heapBytesPerGuild.map { String(format: "%.0f B", $0) } ?? "not measured", heapBytesPerGuild
            ),
            ("ingest events per second", String(format: "%.0f", ingestEventsPerSecond), ingestEventsPerSecond),
            (
                "ingest events per CPU-second", String(format: "%.0f", ingestEventsPerCPUSecond),
                ingestEventsPerCPUSecond
            ),
            ("click-to-ack p50", String(format: "%.2f ms", ackLatencyMs.p50), ackLatencyMs.p50),
            ("click-to-ack p99", String(format: "%.2f ms", ackLatencyMs.p99), ackLatencyMs.p99),
            ("click-to-ack p99.9", String(format: "%.2f ms", ackLatencyMs.p999), ackLatencyMs.p999),
            (
                "interactions acknowledged / sent", "\(interactionsAcknowledged) / \(interactionsSent)",
                Double(interactionsAcknowledged)
            ),
            (
                "persistence cost (share of ingest)",
                persistence.map {
                    String(format: "%.1f%% on ", $0.costFraction * 100) + $0.store
                        + String(
                            format: " (%.0f writes/s, %d guilds with tickets)", $0.snapshotWritesPerSecond,
                            $0.guildsWithTickets)
                } ?? "not measured", persistence?.costFraction
            ),
            ("lost events", String(lostEvents), Double(lostEvents)),
            ("duplicate tickets", String(duplicateTickets), Double(duplicateTickets)),
            ("rate-limited responses (429)", String(rateLimitedResponses), Double(rateLimitedResponses)),
        ]
    }

    public func table(comparedWith previous: LoadTestReport?) -> String {
        var lines = [
            "Aetheria load test: \(parameters.guilds) guilds, \(parameters.shards) shards, \(parameters.durationSeconds) s phases, \(parameters.machine)"
        ]
        // Matched by label, so a report from an older version (with fewer rows) still compares.
        let previousValues = Dictionary(
            (previous?.rows ?? []).map { ($0.0, $0.2) }, uniquingKeysWith: { first, _ in first })
        for row in rows {
            var line = row.0.padding(toLength: 46, withPad: " ", startingAt: 0) + row.1
            if let now = row.2, let before = previousValues[row.0] ?? nil, before != 0 {
                line += String(format: "   (×%.2f vs previous)", now / before)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }
}
