import CrawlerCore
import CrawlerFetch
import Histogram

/// Measures a `FetchPoint` in this process: like `FetchBenchmark.run`, plus each fetch's latency
/// in an HdrHistogram (FetchBenchmark keeps no per-request times).
enum FetchPointRunner {
    static func run(_ point: FetchPoint) async throws -> FetchMeasurement {
        let urls = point.urls.compactMap(NormalizedURL.init)
        guard !urls.isEmpty, urls.count == point.urls.count else {
            throw BenchError.input("a fetch point needs valid http(s) URLs; got \(point.urls.count - urls.count) that are not")
        }
        var options = FetchOptions()
        options.model = point.model
        options.concurrency = point.inFlight
        options.retries = 0
        // The sequential baseline has one thread; drive it with one task so it is measured as it is used.
        let workers = point.model == .sequential ? 1 : max(1, point.inFlight)
        let engine = makeFetchEngine(options)
        let next = SharedCounter()
        let peakThreads = SharedCounter(ProcessMeter.threadCount())
        let cpuBefore = ProcessMeter.cpuSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        let sampler = Task {
            while !Task.isCancelled {
                peakThreads.raise(to: ProcessMeter.threadCount())
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let tally = await withTaskGroup(of: Tally.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var tally = Tally()
                    while true {
                        let index = next.takeNext()
                        guard index < urls.count else { break }
                        let sent = clock.now
                        let result = await engine.fetch(urls[index])
                        let micros = ProcessMeter.seconds(clock.now - sent) * 1e6
                        switch result {
                        case .success(let response):
                            tally.pages += 1
                            tally.bodyBytes += response.body.count
                            tally.latency.record(UInt64(max(1, micros.rounded())))
                        case .failure:
                            tally.failures += 1
                        }
                    }
                    return tally
                }
            }
            return await group.reduce(into: Tally()) { $0.merge($1) }
        }
        let wall = ProcessMeter.seconds(clock.now - start)
        sampler.cancel()
        let cpu = ProcessMeter.cpuSeconds() - cpuBefore
        let threads = max(peakThreads.current, ProcessMeter.threadCount())
        await engine.shutdown()
        guard tally.pages > 0 else {
            throw BenchError.point("\(point.model) fetched none of \(urls.count) URLs (\(tally.failures) failed); is the server at \(point.urls[0]) answering?")
        }
        func millis(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        return FetchMeasurement(
            pages: tally.pages, failures: tally.failures, bodyBytes: tally.bodyBytes, wallSeconds: wall,
            pagesPerSecond: Double(tally.pages) / max(wall, 1e-9),
            latency: LatencyPercentiles(
                p50: millis(tally.latency.valueAtPercentile(50)), p90: millis(tally.latency.valueAtPercentile(90)),
                p99: millis(tally.latency.valueAtPercentile(99)), max: millis(tally.latency.max)),
            cpuSecondsPer1000Pages: cpu / Double(tally.pages) * 1000, peakRSSBytes: ProcessMeter.peakRSSBytes(), threads: threads)
    }

    private struct Tally: Sendable {
        var pages = 0
        var failures = 0
        var bodyBytes = 0
        // Microseconds, up to 10 minutes.
        var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

        mutating func merge(_ other: Tally) {
            pages += other.pages
            failures += other.failures
            bodyBytes += other.bodyBytes
            latency.add(other.latency)
        }
    }
}
