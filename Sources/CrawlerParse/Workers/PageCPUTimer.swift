import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// A worker's parse timeout on its own CPU clock: armed before each page and disarmed after,
/// it ends the worker with `CXML_EXIT_PARSE_TIMEOUT` when one page uses more than `seconds`
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
    init(seconds: Double) throws(WireFormatError) {
        guard seconds > 0 else {
            timer = nil
            isSet = false
            nanoseconds = 0
            return
        }
        var created: timer_t?
        guard cxml_cpu_timer_create(&created) == 0 else {
            throw WireFormatError(description: "cannot set up the parse timeout's CPU timer (\(String(cString: strerror(errno))))")
        }
        timer = created
        isSet = true
        nanoseconds = max(1, Int64((seconds * 1e9).rounded(.up)))
    }

    /// Starts counting the next page's CPU time.
    func arm() {
        if isSet { _ = cxml_cpu_timer_arm(timer, nanoseconds) }
    }

    /// Stops counting (the page is done).
    func disarm() {
        if isSet { _ = cxml_cpu_timer_arm(timer, 0) }
    }
}
