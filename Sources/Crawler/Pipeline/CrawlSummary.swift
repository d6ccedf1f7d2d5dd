import CrawlerCore

/// Running totals of a crawl, shown on the live progress line.
public struct CrawlProgress: Sendable, Hashable {
    /// Pages finished (fetched, failed or skipped) in this run.
    public var pagesDone: Int
    /// URLs waiting in the frontier (kept in memory as pages are claimed and committed).
    public var queued: Int
    /// Transfers running now (pages and robots.txt files), the figure `--fetch-concurrency` caps.
    public var inFlight: Int
    /// Fetched pages being parsed (or waiting for a parser).
    public var parsing: Int = 0
    /// Finished pages waiting for their WARC records to be written before they are committed.
    public var archiving: Int = 0
    /// Hosts the scheduler holds in memory (with URLs claimed or requests running).
    public var hostsActive: Int = 0
    /// Of those, hosts waiting on politeness: a delay, a back-off, a full host or its robots.txt.
    public var hostsWaiting: Int = 0
    /// Pages that failed to fetch or parse.
    public var errors: Int
    /// Seconds since the run started.
    public var elapsedSeconds: Double

    /// Pages finished per second so far.
    public var pagesPerSecond: Double { elapsedSeconds > 0 ? Double(pagesDone) / elapsedSeconds : 0 }
}

/// What a crawl run did, for the summary a person reads and for the bench.
public struct CrawlSummary: Sendable, Hashable, Codable {
    /// Pages finished in this run (fetched, failed or skipped).
    public var pages: Int
    /// Pages fetched with a response (any status).
    public var fetched: Int
    /// Pages parsed as HTML.
    public var parsed: Int
    /// Links found on parsed pages (duplicates on a page included).
    public var links: Int
    /// Distinct hosts of the finished pages.
    public var hosts: Int
    /// Body bytes received.
    public var bytes: Int
    /// Failures by kind (`timeout`, `too-large`, `not-html`, `http-404`, …).
    public var errorsByKind: [String: Int]
    /// Pages a killed crawl had claimed and this run put back in the queue.
    public var requeued: Int
    /// Pages still in flight when the run was interrupted (they stay queued for `--resume`).
    public var cancelled: Int
    /// Wall-clock seconds of the run.
    public var elapsedSeconds: Double
    /// Seconds summed over pages spent waiting for fetches (politeness and retries included).
    public var fetchSeconds: Double
    /// Seconds summed over pages spent parsing (IPC included for worker processes).
    public var parseSeconds: Double
    /// Seconds spent committing to the store.
    public var storeSeconds: Double
    /// CPU by stage, waits by cause and the bound (nil where it was not measured).
    public var accounting: TimeAccounting? = nil

    /// Pages finished per second of wall-clock time.
    public var pagesPerSecond: Double { elapsedSeconds > 0 ? Double(pages) / elapsedSeconds : 0 }
    /// All failures.
    public var errors: Int { errorsByKind.values.reduce(0, +) }
}

/// Accumulates a run's totals as pages finish.
struct CrawlTally {
    var pagesDone = 0
    var fetched = 0
    var parsed = 0
    var links = 0
    var bytes = 0
    var hosts = Set<String>()
    var errorsByKind: [String: Int] = [:]
    var requeued = 0
    var cancelled = 0
    var fetchSeconds = 0.0
    var parseSeconds = 0.0
    var storeSeconds = 0.0
    var accounting = TimeAccounting()

    mutating func record(_ page: CrawledPage) {
        pagesDone += 1
        hosts.insert(page.url.authority)
        fetchSeconds += page.timings.fetch
        parseSeconds += page.timings.parse
        accounting.transferSlotSeconds += page.timings.fetch
        accounting.networkWait += page.timings.network
        accounting.fetchPolitenessWait += max(0, page.timings.fetch - page.timings.network)
        accounting.windowWait += page.timings.window
        accounting.parseWait += page.timings.parse  // the parse CPU is taken off at the end
        accounting.parseCPU += page.timings.parseCPU  // inline calls; the rest is read from clocks at the end
        switch page.outcome {
        case .failed(let error):
            errorsByKind[error.kind, default: 0] += 1
        case .skipped(let reason):
            errorsByKind[reason, default: 0] += 1
        case .fetched(let result):
            fetched += 1
            bytes += result.bytes
            if result.status >= 400 { errorsByKind["http-\(result.status)", default: 0] += 1 }
            if let parsedPage = result.parsed {
                parsed += 1
                links += parsedPage.links.count
            }
            if let error = result.parseError { errorsByKind[error.kind, default: 0] += 1 }
        }
    }

    var errors: Int { errorsByKind.values.reduce(0, +) }

    func progress(queued: Int, inFlight: Int, elapsed: Double) -> CrawlProgress {
        CrawlProgress(pagesDone: pagesDone, queued: queued, inFlight: inFlight, errors: errors, elapsedSeconds: elapsed)
    }

    func summary(elapsed: Double) -> CrawlSummary {
        var accounting = accounting
        accounting.elapsed = elapsed
        accounting.storeWall = storeSeconds
        return CrawlSummary(
            pages: pagesDone, fetched: fetched, parsed: parsed, links: links, hosts: hosts.count, bytes: bytes,
            errorsByKind: errorsByKind, requeued: requeued, cancelled: cancelled, elapsedSeconds: elapsed,
            fetchSeconds: fetchSeconds, parseSeconds: parseSeconds, storeSeconds: storeSeconds, accounting: accounting)
    }
}
