import Foundation
import TestSupport
import Testing

@testable import CrawlerBench

/// The CPU time of worker processes, as the parse bench reads it.
@Suite struct ProcessMeterTests {
    @Test func aChildsCPUTimeIsReadFinerThanAClockTick() async throws {
        // A child that spins for a while, then stops itself: its CPU time must be seen, and must
        // not move while it is stopped. (Stopped, not asleep: a child that execs `sleep` is
        // named `sleep` while the new program still loads and runs, and on a loaded machine a
        // second reading caught that.)
        let child = try ChildProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; kill -STOP $$"], captureOutput: false)
        let pid = child.pid
        // Wait until it is stopped (state T in /proc/PID/stat), however long the loop takes.
        var stopped = false
        for _ in 0..<3000 where !stopped {
            try await Task.sleep(for: .milliseconds(20))
            stopped = processState(pid) == "T"
        }
        let first = ProcessMeter.cpuSeconds(ofProcesses: [pid])
        try await Task.sleep(for: .milliseconds(50))
        let second = ProcessMeter.cpuSeconds(ofProcesses: [pid])
        child.send(SIGKILL)
        _ = await child.finish()
        try #require(stopped, "the child never finished its loop")
        #expect(first > 0.01, "the loop's CPU time was seen")
        #expect(first == second, "a stopped process's CPU time does not move")
        // Not a whole number of 10 ms ticks, as /proc/PID/stat would give.
        let ticks = first * 100
        #expect(abs(ticks - ticks.rounded()) > 1e-6, "\(first) s is in clock ticks, not nanoseconds")
    }

    @Test func aProcessThatIsGoneCountsNothing() async throws {
        let child = try ChildProcess(URL(fileURLWithPath: "/bin/true"), [], captureOutput: false)
        _ = await child.finish()
        #expect(ProcessMeter.cpuSeconds(ofProcesses: [child.pid]) == 0)
    }
}
