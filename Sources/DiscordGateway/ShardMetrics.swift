import Metrics

/// swift-metrics instruments for one shard (exported as Prometheus by the dashboard). Labels carry the shard
/// and the event type only: never a token, a session ID or a guild.
struct ShardMetrics {
    private let eventCounters: [Counter]
    let reconnects: Counter
    let resumes: Counter
    let identifies: Counter
    let heartbeatLatency: Metrics.Timer
    let connected: Gauge

    init(shard: ShardIdentity) {
        let shardLabel = ("shard", String(shard.id))
        eventCounters = GatewayEventName.allCases.map { event in
            Counter(label: "aetheria_gateway_events_total", dimensions: [shardLabel, ("event", event.description)])
        }
        reconnects = Counter(label: "aetheria_gateway_reconnects_total", dimensions: [shardLabel])
        resumes = Counter(label: "aetheria_gateway_resumes_total", dimensions: [shardLabel])
        identifies = Counter(label: "aetheria_gateway_identifies_total", dimensions: [shardLabel])
        heartbeatLatency = Metrics.Timer(label: "aetheria_gateway_heartbeat_latency", dimensions: [shardLabel])
        connected = Gauge(label: "aetheria_gateway_connected", dimensions: [shardLabel])
    }

    func countEvent(_ event: GatewayEventName) {
        eventCounters[Int(event.rawValue)].increment()
    }
}
