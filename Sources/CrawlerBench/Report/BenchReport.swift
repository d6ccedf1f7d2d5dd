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
    /// CPU seconds per 1,000 pages of the whole process tree (rusage, worker processes' whole
    /// lives included).
    public var cpuSecondsPer1000Pages: Spread
    /// CPU seconds per 1,000 pages by stage, from the stages' own clocks (medians over runs).
    public var stageCPU: CrawlStageCPU
    /// Waiting per page by cause, in milliseconds (medians over runs). Pages overlap, so these
    /// add up to more than the wall time per page.
    public var waiting: CrawlWaiting
    /// How busy each stage was over the run, as a fraction of what it could do (medians over
    /// runs; `TimeAccounting.utilization`'s stages: transfers, parsing, the store, the CPU).
    /// Where the embedded web's CPU was measured, the CPU's figure counts it too: the cores
    /// are the machine's, whoever uses them.
    public var busy: [String: Double]
    /// The stage that bounded the crawl (`TimeAccounting.bounding` of `busy`): `transfers`,
    /// `parsing`, `the store` or `the CPU`; `none` when no stage was saturated (the crawl
    /// waited on politeness or ran short of URLs).
    public var bottleneck: String
    /// Each run's raw figures.
    public var runs: [CrawlMeasurement]

    /// The busiest stage and how busy it was (ties broken by name, so reports are stable).
    public var busiest: (stage: String, busy: Double)? {
        busy.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { (stage: $0.key, busy: $0.value) }
    }
}

/// A crawl's CPU by stage, in CPU seconds per 1,000 pages.
public struct CrawlStageCPU: Sendable, Hashable, Codable {
    /// The fetch engine's threads (libcurl).
    public var fetch: Double
    /// Parsing, wherever it ran (inline calls, parse threads, worker processes and their drivers).
    public var parse: Double
    /// Of `parse`, the worker processes' own.
    public var parseWorkers: Double
    /// The store's writer.
    public var store: Double
    /// The rest of the crawler process (scheduler, tasks, robots.txt).
    public var other: Double
    /// Not the crawler's: the embedded web serving it, on the same cores (the bench's own
    /// process, measured around each run); nil when not measured.
    public var web: Double? = nil

    /// Every stage of the crawler together (the web's not included).
    public var total: Double { fetch + parse + store + other }
}

/// A crawl's waiting by cause, in milliseconds per page.
public struct CrawlWaiting: Sendable, Hashable, Codable {
    /// Transfers: waiting for the network.
    public var network: Double
    /// A free transfer slot or a host's turn: in the scheduler's window before the fetch, and
    /// inside it (redirect hops, retries, robots.txt) beyond the transfers.
    public var hostTurn: Double
    /// A parser: the parse's wall time beyond its CPU (queue, hand-over, IPC).
    public var parser: Double
}
