import AetheriaLoadTest
import AetheriaServer
import Foundation
import Testing

@Suite("Load test report")
struct LoadTestReportTests {
    static func report(ingest: Double) -> LoadTestReport {
        LoadTestReport(
            parameters: .init(
                guilds: 100, shards: 2, durationSeconds: 5, rate: 1_000, interactionsPerSecond: 10, compression: true,
                machine: "test"),
            startupSeconds: 1, startupCPUSecondsPerGuild: 0.0001, memoryBytesPerGuild: 3_000,
            ingestEventsPerSecond: ingest, ingestEventsPerCPUSecond: ingest * 2,
            ackLatencyMs: .init(p50: 1, p99: 2, p999: 3),
            interactionsSent: 10, interactionsAcknowledged: 10, lostEvents: 0, duplicateTickets: 0,
            rateLimitedResponses: 0)
    }

    @Test("the JSON carries every field machines read, under the documented names")
    func jsonFields() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.report(ingest: 500))) as? [String: Any])
        for key in [
            "ingest_events_per_cpu_second", "ingest_events_per_second", "memory_bytes_per_guild",
            "startup_cpu_seconds_per_guild", "ack_latency_ms", "lost_events", "duplicate_tickets",
            "rate_limited_responses", "parameters",
        ] {
            #expect(object[key] != nil, "\(key)")
        }
        let latency = try #require(object["ack_latency_ms"] as? [String: Any])
        #expect(Set(latency.keys) == ["p50", "p99", "p999"])
    }

    @Test("--compare prints ratios against the previous run; percentiles pick the right sample")
    func compareAndPercentiles() {
        let table = Self.report(ingest: 600).table(comparedWith: Self.report(ingest: 400))
        #expect(table.contains("ingest events per second") && table.contains("(×1.50 vs previous)"))
        let samples = (1...1_000).map(Double.init)
        #expect(LoadTestReport.percentile(samples, 0.5) == 500)
        #expect(LoadTestReport.percentile(samples, 0.99) == 990)
        #expect(LoadTestReport.percentile(samples, 0.999) == 999)
    }

    @Test("the persistence phase reports its cost as the share of ingest lost to writes")
    func persistenceCost() throws {
        var report = Self.report(ingest: 500)
        report.persistence = .init(
            store: "redis", guildsWithTickets: 100, snapshotWritesPerSecond: 18, eventsPerCPUSecondWithWrites: 96_000,
            eventsPerCPUSecondWithoutWrites: 100_000)
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        let persistence = try #require(object["persistence"] as? [String: Any])
        #expect((persistence["cost_fraction"] as? Double).map { abs($0 - 0.04) < 1e-9 } == true)
        #expect(persistence["store"] as? String == "redis")
        let decoded = try JSONDecoder().decode(LoadTestReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.persistence?.snapshotWritesPerSecond == 18)
        #expect(report.table(comparedWith: nil).contains("4.0% on redis (18 writes/s, 100 guilds with tickets)"))
    }

    @Test("a report written before a field existed still loads and compares, row by row")
    func olderReportsCompare() throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.report(ingest: 400))) as? [String: Any])
        object["heap_bytes_per_guild"] = nil
        let older = try JSONDecoder().decode(
            LoadTestReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(older.heapBytesPerGuild == nil)
        var current = Self.report(ingest: 800)
        current.heapBytesPerGuild = 1_500
        let table = current.table(comparedWith: older)
        #expect(table.contains("1500 B") && table.contains("(×2.00 vs previous)"))
    }
}
