#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output as people and service managers read it.
enum StandardOutput {
    /// Writes each line as it is printed. C's stdio buffers whole blocks when the output is a file, a pipe
    /// or a service manager's journal, so the demo's URLs appeared only minutes later, or never.
    static func flushEveryLine() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
