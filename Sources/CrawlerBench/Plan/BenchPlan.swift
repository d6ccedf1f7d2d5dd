import CrawlerCore
import SyntheticWeb

/// The phases a bench can measure.
public enum BenchPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// The fetch phase alone (I/O-bound).
    case fetch
    /// The parse phase alone (CPU-bound).
    case parse
    /// Whole crawls, fetch → parse → store.
    case crawl
}

/// One end-to-end pairing of fetch and parse settings.
public struct CrawlPairing: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Fetch engine.
    public var fetchModel: FetchModel
    /// Transfers in flight.
    public var fetchConcurrency: Int
    /// Parse engine.
    public var parseModel: ParseModel
    /// Parse threads or processes.
    public var parseWorkers: Int

    /// A pairing.
    public init(fetchModel: FetchModel, fetchConcurrency: Int, parseModel: ParseModel, parseWorkers: Int) {
        self.fetchModel = fetchModel
        self.fetchConcurrency = fetchConcurrency
        self.parseModel = parseModel
        self.parseWorkers = parseWorkers
    }

    /// Parses `async:64+threads:2` (fetch model:in flight + parse model:workers).
    public init?(_ text: String) {
        let halves = text.split(separator: "+")
        guard halves.count == 2 else { return nil }
        let fetch = halves[0].split(separator: ":")
        let parse = halves[1].split(separator: ":")
        guard fetch.count == 2, parse.count == 2, let fetchModel = FetchModel(rawValue: String(fetch[0])), let concurrency = Int(fetch[1]),
            let parseModel = ParseModel(rawValue: String(parse[0])), let workers = Int(parse[1]), concurrency > 0, workers > 0
        else { return nil }
        self.init(fetchModel: fetchModel, fetchConcurrency: concurrency, parseModel: parseModel, parseWorkers: workers)
    }

    /// `async:64+threads:2`.
    public var description: String { "\(fetchModel):\(fetchConcurrency)+\(parseModel):\(parseWorkers)" }
}

/// What a bench measures: every list a flag can change, with the standard and `--quick` presets.
public struct BenchPlan: Sendable, Hashable, Codable {
    /// Phases to run, in order fetch, parse, crawl.
    public var phases: [BenchPhase]
    /// Times each point is measured; reported as the median with min–max.
    public var repeats: Int
    /// Fetch engines to compare.
    public var fetchModels: [FetchModel]
    /// Transfers in flight (the sequential engine is measured at 1 only).
    public var inFlight: [Int]
    /// Server latencies in milliseconds (embedded web only).
    public var latenciesMs: [Int]
    /// URLs fetched per point at most (fewer at high latency and low concurrency; see `fetchPageCount`).
    public var fetchPages: Int
    /// Parse engines to compare (inline is always measured: it is the baseline).
    public var parseModels: [ParseModel]
    /// Worker counts for threads and processes.
    public var parseWorkers: [Int]
    /// Pages in the parse corpus (embedded web).
    public var parsePages: Int
    /// End-to-end pairings.
    public var crawlPairings: [CrawlPairing]
    /// Pages per crawl.
    public var crawlPages: Int
    /// Server latency during crawls, milliseconds.
    public var crawlLatencyMs: Int
    /// Mean page size of the embedded web, KiB.
    public var meanPageKB: Int
    /// Hosts of the embedded web.
    public var hosts: Int
    /// How the crawl phase's embedded web shares its pages among hosts: zipf by default, so
    /// the end-to-end crawls meet one big host among small ones, as seed lists do.
    public var crawlHostSizes: HostSizes = .zipf
    /// The embedded web's corpora the parse and crawl phases measure, each on its own (the fetch
    /// phase measures the mixed web only): today's articles, and documentation pages, whose
    /// hundreds of links a page make link handling, not HTML parsing, the larger cost.
    public var corpora: [SiteProfile] = [.mixed, .docs]

    /// The standard bench for a machine with `cores` cores (a few minutes on 2 cores, release build).
    public static func standard(cores: Int) -> BenchPlan {
        BenchPlan(
            phases: BenchPhase.allCases, repeats: 3, fetchModels: FetchModel.allCases, inFlight: [1, 4, 16, 64, 256], latenciesMs: [0, 50],
            fetchPages: 4000, parseModels: ParseModel.allCases, parseWorkers: uniqueSorted([1, 2, 4, 2 * cores]), parsePages: 1000,
            crawlPairings: defaultPairings(cores: cores), crawlPages: 1000, crawlLatencyMs: 10, meanPageKB: 24, hosts: 4)
    }

    /// `--quick`: fewer points and pages (a minute or two on 2 cores in a release build).
    public static func quick(cores: Int) -> BenchPlan {
        BenchPlan(
            phases: BenchPhase.allCases, repeats: 3, fetchModels: FetchModel.allCases, inFlight: [1, 16, 256], latenciesMs: [0, 50],
            fetchPages: 1000, parseModels: ParseModel.allCases, parseWorkers: uniqueSorted([1, cores, 2 * cores]), parsePages: 400,
            crawlPairings: defaultPairings(cores: cores), crawlPages: 200, crawlLatencyMs: 10, meanPageKB: 24, hosts: 4)
    }

    static func defaultPairings(cores: Int) -> [CrawlPairing] {
        [
            CrawlPairing(fetchModel: .sequential, fetchConcurrency: 1, parseModel: .inline, parseWorkers: 1),
            CrawlPairing(fetchModel: .threads, fetchConcurrency: 16, parseModel: .threads, parseWorkers: cores),
            CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: cores),
            CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .processes, parseWorkers: cores),
        ]
    }

    static func uniqueSorted(_ values: [Int]) -> [Int] { Array(Set(values.filter { $0 > 0 })).sorted() }

    /// URLs fetched at one point: all `fetchPages` without latency; with latency, enough for about
    /// 12 rounds of `inFlight` transfers (at least 48), so slow settings do not dominate the run.
    public func fetchPageCount(inFlight: Int, latencyMs: Int?) -> Int {
        guard let latencyMs, latencyMs > 0 else { return fetchPages }
        return min(fetchPages, max(48, inFlight * 12))
    }

    /// Checks the lists, saying which flag to change.
    public func validate() throws {
        guard repeats >= 1 else { throw BenchError.input("--repeat must be at least 1; got \(repeats)") }
        guard inFlight.allSatisfy({ (1...4096).contains($0) }) else { throw BenchError.input("--in-flight values must be between 1 and 4096") }
        guard parseWorkers.allSatisfy({ (1...256).contains($0) }) else { throw BenchError.input("--workers values must be between 1 and 256") }
        guard latenciesMs.allSatisfy({ (0...10_000).contains($0) }) else { throw BenchError.input("--latency values must be between 0 and 10000 ms") }
        guard fetchPages >= 1, parsePages >= 1, crawlPages >= 1 else { throw BenchError.input("page counts must be at least 1") }
        guard (1...200).contains(hosts) else { throw BenchError.input("--hosts must be between 1 and 200") }
        guard !corpora.isEmpty else { throw BenchError.input("--corpora needs at least one of \(SiteProfile.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard Set(corpora).count == corpora.count else { throw BenchError.input("--corpora names a corpus twice; list each once") }
    }
}
