import Foundation

/// Every parser of outside bytes, as a libFuzzer target (docs/reliability.md). Each takes arbitrary bytes
/// and must neither trap nor hang; a target that finds a problem crashes, which is what libFuzzer reports.
///
/// One binary (`aetheria-fuzz`) holds them all; `AETHERIA_FUZZ_TARGET` chooses which one libFuzzer drives
/// (`scripts/fuzz.sh` sets it), and the seed corpora in `Fuzz/corpus/<name>/` are replayed by the test suite
/// on every run, so a crash once found stays fixed.
package struct FuzzTarget: Sendable {
    package let name: String
    /// What the target feeds its bytes to, for the reader of `scripts/fuzz.sh --list`.
    package let summary: String
    package let run: @Sendable (_ bytes: [UInt8]) -> Void

    package static let all: [FuzzTarget] = gatewayTargets + domainTargets + adapterTargets

    package static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }

    /// The target chosen through `AETHERIA_FUZZ_TARGET`, read once.
    package static let selected: FuzzTarget? = {
        guard let name = ProcessInfo.processInfo.environment["AETHERIA_FUZZ_TARGET"] else { return nil }
        return named(name)
    }()
}

extension FuzzTarget {
    /// Bytes as text the way a Discord payload or a member's message would arrive: lossy UTF-8.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Splits the input in up to `count` parts at the bytes' own `0xFF` separators (libFuzzer finds them).
    static func parts(_ bytes: [UInt8], count: Int) -> [[UInt8]] {
        var parts = bytes.split(separator: 0xFF, maxSplits: count - 1, omittingEmptySubsequences: false).map(Array.init)
        while parts.count < count { parts.append([]) }
        return parts
    }
}
