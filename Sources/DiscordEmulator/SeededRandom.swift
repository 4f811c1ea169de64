/// SplitMix64: a small, fast generator whose sequence depends only on its seed, so `--seed` reproduces the
/// same guilds, names and IDs on every run.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Mints snowflakes that never repeat and never go backwards, from the current time or a fixed instant.
struct SnowflakeMinter: Sendable {
    private var lastValue: UInt64 = 0

    mutating func next(atMilliseconds milliseconds: UInt64) -> UInt64 {
        let discordMilliseconds = milliseconds &- 1_420_070_400_000
        let candidate = (discordMilliseconds << 22) | (1 << 17)
        lastValue = max(candidate, lastValue + 1)
        return lastValue
    }
}
