import Crawler
import CrawlerCore
import Foundation

/// Measures a `CrawlPoint` in this process: a `CrawlSession` into a fresh SQLite database.
enum CrawlPointRunner {
    static func run(_ point: CrawlPoint, workerExecutable: URL?) async throws -> CrawlMeasurement {
        let seeds = point.seeds.compactMap(NormalizedURL.init)
        guard !seeds.isEmpty else { throw BenchError.input("a crawl point needs at least one valid seed URL") }
        var settings = CrawlSettings(seeds: seeds)
        settings.frontier.maxPages = point.maxPages
        settings.fetch.model = point.fetchModel
        settings.fetch.concurrency = point.fetchConcurrency
        // On the embedded web the bench measures the engines, not politeness: one host may take
        // every transfer. Real sites (--url) keep the polite default.
        if point.unlimitedPerHost { settings.fetch.perHostConcurrency = point.fetchConcurrency }
        settings.fetch.retries = 0
        settings.parse.model = point.parseModel
        settings.parse.workers = point.parseWorkers
        let session = CrawlSession(databasePath: point.databasePath, resume: false, settings: settings, workerExecutable: workerExecutable)
        let cpuBefore = ProcessMeter.cpuSeconds() + ProcessMeter.childrenCPUSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await session.run()
        let wall = ProcessMeter.seconds(clock.now - start)
        let cpu = ProcessMeter.cpuSeconds() + ProcessMeter.childrenCPUSeconds() - cpuBefore
        let summary = result.summary
        return CrawlMeasurement(
            pages: summary.pages, fetched: summary.fetched, parsed: summary.parsed, links: summary.links, errors: summary.errors, errorsByKind: summary.errorsByKind,
            wallSeconds: wall, fetchSeconds: summary.fetchSeconds, parseSeconds: summary.parseSeconds, storeSeconds: summary.storeSeconds,
            cpuSeconds: cpu, peakRSSBytes: ProcessMeter.peakRSSBytes(), accounting: summary.accounting)
    }
}
