import AetheriaFuzzTargets
import DiscordEmulator
import Foundation
import Testing

/// Every fuzz target runs over its seed corpus (`Fuzz/corpus/<target>/`) on every test run, so inputs that
/// once crashed a parser (saved there by whoever fixed them) stay fixed, and a target that no longer builds
/// or runs is noticed without a fuzzing run.
@Suite("Fuzz targets replay their seed corpora")
struct SeedCorpusTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static func seeds(of target: String) -> [URL] {
        let directory = corpusRoot.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test("every target has seeds, and none of them traps", arguments: FuzzTarget.all.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = Self.seeds(of: name)
        #expect(seeds.count >= 3, "Fuzz/corpus/\(name) needs seeds")
        for seed in seeds {
            target.run(Array(try Data(contentsOf: seed)))
        }
    }

    @Test("random bytes do not trap any target (a short, fixed-seed sample on every run)")
    func randomBytes() {
        var generator = SeededRandom(seed: 0xAE7E_121A)  // the same sample on every run and machine
        for target in FuzzTarget.all {
            for _ in 0..<200 {
                let count = Int(generator.next() % 512)
                target.run((0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
            }
        }
    }
}
