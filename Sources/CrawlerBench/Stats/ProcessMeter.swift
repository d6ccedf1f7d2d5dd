import CrawlerCore
import Foundation

/// Readings of this process's resources (Linux `/proc` and `getrusage`), taken around a measured point.
enum ProcessMeter {
    /// User + system CPU seconds of this process so far.
    static func cpuSeconds() -> Double { FetchBenchmark.cpuSeconds() }

    /// User + system CPU seconds of the child processes that have ended and been waited for
    /// (worker processes, once the engine is shut down).
    static func childrenCPUSeconds() -> Double { CPUTime.endedChildren() }

    /// CPU seconds of other processes of ours (worker processes) so far; a process that has
    /// gone counts 0. Read from each thread's `/proc/PID/task/TID/schedstat` (nanoseconds on
    /// the CPU), since `/proc/PID/stat` counts in clock ticks (10 ms), too coarse for a
    /// measured pass of a fraction of a second; from `/proc/PID/stat` where schedstat is
    /// missing.
    static func cpuSeconds(ofProcesses ids: [pid_t]) -> Double {
        ids.reduce(0) { total, id in total + (scheduledSeconds(of: id) ?? tickSeconds(of: id) ?? 0) }
    }

    /// The time on the CPU of every thread the process has now, from schedstat; nil when no
    /// thread's can be read (no schedstat here, or the process is gone). A thread that exits
    /// between the listing and the read is skipped rather than making the whole reading fall
    /// back to ticks, which would mix two resolutions in one difference. (A thread that has
    /// exited takes its time with it: fine for the parse workers, which run one thread.)
    private static func scheduledSeconds(of id: pid_t) -> Double? {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(id)/task") else { return nil }
        var nanoseconds: UInt64 = 0
        var read = 0
        for thread in threads {
            guard let text = try? String(contentsOfFile: "/proc/\(id)/task/\(thread)/schedstat", encoding: .utf8),
                let first = text.split(separator: " ").first, let value = UInt64(first)
            else { continue }
            nanoseconds += value
            read += 1
        }
        return read > 0 ? Double(nanoseconds) / 1e9 : nil
    }

    /// User + system time from `/proc/PID/stat`, in clock ticks.
    private static func tickSeconds(of id: pid_t) -> Double? {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard ticksPerSecond > 0,
            let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name: state is field 3, utime field 14, stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
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
