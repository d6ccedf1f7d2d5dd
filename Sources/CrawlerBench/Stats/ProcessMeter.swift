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

    /// User + system CPU seconds of other processes of ours (worker processes) so far, from
    /// `/proc/PID/stat`; a process that has gone counts 0.
    static func cpuSeconds(ofProcesses ids: [pid_t]) -> Double {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard ticksPerSecond > 0 else { return 0 }
        var total = 0.0
        for id in ids {
            guard let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { continue }
            // After the command name: state is field 3, utime field 14, stime field 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            total += (user + system) / ticksPerSecond
        }
        return total
    }

    /// The 1-minute load average (`/proc/loadavg`), or nil where there is none.
    static func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
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
