import Foundation

/// Readings of this process's resources (Linux `/proc` and `getrusage`), taken around a measured point.
enum ProcessMeter {
    /// User + system CPU seconds of this process so far.
    static func cpuSeconds() -> Double { FetchBenchmark.cpuSeconds() }

    /// User + system CPU seconds of the child processes that have ended and been waited for
    /// (worker processes, once the engine is shut down).
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident memory of this process (VmHWM), in bytes. Monotonic over the process's life:
    /// the bench measures each point in a fresh process, so this is that point's peak.
    static func peakRSSBytes() -> Int { FetchBenchmark.peakRSSBytes() }

    /// OS threads of this process now.
    static func threadCount() -> Int { FetchBenchmark.threadCount() }

    /// Seconds of a `ContinuousClock` duration.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
