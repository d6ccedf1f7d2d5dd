import CrawlerSystem

#if canImport(Glibc)
import Glibc
#endif

/// A worker's parse timeout on its own CPU clock: armed before each page and disarmed after,
/// it ends the worker with `Posix.cpuTimeoutExitStatus` when one page uses more than `seconds`
/// of CPU time. Counting CPU time rather than wall-clock time means a healthy page is never
/// timed out because the machine is busy; the parent keeps only a generous wall-clock
/// watchdog for a worker that stops without using CPU.
struct PageCPUTimer {
    /// The kernel's timer, or nil when `seconds` is 0 (no timeout). The kernel numbers timers
    /// from 0, which Swift imports as a nil `timer_t`, so an absent timer cannot be told from
    /// the first one: `isSet` says which.
    private let timer: timer_t?
    private let isSet: Bool
    private let nanoseconds: Int64

    /// A timer of `seconds` of CPU time a page (0: none).
    init(seconds: Double) throws(SystemCallError) {
        guard seconds > 0 else {
            timer = nil
            isSet = false
            nanoseconds = 0
            return
        }
        timer = try Posix.createThreadCPUTimer()
        isSet = true
        nanoseconds = max(1, Int64((seconds * 1e9).rounded(.up)))
    }

    /// Starts counting the next page's CPU time.
    func arm() {
        // Cannot fail for a timer this thread created (EINVAL would be a bug here); without
        // it, the parent's wall-clock watchdog still ends a page that runs too long.
        if isSet { try? Posix.armThreadCPUTimer(timer, nanoseconds: nanoseconds) }
    }

    /// Stops counting (the page is done).
    func disarm() {
        if isSet { try? Posix.armThreadCPUTimer(timer, nanoseconds: 0) }
    }
}
