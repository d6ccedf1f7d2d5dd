import CrawlerCore
import CrawlerFetch
import Foundation
import Synchronization

/// What one fetch benchmark run measured.
public struct FetchBenchmarkResult: Sendable, Hashable, Codable {
    /// The engine measured.
    public var model: FetchModel
    /// Transfers kept in flight.
    public var concurrency: Int
    /// Fetches that returned a response (any status).
    public var pages: Int
    /// Fetches that failed, by `FetchError.kind`.
    public var failures: [String: Int]
    /// Body bytes received.
    public var bodyBytes: Int
    /// Wall-clock seconds from the first request to the last response.
    public var wallSeconds: Double
    /// Responses per second of wall time.
    public var pagesPerSecond: Double
    /// User + system CPU seconds of the whole process per 1,000 responses.
    public var cpuSecondsPer1000Pages: Double
    /// Peak resident memory of the process during the run, in bytes (VmHWM, reset before the run when the kernel allows).
    public var peakRSSBytes: Int
    /// OS threads of the process at the busiest sample during the run.
    public var threadCount: Int
    /// The server's latency per request, when known: `concurrency / latency` is the ideal rate.
    public var latencySeconds: Double?

    /// `pagesPerSecond` as a fraction of `concurrency / latency`, when the latency is known.
    public var efficiency: Double? {
        guard let latencySeconds, latencySeconds > 0 else { return nil }
        return pagesPerSecond / (Double(concurrency) / latencySeconds)
    }
}

/// The fetch phase alone, without parsing or storage: `concurrency` tasks each fetch the next
/// URL of `urls` through a bare engine (no robots, no per-host limits) until all are fetched.
/// Run the server in another process, or its CPU is counted too.
public enum FetchBenchmark {
    /// Measures one engine on `urls`. `options.model` and `options.concurrency` are overridden
    /// by `model` and `concurrency`; `latencySeconds` (the server's) only labels the result.
    public static func run(
        model: FetchModel, concurrency: Int, urls: [NormalizedURL], options: FetchOptions = FetchOptions(),
        latencySeconds: Double? = nil
    ) async -> FetchBenchmarkResult {
        var options = options
        options.model = model
        options.concurrency = concurrency
        // The sequential baseline has one thread; drive it with one task so it is measured as it is used.
        let workers = model == .sequential ? 1 : max(1, concurrency)
        let engine = makeFetchEngine(options)

        resetPeakRSS()
        let counters = Counters()
        let cpuBefore = cpuSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        let sampler = Task {
            while !Task.isCancelled {
                counters.peakThreads.max(threadCount())
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        let tally = await withTaskGroup(of: Tally.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var tally = Tally()
                    while true {
                        let index = counters.next.add(1, ordering: .relaxed).oldValue
                        guard index < urls.count else { break }
                        switch await engine.fetch(urls[index]) {
                        case .success(let response):
                            tally.pages += 1
                            tally.bodyBytes += response.body.count
                        case .failure(let error):
                            tally.failures[error.kind, default: 0] += 1
                        }
                    }
                    return tally
                }
            }
            return await group.reduce(into: Tally()) { $0.merge($1) }
        }
        let wall = clock.now - start
        counters.peakThreads.max(threadCount())
        sampler.cancel()
        let cpu = cpuSeconds() - cpuBefore
        let peak = peakRSSBytes()
        await engine.shutdown()

        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return FetchBenchmarkResult(
            model: model, concurrency: workers, pages: tally.pages, failures: tally.failures, bodyBytes: tally.bodyBytes,
            wallSeconds: wallSeconds, pagesPerSecond: Double(tally.pages) / max(wallSeconds, 1e-9),
            cpuSecondsPer1000Pages: cpu / Double(max(tally.pages, 1)) * 1000, peakRSSBytes: peak,
            threadCount: counters.peakThreads.load(ordering: .relaxed), latencySeconds: latencySeconds)
    }

    /// Shared by the worker tasks and the thread sampler.
    private final class Counters: Sendable {
        let next = Atomic<Int>(0)
        let peakThreads = Atomic<Int>(0)
    }

    private struct Tally: Sendable {
        var pages = 0
        var bodyBytes = 0
        var failures: [String: Int] = [:]

        mutating func merge(_ other: Tally) {
            pages += other.pages
            bodyBytes += other.bodyBytes
            failures.merge(other.failures, uniquingKeysWith: +)
        }
    }

    #if os(Linux)
    private static let rusageSelf = RUSAGE_SELF.rawValue  // Glibc imports it as an enum
    #else
    private static let rusageSelf = RUSAGE_SELF
    #endif

    /// User + system CPU seconds of the process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(rusageSelf, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Threads of the process now (Linux: entries of /proc/self/task).
    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Resets VmHWM so the next reading is this run's peak (Linux ≥ 4.0; harmless elsewhere).
    static func resetPeakRSS() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Array("5".utf8))
        try? handle.close()
    }

    /// VmHWM from /proc/self/status, else getrusage's ru_maxrss (the process's lifetime peak).
    static func peakRSSBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kilobytes * 1024
        }
        var usage = rusage()
        getrusage(rusageSelf, &usage)
        return usage.ru_maxrss * 1024
    }
}

extension Atomic where Value == Int {
    fileprivate func max(_ value: Int) {
        var current = load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
