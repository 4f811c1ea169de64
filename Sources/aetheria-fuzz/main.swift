// Every libFuzzer target of Aetheria in one binary (docs/reliability.md). Built with `--sanitize=fuzzer` by
// scripts/fuzz.sh, libFuzzer provides `main` and calls the entry point below with the target chosen by
// AETHERIA_FUZZ_TARGET. In a normal build this file's top level runs instead and replays files:
// `aetheria-fuzz <target> <file>...`.
import AetheriaFuzzTargets
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let target = FuzzTarget.selected else {
        fatalError("AETHERIA_FUZZ_TARGET names no target; see scripts/fuzz.sh --list")
    }
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    target.run(bytes)
    return 0
}

let arguments = CommandLine.arguments.dropFirst()
if let name = arguments.first {
    guard let target = FuzzTarget.named(name) else {
        print("no fuzz target named \(name); targets: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
        exit(2)
    }
    for path in arguments.dropFirst() {
        target.run(Array(FileManager.default.contents(atPath: path) ?? Data()))
    }
} else {
    for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
}
