import CrawlerCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Fits a crawl into the process's file-descriptor limit (`ulimit -n`, RLIMIT_NOFILE): raises
/// the soft limit to the hard one where allowed, then lowers `--fetch-concurrency` to what the
/// limit leaves room for, saying so on standard error. Without it, a crawl with more transfers
/// than descriptors fails in libcurl, SQLite or a worker's pipe instead of being slower.
enum DescriptorBudget {
    /// Descriptors one transfer may hold at once: its socket, plus the threaded resolver's pair
    /// while a name is looked up.
    static let perTransfer = 2
    /// Descriptors kept for everything else: SQLite (the database, its WAL and shared-memory
    /// files for the writer and each reader), the lock file, libcurl's wake-up pipe, the
    /// interrupt pipe, and a margin.
    static let reserved = 48
    /// Descriptors the parent keeps per parse worker process (its pipes and body ring).
    static let perWorkerProcess = 4

    /// `fetch` with its concurrency lowered to what the descriptor limit allows.
    static func fitting(_ fetch: FetchOptions, parse: ParseOptions) -> FetchOptions {
        let limit = raisedLimit()
        let allowed = maximumConcurrency(limit: limit, openNow: openDescriptors(), parse: parse)
        guard fetch.concurrency > allowed else { return fetch }
        var fetch = fetch
        let asked = fetch.concurrency
        fetch.concurrency = allowed
        Console.warn(
            "--fetch-concurrency \(asked) needs about \(asked * perTransfer) file descriptors, but this process may open only \(limit) "
                + "(ulimit -n); crawling with --fetch-concurrency \(allowed) instead. Raise the limit (ulimit -n) to keep more transfers in flight.")
        return fetch
    }

    /// Transfers that fit in `limit` descriptors with `openNow` already open: at least 1.
    static func maximumConcurrency(limit: Int, openNow: Int, parse: ParseOptions) -> Int {
        let workers = parse.model == .processes ? parse.workers * perWorkerProcess : 0
        return max(1, (limit - openNow - reserved - workers) / perTransfer)
    }

    /// The soft RLIMIT_NOFILE after raising it to the hard limit (when the kernel allows).
    static func raisedLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Descriptors open now (the entries of /proc/self/fd).
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 16
    }
}
