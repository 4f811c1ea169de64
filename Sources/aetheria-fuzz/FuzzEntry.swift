// Every libFuzzer target of Aetheria in one binary (docs/reliability.md). scripts/fuzz.sh builds it with
// --sanitize=fuzzer and -DFUZZING: libFuzzer then provides `main` and calls the entry point below with the
// target chosen by AETHERIA_FUZZ_TARGET. In a normal build `ReplayFuzzInputs` is the program instead and
// replays files: `aetheria-fuzz <target> <file>...` (without arguments it lists the targets).
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

#if !FUZZING
@main
struct ReplayFuzzInputs {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first else {
            for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
            return
        }
        guard let target = FuzzTarget.named(name) else {
            print("no fuzz target named \(name); targets: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
            exit(2)
        }
        for path in arguments.dropFirst() {
            target.run(Array(FileManager.default.contents(atPath: path) ?? Data()))
        }
    }
}
#endif
