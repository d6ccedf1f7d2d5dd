import Foundation
import Testing

@testable import CrawlerBench

/// The CPU time of worker processes, as the parse bench reads it.
@Suite struct ProcessMeterTests {
    @Test func aChildsCPUTimeIsReadFinerThanAClockTick() async throws {
        // A child that spins for a while, then sleeps: its CPU time must be seen, and must not
        // move while it sleeps.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; exec sleep 30"]
        try child.run()
        let pid = child.processIdentifier
        defer {
            kill(pid, SIGKILL)
            child.waitUntilExit()
        }
        // Wait until it sleeps (state S after the loop: /proc/PID/stat names the command `sleep`).
        var sleeping = false
        for _ in 0..<300 where !sleeping {
            try await Task.sleep(for: .milliseconds(20))
            sleeping = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains("(sleep)") ?? false
        }
        try #require(sleeping, "the child never finished its loop")
        let first = ProcessMeter.cpuSeconds(ofProcesses: [pid])
        let second = ProcessMeter.cpuSeconds(ofProcesses: [pid])
        #expect(first > 0.01, "the loop's CPU time was seen")
        #expect(first == second, "a sleeping process's CPU time does not move")
        // Not a whole number of 10 ms ticks, as /proc/PID/stat would give.
        let ticks = first * 100
        #expect(abs(ticks - ticks.rounded()) > 1e-6, "\(first) s is in clock ticks, not nanoseconds")
    }

    @Test func aProcessThatIsGoneCountsNothing() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        #expect(ProcessMeter.cpuSeconds(ofProcesses: [child.processIdentifier]) == 0)
    }
}
