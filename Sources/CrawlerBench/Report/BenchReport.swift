import CrawlerCore

/// Everything a bench measured, as written to `report.json` (every raw figure) and read back by
/// the Markdown, SVG and HTML writers.
public struct BenchReport: Sendable, Hashable, Codable {
    /// `BenchSchema.version` when written.
    public var schemaVersion: Int
    /// When the bench started (ISO 8601, UTC).
    public var startedAt: String
    /// Wall seconds of the whole bench.
    public var durationSeconds: Double
    /// The machine.
    public var machine: MachineInfo
    /// The 1-minute load average when the bench started: above the core count, other work
    /// shared the cores and the figures are not the machine's best.
    public var loadAverageAtStart: Double?
    /// The 1-minute load average when it ended (the bench's own load included).
    public var loadAverageAtEnd: Double?
    /// What was measured.
    public var plan: BenchPlan
    /// Where the pages came from, in words.
    public var source: String
    /// How points were isolated, in words (a child process each, or this process).
    public var isolation: String
    /// The fetch experiment, one row per model × in flight × latency.
    public var fetch: [FetchRow]
    /// The parse experiment, one row per corpus × model × workers.
    public var parse: [ParseRow]
    /// The end-to-end experiment, one row per corpus × pairing.
    public var crawl: [CrawlRow]
    /// The conclusion, derived from the rows by `Conclusions.derive`.
    public var conclusions: [String]

    /// The `corpus` of rows measured on pages from --corpus or --url.
    public static let givenCorpus = "given"
}

/// One fetch setting, measured `plan.repeats` times.
public struct FetchRow: Sendable, Hashable, Codable {
    /// Engine.
    public var model: FetchModel
    /// Transfers in flight.
    public var inFlight: Int
    /// Server latency (nil when fetching given URLs).
    public var latencyMs: Int?
    /// URLs fetched per run.
    public var urls: Int
    /// Responses per second.
    public var pagesPerSecond: Spread
    /// Latency percentiles (milliseconds).
    public var latencyP50Ms: Spread
    /// 90th percentile.
    public var latencyP90Ms: Spread
    /// 99th percentile.
    public var latencyP99Ms: Spread
    /// Slowest.
    public var latencyMaxMs: Spread
    /// CPU seconds per 1,000 pages.
    public var cpuSecondsPer1000Pages: Spread
    /// Peak RSS in MiB.
    public var peakRSSMiB: Spread
    /// Threads at the busiest sample.
    public var threads: Spread
    /// Each run's raw figures.
    public var runs: [FetchMeasurement]

    /// Aggregates runs of one setting.
    public init?(model: FetchModel, inFlight: Int, latencyMs: Int?, urls: Int, runs: [FetchMeasurement]) {
        guard let rate = Spread(runs.map(\.pagesPerSecond)) else { return nil }
        self.model = model
        self.inFlight = inFlight
        self.latencyMs = latencyMs
        self.urls = urls
        pagesPerSecond = rate
        latencyP50Ms = Spread(runs.map(\.latency.p50))!
        latencyP90Ms = Spread(runs.map(\.latency.p90))!
        latencyP99Ms = Spread(runs.map(\.latency.p99))!
        latencyMaxMs = Spread(runs.map(\.latency.max))!
        cpuSecondsPer1000Pages = Spread(runs.map(\.cpuSecondsPer1000Pages))!
        peakRSSMiB = Spread(runs.map { Double($0.peakRSSBytes) / 1_048_576 })!
        threads = Spread(runs.map { Double($0.threads) })!
        self.runs = runs
    }
}

/// One parse setting on one corpus, measured `plan.repeats` times.
public struct ParseRow: Sendable, Hashable, Codable {
    /// The corpus: a `SiteProfile`'s raw value (`mixed`, `docs`), or `given` for --corpus and --url.
    public var corpus: String
    /// Engine.
    public var model: ParseModel
    /// Threads or processes (1 for inline).
    public var workers: Int
    /// Pages in the corpus.
    public var pages: Int
    /// Body bytes in the corpus.
    public var bytes: Int
    /// Pages per second.
    public var pagesPerSecond: Spread
    /// Megabytes per second.
    public var megabytesPerSecond: Spread
    /// Each run's pages/s over inline's median pages/s on the same corpus.
    public var speedup: Spread
    /// Median speedup over workers (1.0 is perfect scaling).
    public var efficiency: Double
    /// CPU seconds per 1,000 pages (worker processes included).
    public var cpuSecondsPer1000Pages: Spread
    /// Processes only: median wall microseconds per page of a round trip to a worker without
    /// parsing (the body out through the shared ring, an empty answer back) at the same workers.
    public var ipcMicrosecondsPerPage: Double?
    /// Each run's raw figures.
    public var runs: [ParseMeasurement]
}

/// One end-to-end pairing on one corpus, measured `plan.repeats` times.
public struct CrawlRow: Sendable, Hashable, Codable {
    /// The web crawled: a `SiteProfile`'s raw value (`mixed`, `docs`), or `given` for --url.
    public var corpus: String
    /// The settings.
    public var pairing: CrawlPairing
    /// Pages crawled (median).
    public var pages: Spread
    /// Pages per second.
    public var pagesPerSecond: Spread
    /// Wall seconds.
    public var wallSeconds: Spread
    /// Median seconds summed over pages waiting for fetches.
    public var fetchWaitSeconds: Double
    /// Median seconds summed over pages parsing, IPC excluded.
    public var parseSeconds: Double
    /// Estimated IPC seconds (processes only): parsed pages × the parse experiment's round trip per page.
    public var ipcSeconds: Double
    /// Median seconds committing to SQLite.
    public var storeSeconds: Double
    /// CPU seconds per 1,000 pages.
    public var cpuSecondsPer1000Pages: Spread
    /// Each phase's pressure: its summed seconds over (its parallel capacity × wall); 1 is fully
    /// occupied, above 1 pages queued for it. The phase under the most pressure is the bottleneck.
    public var utilization: [String: Double]
    /// The phase that limited the crawl: `fetch`, `parse` or `store`.
    public var bottleneck: String
    /// Each run's raw figures.
    public var runs: [CrawlMeasurement]
}
