public import AetheriaPorts
public import DiscordModels

extension RateLimitResponse {
    /// The longest wait any rate-limit header is believed for. Discord's windows are seconds to minutes; a
    /// `Retry-After` of `1e300` or `inf` means "a long time", not a number to compute with.
    public static let maximumWaitSeconds: Double = 86_400
    /// Far above any limit Discord sets on a bucket.
    public static let maximumBucketSize = 1_000_000

    /// Reads Discord's rate-limit headers through the outside-number rule (docs/architecture.md): counts are
    /// clamped to `0...maximumBucketSize`, durations to `0...maximumWaitSeconds`; text that is not a number, or
    /// NaN, is ignored as if the header were absent.
    public static func parsing(status: Int, header: (String) -> String?) -> RateLimitResponse {
        RateLimitResponse(
            status: status, bucket: header("X-RateLimit-Bucket").map { String($0.prefix(128)) },
            limit: header("X-RateLimit-Limit").flatMap { OutsideNumber.clampedInteger($0, to: 0...maximumBucketSize) },
            remaining: header("X-RateLimit-Remaining").flatMap {
                OutsideNumber.clampedInteger($0, to: 0...maximumBucketSize)
            },
            resetAfter: header("X-RateLimit-Reset-After").flatMap {
                OutsideNumber.clampedDecimal($0, to: 0...maximumWaitSeconds)
            },
            retryAfter: header("Retry-After").flatMap { OutsideNumber.clampedDecimal($0, to: 0...maximumWaitSeconds) },
            isGlobal: header("X-RateLimit-Global") == "true",
            scope: header("X-RateLimit-Scope").map { String($0.prefix(16)) })
    }

    /// A number of seconds from a body (`retry_after`), clamped like the headers.
    public static func seconds(_ value: Double) -> Double? {
        OutsideNumber.clamp(value, to: 0...maximumWaitSeconds)
    }
}
