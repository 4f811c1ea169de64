import Foundation
import TicketCore

extension ConfigurationLoader {
    /// Every key Aetheria reads, in the order `docs/configuration.md` documents them.
    package static let keys: [Key] = [
        Key(path: "discord.token", environmentVariable: "DISCORD_TOKEN") {
            value, configuration throws(ConfigurationError) in
            guard value.split(separator: ".").count == 3, !value.contains(where: \.isWhitespace) else {
                // Never echo the value: it is a secret, however malformed.
                throw ConfigurationError(
                    key: "discord.token (DISCORD_TOKEN)", problem: "is not shaped like a bot token")
            }
            configuration.discordToken = value
        },
        Key(path: "discord.apiURL", environmentVariable: "DISCORD_API_URL") {
            value, configuration throws(ConfigurationError) in
            configuration.discordAPIURL = try httpURL(value, key: "discord.apiURL (DISCORD_API_URL)")
        },
        Key(path: "discord.gatewayURL", environmentVariable: "DISCORD_GATEWAY_URL") {
            value, configuration throws(ConfigurationError) in
            guard let url = URL(string: value), ["ws", "wss"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError(
                    key: "discord.gatewayURL (DISCORD_GATEWAY_URL)", problem: "must be a ws:// or wss:// URL")
            }
            configuration.discordGatewayURL = url
        },
        Key(path: "discord.clientID", environmentVariable: "DISCORD_CLIENT_ID") {
            value, configuration throws(ConfigurationError) in
            guard UInt64(value) != nil else {
                throw ConfigurationError(key: "discord.clientID (DISCORD_CLIENT_ID)", problem: "must be a snowflake ID")
            }
            configuration.discordClientID = value
        },
        Key(path: "discord.clientSecret", environmentVariable: "DISCORD_CLIENT_SECRET") {
            value, configuration throws(ConfigurationError) in
            configuration.discordClientSecret = value
        },
        Key(path: "shards.count", environmentVariable: "AETHERIA_SHARDS") {
            value, configuration throws(ConfigurationError) in
            if value == "auto" {
                configuration.shardCount = .automatic
            } else if let count = Int(value), count >= 1 {
                configuration.shardCount = .fixed(count)
            } else {
                throw ConfigurationError(
                    key: "shards.count (AETHERIA_SHARDS)",
                    problem: "must be \"auto\" or a positive number, not \"\(value)\"")
            }
        },
        Key(path: "shards.range", environmentVariable: "AETHERIA_SHARD_RANGE") {
            value, configuration throws(ConfigurationError) in
            let bounds = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            let range: ClosedRange<Int>?
            switch bounds.count {
            case 1: range = bounds[0].map { $0...$0 }
            case 2:
                if let low = bounds[0], let high = bounds[1], low <= high { range = low...high } else { range = nil }
            default: range = nil
            }
            guard let range, range.lowerBound >= 0 else {
                throw ConfigurationError(
                    key: "shards.range (AETHERIA_SHARD_RANGE)",
                    problem: "must look like \"0-15\" or \"3\", not \"\(value)\"")
            }
            if case .fixed(let count) = configuration.shardCount, range.upperBound >= count {
                throw ConfigurationError(
                    key: "shards.range (AETHERIA_SHARD_RANGE)",
                    problem: "ends at shard \(range.upperBound) but shards.count is \(count)")
            }
            configuration.shardRange = range
        },
        Key(path: "shards.instanceID", environmentVariable: "AETHERIA_INSTANCE_ID") {
            value, configuration throws(ConfigurationError) in
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            guard (1...64).contains(value.count), value.allSatisfy(allowed.contains) else {
                throw ConfigurationError(
                    key: "shards.instanceID (AETHERIA_INSTANCE_ID)",
                    problem: "must be 1 to 64 letters, digits, dots, dashes or underscores")
            }
            configuration.instanceID = value
        },
        Key(path: "gateway.compression", environmentVariable: "AETHERIA_GATEWAY_COMPRESSION") {
            value, configuration throws(ConfigurationError) in
            configuration.gatewayCompression = try boolean(
                value, key: "gateway.compression (AETHERIA_GATEWAY_COMPRESSION)")
        },
        Key(path: "storage.redisURL", environmentVariable: "REDIS_URL") {
            value, configuration throws(ConfigurationError) in
            guard let url = URL(string: value), ["redis", "rediss"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError(
                    key: "storage.redisURL (REDIS_URL)", problem: "must look like redis://[user:password@]host:port/db")
            }
            configuration.redisURL = url
        },
        Key(path: "storage.dataDirectory", environmentVariable: "AETHERIA_DATA_DIR") {
            value, configuration throws(ConfigurationError) in
            configuration.dataDirectory = value
        },
        Key(path: "dashboard.host", environmentVariable: "DASHBOARD_HOST") {
            value, configuration throws(ConfigurationError) in
            configuration.dashboardHost = value
        },
        Key(path: "dashboard.port", environmentVariable: "DASHBOARD_PORT") {
            value, configuration throws(ConfigurationError) in
            guard let port = Int(value), (0...65535).contains(port) else {
                throw ConfigurationError(
                    key: "dashboard.port (DASHBOARD_PORT)", problem: "must be a port number 0–65535, not \"\(value)\"")
            }
            configuration.dashboardPort = port
        },
        Key(path: "dashboard.publicURL", environmentVariable: "DASHBOARD_PUBLIC_URL") {
            value, configuration throws(ConfigurationError) in
            configuration.dashboardPublicURL = try httpURL(value, key: "dashboard.publicURL (DASHBOARD_PUBLIC_URL)")
        },
        Key(path: "tickets.staleCheckIntervalMinutes", environmentVariable: "AETHERIA_STALE_CHECK_MINUTES") {
            value, configuration throws(ConfigurationError) in
            guard let minutes = Int(value), (1...10_080).contains(minutes) else {
                throw ConfigurationError(
                    key: "tickets.staleCheckIntervalMinutes (AETHERIA_STALE_CHECK_MINUTES)",
                    problem: "must be a whole number of minutes from 1 to 10080, not \"\(value)\"")
            }
            configuration.staleCheckInterval = .seconds(minutes * 60)
        },
        Key(path: "tickets.retryCapSeconds", environmentVariable: "AETHERIA_RETRY_CAP_SECONDS") {
            value, configuration throws(ConfigurationError) in
            guard let seconds = Int(value), (1...3_600).contains(seconds) else {
                throw ConfigurationError(
                    key: "tickets.retryCapSeconds (AETHERIA_RETRY_CAP_SECONDS)",
                    problem: "must be a whole number of seconds from 1 to 3600, not \"\(value)\"")
            }
            configuration.retrySchedule = RetrySchedule(base: .seconds(min(5, seconds)), cap: .seconds(seconds))
        },
        Key(path: "storage.activityFlushSeconds", environmentVariable: "AETHERIA_ACTIVITY_FLUSH_SECONDS") {
            value, configuration throws(ConfigurationError) in
            guard let seconds = Int(value), (1...86_400).contains(seconds) else {
                throw ConfigurationError(
                    key: "storage.activityFlushSeconds (AETHERIA_ACTIVITY_FLUSH_SECONDS)",
                    problem: "must be a whole number of seconds from 1 to 86400, not \"\(value)\"")
            }
            configuration.activityFlushDelay = .seconds(seconds)
        },
        Key(path: "dashboard.authorizeURL", environmentVariable: "DASHBOARD_AUTHORIZE_URL") {
            value, configuration throws(ConfigurationError) in
            configuration.dashboardAuthorizeURL = try httpURL(
                value, key: "dashboard.authorizeURL (DASHBOARD_AUTHORIZE_URL)")
        },
        Key(path: "dashboard.insecureCookies", environmentVariable: "DASHBOARD_INSECURE_COOKIES") {
            value, configuration throws(ConfigurationError) in
            configuration.dashboardSecureCookies = try !boolean(
                value, key: "dashboard.insecureCookies (DASHBOARD_INSECURE_COOKIES)")
        },
        Key(path: "dashboard.metricsToken", environmentVariable: "METRICS_TOKEN") {
            value, configuration throws(ConfigurationError) in
            configuration.metricsToken = value
        },
        Key(path: "storage.transcriptRetentionDays", environmentVariable: "AETHERIA_TRANSCRIPT_RETENTION_DAYS") {
            value, configuration throws(ConfigurationError) in
            guard let days = Int(value), days >= 0 else {
                throw ConfigurationError(
                    key: "storage.transcriptRetentionDays (AETHERIA_TRANSCRIPT_RETENTION_DAYS)",
                    problem: "must be a whole number of days (0 keeps transcripts forever), not \"\(value)\"")
            }
            configuration.transcriptRetentionDays = days == 0 ? nil : days
        },
        Key(
            path: "storage.transcriptAttachmentBudgetMB",
            environmentVariable: "AETHERIA_TRANSCRIPT_ATTACHMENT_BUDGET_MB"
        ) {
            value, configuration throws(ConfigurationError) in
            guard let megabytes = Int(value), (0...50).contains(megabytes) else {
                throw ConfigurationError(
                    key: "storage.transcriptAttachmentBudgetMB (AETHERIA_TRANSCRIPT_ATTACHMENT_BUDGET_MB)",
                    problem: "must be a whole number of MiB from 0 to 50, not \"\(value)\"")
            }
            configuration.transcriptAttachmentBudgetBytes = megabytes * 1024 * 1024
        },
        Key(path: "discord.memberEvents", environmentVariable: "AETHERIA_MEMBER_EVENTS") {
            value, configuration throws(ConfigurationError) in
            configuration.memberEvents = try boolean(value, key: "discord.memberEvents (AETHERIA_MEMBER_EVENTS)")
        },
        Key(path: "log.level", environmentVariable: "AETHERIA_LOG_LEVEL") {
            value, configuration throws(ConfigurationError) in
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value) else {
                throw ConfigurationError(
                    key: "log.level (AETHERIA_LOG_LEVEL)", problem: "must be one of \(levels.joined(separator: ", "))")
            }
            configuration.logLevel = value
        },
    ]

    private static func boolean(_ value: String, key: String) throws(ConfigurationError) -> Bool {
        guard value == "true" || value == "false" else {
            throw ConfigurationError(key: key, problem: "must be true or false")
        }
        return value == "true"
    }

    private static func httpURL(_ value: String, key: String) throws(ConfigurationError) -> URL {
        guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigurationError(key: key, problem: "must be an http:// or https:// URL, not \"\(value)\"")
        }
        return url
    }
}
