import Foundation

#if canImport(Glibc)
import CMalloc
#endif

/// What the kernel and the allocator say about a process: CPU time and resident memory from `/proc`, and the
/// heap bytes in use from glibc's allocator. The load test reads them for its child bot; `/metrics` exports
/// them for operators.
public enum ProcessStatistics {
    /// User + system CPU seconds of `pid` (this process when `nil`) so far, or 0 when unknown.
    public static func cpuSeconds(pid: Int32? = nil) -> Double {
        guard let stat = try? String(contentsOfFile: procPath(pid, "stat"), encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14, stime 15 (1-based).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident set size of `pid` (this process when `nil`) in bytes, or 0 when unknown.
    public static func residentBytes(pid: Int32? = nil) -> Int {
        guard let status = try? String(contentsOfFile: procPath(pid, "status"), encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1_024
    }

    /// Bytes handed out by malloc and not yet freed, in this process. Unlike RSS it does not move with the
    /// allocator's free lists and arenas, so it is the steadier measure of what the bot's data costs.
    public static func heapBytesInUse() -> Int {
        #if canImport(Glibc)
        let info = mallinfo2()
        // Small and large (mmap-ed) allocations in use.
        return Int(info.uordblks) + Int(info.hblkhd)
        #else
        return 0
        #endif
    }

    private static func procPath(_ pid: Int32?, _ file: String) -> String {
        "/proc/\(pid.map(String.init) ?? "self")/\(file)"
    }
}
