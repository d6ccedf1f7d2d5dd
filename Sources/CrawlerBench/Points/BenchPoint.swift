import Crawler
import CrawlerCore

/// One measured point, as handed to the process that measures it (`crawler bench --point`
/// reads it as JSON on standard input and writes a `PointMeasurement` on standard output).
public enum BenchPoint: Sendable, Hashable, Codable {
    /// Fetch `urls` with one engine at `inFlight` transfers.
    case fetch(FetchPoint)
    /// Parse a corpus held in memory with one engine and `workers`.
    case parse(ParsePoint)
    /// Crawl into a fresh SQLite database with one fetch and one parse setting.
    case crawl(CrawlPoint)
}

/// The fetch phase alone at one setting.
public struct FetchPoint: Sendable, Hashable, Codable {
    /// The engine.
    public var model: FetchModel
    /// Transfers kept in flight.
    public var inFlight: Int
    /// The URLs to fetch, each once.
    public var urls: [String]
    /// The server's response delay, when the bench controls it.
    public var latencyMs: Int?
}

/// Where a parse point's pages come from.
public enum CorpusSource: Sendable, Hashable, Codable {
    /// The embedded synthetic web's pages, rebuilt in the measuring process (no HTTP).
    case syntheticWeb(EmbeddedWeb)
    /// Every `.html` file under a directory (recursively).
    case directory(String)
    /// The 2xx HTML responses of a WARC file (a crawl's `--warc` archive, or any other).
    case warc(String)
}

/// The parse phase alone at one setting.
public struct ParsePoint: Sendable, Hashable, Codable {
    /// The engine.
    public var model: ParseModel
    /// Threads or worker processes (1 for inline).
    public var workers: Int
    /// The pages.
    public var corpus: CorpusSource
}

/// A whole crawl at one pairing of fetch and parse settings.
public struct CrawlPoint: Sendable, Hashable, Codable {
    /// The seeds.
    public var seeds: [String]
    /// Fetch engine.
    public var fetchModel: FetchModel
    /// Transfers in flight.
    public var fetchConcurrency: Int
    /// Parse engine.
    public var parseModel: ParseModel
    /// Parse threads or worker processes.
    public var parseWorkers: Int
    /// Stop after this many pages.
    public var maxPages: Int
    /// Let every transfer go to one host (the embedded web); false keeps the crawler's polite per-host limit.
    public var unlimitedPerHost: Bool
    /// The database file to create (deleted afterwards by the parent).
    public var databasePath: String
}

/// Latency percentiles of one fetch point, in milliseconds (from an HdrHistogram at 3 significant digits).
public struct LatencyPercentiles: Sendable, Hashable, Codable {
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// The slowest response.
    public var max: Double
}

/// What a fetch point measured.
public struct FetchMeasurement: Sendable, Hashable, Codable {
    /// Responses received (any status).
    public var pages: Int
    /// Failed fetches.
    public var failures: Int
    /// Body bytes received.
    public var bodyBytes: Int
    /// From the first request to the last response.
    public var wallSeconds: Double
    /// Responses per second.
    public var pagesPerSecond: Double
    /// Time from request to response, per fetch.
    public var latency: LatencyPercentiles
    /// User + system CPU seconds of the measuring process per 1,000 responses.
    public var cpuSecondsPer1000Pages: Double
    /// Peak RSS of the measuring process (a fresh process per point), bytes.
    public var peakRSSBytes: Int
    /// OS threads of the measuring process at its busiest sample.
    public var threads: Int
}

/// What a parse point measured.
public struct ParseMeasurement: Sendable, Hashable, Codable {
    /// Pages parsed.
    public var pages: Int
    /// Body bytes parsed.
    public var bytes: Int
    /// Links extracted.
    public var links: Int
    /// From the first job to the last result (engine start-up excluded).
    public var wallSeconds: Double
    /// User + system CPU seconds, the worker processes' included.
    public var cpuSeconds: Double
    /// Pages per second.
    public var pagesPerSecond: Double
    /// Body megabytes (10^6 bytes) per second.
    public var megabytesPerSecond: Double
    /// Peak RSS of the measuring process (worker processes not included), bytes.
    public var peakRSSBytes: Int
    /// Processes only: wall microseconds per page of a round trip to a worker without parsing
    /// (the body out through the shared ring, an empty answer back), at the same workers.
    public var ipcMicrosecondsPerPage: Double?
}

/// What a crawl point measured.
public struct CrawlMeasurement: Sendable, Hashable, Codable {
    /// The crawl's own summary (pages, links, summed per-page fetch and parse seconds, store seconds).
    public var pages: Int
    /// Pages fetched with a response.
    public var fetched: Int
    /// Pages parsed.
    public var parsed: Int
    /// Links found.
    public var links: Int
    /// Failures of any kind.
    public var errors: Int
    /// Failures by kind (`http-404`, `not-html`, …): the synthetic web has some on purpose.
    public var errorsByKind: [String: Int]
    /// Wall seconds of the crawl.
    public var wallSeconds: Double
    /// Seconds summed over pages waiting for fetches.
    public var fetchSeconds: Double
    /// Seconds summed over pages parsing (queueing and IPC included).
    public var parseSeconds: Double
    /// Seconds committing to SQLite.
    public var storeSeconds: Double
    /// User + system CPU seconds, the worker processes' included.
    public var cpuSeconds: Double
    /// Peak RSS of the measuring process, bytes.
    public var peakRSSBytes: Int
    /// Where the crawl's time went, from its own clocks: CPU by stage, waiting by cause, how
    /// busy each stage was (nil in reports written before the bench recorded it).
    public var accounting: TimeAccounting? = nil
    /// CPU seconds the bench's own process used while this crawl ran in its child process:
    /// the embedded web serving it, on the same cores. Nil when not measured (a point run in
    /// the bench's process, where the web's CPU is part of the crawler's "rest", or other URLs).
    public var webCPUSeconds: Double? = nil

    /// Pages per second.
    public var pagesPerSecond: Double { wallSeconds > 0 ? Double(pages) / wallSeconds : 0 }
}

/// The answer of a measured point.
public enum PointMeasurement: Sendable, Hashable, Codable {
    /// A fetch point's figures.
    case fetch(FetchMeasurement)
    /// A parse point's figures.
    case parse(ParseMeasurement)
    /// A crawl point's figures.
    case crawl(CrawlMeasurement)
}
