import Crawler
@testable import CrawlerBench
import CrawlerCore

/// Figures made up for tests: rows built the same way the runner builds them.
enum Fixtures {
    static func fetchMeasurement(rate: Double, cpuPer1000: Double, threads: Int, p99: Double = 60) -> FetchMeasurement {
        FetchMeasurement(
            pages: 1000, failures: 0, bodyBytes: 1_000_000, wallSeconds: 1000 / rate, pagesPerSecond: rate,
            latency: LatencyPercentiles(p50: 51, p90: 55, p99: p99, max: 80), cpuSecondsPer1000Pages: cpuPer1000,
            peakRSSBytes: 20 << 20, threads: threads)
    }

    static func fetchRow(_ model: FetchModel, inFlight: Int, latency: Int, rates: [Double], cpuPer1000: Double, threads: Int) -> FetchRow {
        FetchRow(model: model, inFlight: inFlight, latencyMs: latency, urls: 1000,
                 runs: rates.map { fetchMeasurement(rate: $0, cpuPer1000: cpuPer1000, threads: threads) })!
    }

    /// Fetch rows where `async` is `asyncRate` and threads `threadsRate` at 256 in flight, 50 ms.
    static func fetchRows(asyncRate: Double, threadsRate: Double, asyncCPU: Double = 0.6, threadsCPU: Double = 1.0) -> [FetchRow] {
        [
            fetchRow(.sequential, inFlight: 1, latency: 50, rates: [19, 19.5, 19.2], cpuPer1000: 0.5, threads: 3),
            fetchRow(.threads, inFlight: 256, latency: 50, rates: [threadsRate * 0.98, threadsRate, threadsRate * 1.01], cpuPer1000: threadsCPU, threads: 258),
            fetchRow(.async, inFlight: 256, latency: 50, rates: [asyncRate, asyncRate * 0.99, asyncRate * 1.02], cpuPer1000: asyncCPU, threads: 3),
            fetchRow(.async, inFlight: 1, latency: 0, rates: [900, 910, 905], cpuPer1000: 0.4, threads: 3),
        ]
    }

    static func parseMeasurement(rate: Double, cpuPerPage: Double, pages: Int = 200, ipc: Double? = nil) -> ParseMeasurement {
        ParseMeasurement(
            pages: pages, bytes: pages * 25_000, links: pages * 30, wallSeconds: Double(pages) / rate,
            cpuSeconds: cpuPerPage * Double(pages), pagesPerSecond: rate, megabytesPerSecond: rate * 0.025, peakRSSBytes: 30 << 20,
            ipcMicrosecondsPerPage: ipc)
    }

    /// Parse rows of `corpus` with inline at `inlineRate` pages/s and the given rates at 2 workers.
    static func parseRows(threadsRate: Double, processesRate: Double, ipcMicroseconds: [Double] = [12], inlineRate: Double = 1000, corpus: String = "mixed") -> [ParseRow] {
        RowBuilder.parseRows([
            (.inline, 1, [parseMeasurement(rate: inlineRate, cpuPerPage: 0.001)]),
            (.threads, 2, [parseMeasurement(rate: threadsRate, cpuPerPage: 0.001)]),
            (.processes, 2, ipcMicroseconds.map { parseMeasurement(rate: processesRate, cpuPerPage: 0.00101, ipc: $0) }),
        ], corpus: corpus)
    }

    /// A 200-page crawl of `wall` seconds on 2 cores with 64 transfer slots and 2 parsers:
    /// `slotSeconds` of transfer slots held, `parseCPU` seconds of parse CPU, `storeWall` seconds
    /// of commits, and `otherCPU` seconds of the rest.
    static func crawlMeasurement(wall: Double, slotSeconds: Double, parseCPU: Double, storeWall: Double, workersCPU: Double = 0, otherCPU: Double = 0.1) -> CrawlMeasurement {
        var account = TimeAccounting()
        account.transferSlots = 64
        account.parsers = 2
        account.cores = 2
        account.elapsed = wall
        account.transferSlotSeconds = slotSeconds
        account.networkWait = slotSeconds * 0.9
        account.windowWait = 2
        account.fetchPolitenessWait = 0
        account.parseCPU = parseCPU
        account.parseWorkersCPU = workersCPU
        account.parseWait = 4
        account.storeWall = storeWall
        account.storeCPU = storeWall / 2
        account.fetchCPU = 0.2
        account.otherCPU = otherCPU
        return CrawlMeasurement(
            pages: 200, fetched: 200, parsed: 200, links: 6000, errors: 0, errorsByKind: [:], wallSeconds: wall, fetchSeconds: slotSeconds,
            parseSeconds: parseCPU + 4, storeSeconds: storeWall, cpuSeconds: account.totalCPU, peakRSSBytes: 40 << 20, accounting: account)
    }
}
