import Foundation

/// CPU time as the kernel counts it, for accounting a crawl's stages honestly: CPU is CPU,
/// waiting is waiting. Linux only (`/proc`), like the rest of the crawler.
public enum CPUTime {
    /// User + system seconds of this process so far (every thread).
    public static func process() -> Double {
        usage(RUSAGE_SELF)
    }

    /// User + system seconds of child processes that have ended and been waited for (worker
    /// processes that were replaced, or shut down).
    public static func endedChildren() -> Double {
        usage(RUSAGE_CHILDREN)
    }

    /// Seconds the calling thread has been on a CPU (`CLOCK_THREAD_CPUTIME_ID`): around a call
    /// that does not suspend, the CPU that call used.
    public static func currentThread() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Seconds on a CPU of this process's threads whose kernel name starts with `prefix`
    /// (the engines name theirs: `fetch-…`, `parse-…`), from `/proc/self/task/*/schedstat`
    /// (nanoseconds). A thread that has exited is no longer counted.
    public static func threads(namedWithPrefix prefix: String) -> Double {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return 0 }
        var nanoseconds: UInt64 = 0
        for task in tasks {
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                name.hasPrefix(prefix)
            else { continue }
            nanoseconds += scheduledNanoseconds("/proc/self/task/\(task)/schedstat") ?? 0
        }
        return Double(nanoseconds) / 1e9
    }

    /// Seconds on a CPU of other processes (worker processes) so far, every thread; a process
    /// that has gone counts 0.
    public static func processes(_ ids: [Int32]) -> Double {
        var nanoseconds: UInt64 = 0
        for id in ids {
            guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(id)/task") else { continue }
            for task in tasks { nanoseconds += scheduledNanoseconds("/proc/\(id)/task/\(task)/schedstat") ?? 0 }
        }
        return Double(nanoseconds) / 1e9
    }

    private static func scheduledNanoseconds(_ path: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let first = text.split(separator: " ").first else { return nil }
        return UInt64(first)
    }

    private static func usage(_ who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(who.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
