import AetheriaServer
import Foundation
import Testing

@Suite("Process statistics")
struct ProcessStatisticsTests {
    @Test("heap in use grows by what is allocated and kept; RSS and CPU time are read from /proc")
    func figures() {
        // 64 MB, far more than other tests running in parallel allocate or free meanwhile.
        let before = ProcessStatistics.heapBytesInUse()
        let kept = (0..<1_024).map { _ in [UInt8](repeating: 1, count: 64 * 1024) }
        let after = ProcessStatistics.heapBytesInUse()
        #expect(after - before >= 48 * 1024 * 1024)
        #expect(kept.count == 1_024)
        #expect(ProcessStatistics.residentBytes() > 4 * 1024 * 1024)
        #expect(ProcessStatistics.cpuSeconds() > 0)
        // Another process's figures by pid; a pid that does not exist reads as 0, never a crash.
        #expect(ProcessStatistics.residentBytes(pid: ProcessInfo.processInfo.processIdentifier) > 0)
        #expect(ProcessStatistics.residentBytes(pid: Int32.max) == 0)
        #expect(ProcessStatistics.cpuSeconds(pid: Int32.max) == 0)
    }
}
