import CrawlerArchive
import CrawlerCore
import CrawlerFetch
import Foundation
import SyntheticWeb

/// Runs a `BenchPlan`: starts the embedded web when needed, measures every point `repeats`
/// times through a `PointExecutor`, and returns the report with its conclusion.
public struct BenchRunner: Sendable {
    /// What to measure.
    public var plan: BenchPlan
    /// Where the pages come from.
    public var source: BenchSource
    /// Where points run.
    public var executor: PointExecutor
    /// A folder for crawl databases and a fetched corpus (removed afterwards).
    public var scratchDirectory: URL

    /// A runner.
    public init(plan: BenchPlan, source: BenchSource, executor: PointExecutor, scratchDirectory: URL) {
        self.plan = plan
        self.source = source
        self.executor = executor
        self.scratchDirectory = scratchDirectory
    }

    /// Runs the bench. Throws `BenchError` when a point fails or the input gives nothing to measure.
    public func run(progress: @escaping @Sendable (BenchProgress) -> Void = { _ in }) async throws -> BenchReport {
        try plan.validate()
        let startedAt = Date()
        let loadAtStart = ProcessMeter.loadAverage()
        let clock = ContinuousClock()
        let start = clock.now
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratchDirectory) }
        var phases = plan.phases
        if case .corpus = source { phases = phases.filter { $0 == .parse } }
        guard !phases.isEmpty else { throw BenchError.input("--corpus measures the parse phase only; use --phase parse or all") }

        var counter = Counter(total: pointCount(phases: phases), progress: progress)
        var fetchRows: [FetchRow] = []
        var parseRows: [ParseRow] = []
        var crawlRows: [CrawlRow] = []

        if phases.contains(.fetch) { fetchRows = try await runFetch(&counter) }
        if phases.contains(.parse) { parseRows = try await runParse(&counter) }
        if phases.contains(.crawl) { crawlRows = try await runCrawl(&counter) }
        let machine = MachineInfo.current()
        return BenchReport(
            schemaVersion: BenchSchema.version, startedAt: ISO8601DateFormatter().string(from: startedAt),
            durationSeconds: ProcessMeter.seconds(clock.now - start), machine: machine, loadAverageAtStart: loadAtStart,
            loadAverageAtEnd: ProcessMeter.loadAverage(), plan: plan, source: sourceDescription,
            isolation: isolationDescription, fetch: fetchRows, parse: parseRows, crawl: crawlRows,
            conclusions: Conclusions.derive(fetch: fetchRows, parse: parseRows, crawl: crawlRows, cores: machine.cores, loadAverage: loadAtStart))
    }

    // MARK: - Phases

    private func runFetch(_ counter: inout Counter) async throws -> [FetchRow] {
        var rows: [FetchRow] = []
        for latency in latencies {
            let server = latency == nil ? nil : try await web(pages: plan.fetchPages).start(latencyMs: latency!)
            do {
                let allURLs = try server.map { $0.model.contentPageURLs } ?? givenURLs()
                for model in plan.fetchModels {
                    for inFlight in inFlightValues(for: model) {
                        let count = server == nil ? allURLs.count : plan.fetchPageCount(inFlight: inFlight, latencyMs: latency)
                        let urls = (0..<count).map { allURLs[$0 % allURLs.count].string }
                        var runs: [FetchMeasurement] = []
                        for run in 1...plan.repeats {
                            counter.step("fetch \(model) \(inFlight) in flight\(latency.map { ", \($0) ms" } ?? ""), run \(run)/\(plan.repeats)")
                            guard case .fetch(let measured) = try await executor.measure(.fetch(FetchPoint(model: model, inFlight: inFlight, urls: urls, latencyMs: latency))) else {
                                throw BenchError.point("a fetch point answered with another kind of measurement")
                            }
                            runs.append(measured)
                        }
                        if let row = FetchRow(model: model, inFlight: inFlight, latencyMs: latency, urls: urls.count, runs: runs) { rows.append(row) }
                    }
                }
            } catch {
                try? await server?.shutdown()
                throw error
            }
            try? await server?.shutdown()
        }
        return rows
    }

    /// Every parse setting on each corpus in turn; each corpus's speedups are against its own inline.
    private func runParse(_ counter: inout Counter) async throws -> [ParseRow] {
        var rows: [ParseRow] = []
        for profile in corpusProfiles {
            let name = Self.corpusName(profile)
            let corpus = try await parseCorpus(profile)
            var measured: [(model: ParseModel, workers: Int, runs: [ParseMeasurement])] = []
            for (model, workers) in parseSettings {
                var runs: [ParseMeasurement] = []
                for run in 1...plan.repeats {
                    counter.step("parse \(name) \(model) \(workers) worker\(workers == 1 ? "" : "s"), run \(run)/\(plan.repeats)")
                    guard case .parse(let result) = try await executor.measure(.parse(ParsePoint(model: model, workers: workers, corpus: corpus))) else {
                        throw BenchError.point("a parse point answered with another kind of measurement")
                    }
                    runs.append(result)
                }
                measured.append((model, workers, runs))
            }
            rows += RowBuilder.parseRows(measured, corpus: name)
        }
        return rows
    }

    /// Every pairing on each corpus in turn, one embedded web per corpus.
    private func runCrawl(_ counter: inout Counter) async throws -> [CrawlRow] {
        var rows: [CrawlRow] = []
        for profile in corpusProfiles { rows += try await runCrawl(&counter, profile: profile) }
        return rows
    }

    private func runCrawl(_ counter: inout Counter, profile: SiteProfile?) async throws -> [CrawlRow] {
        let name = Self.corpusName(profile)
        var server: SyntheticWebServer?
        if case .embedded = source {
            // Twice the pages a crawl takes, so robots.txt exclusions never leave it short. The
            // plan's hosts for docs too: the crawl's per-host limits see the same web shape.
            server = try await web(pages: plan.crawlPages * 2, hostSizes: plan.crawlHostSizes, profile: profile ?? .mixed).start(latencyMs: plan.crawlLatencyMs)
        }
        do {
            let seeds = try server.map { $0.seedURLs } ?? givenURLs()
            var rows: [CrawlRow] = []
            for (index, pairing) in plan.crawlPairings.enumerated() {
                var runs: [CrawlMeasurement] = []
                for run in 1...plan.repeats {
                    counter.step("crawl \(name) \(pairing), run \(run)/\(plan.repeats)")
                    let database = scratchDirectory.appendingPathComponent("crawl-\(name)-\(index)-\(run).sqlite").path
                    let point = CrawlPoint(
                        seeds: seeds.map(\.string), fetchModel: pairing.fetchModel, fetchConcurrency: pairing.fetchConcurrency,
                        parseModel: pairing.parseModel, parseWorkers: pairing.parseWorkers, maxPages: plan.crawlPages,
                        unlimitedPerHost: server != nil, databasePath: database)
                    // This process serves the embedded web while the child crawls: its CPU meanwhile
                    // is the web's, on the cores the crawl had (nothing else runs here).
                    let cpuBefore = CPUTime.process()
                    let outcome = try await executor.measure(.crawl(point))
                    let webCPU = CPUTime.process() - cpuBefore
                    for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: database + suffix) }
                    guard case .crawl(var result) = outcome else { throw BenchError.point("a crawl point answered with another kind of measurement") }
                    if server != nil, case .childProcess = executor { result.webCPUSeconds = webCPU }
                    runs.append(result)
                }
                if let row = RowBuilder.crawlRow(pairing: pairing, corpus: name, runs: runs) { rows.append(row) }
            }
            try? await server?.shutdown()
            return rows
        } catch {
            try? await server?.shutdown()
            throw error
        }
    }

    // MARK: - Inputs

    /// The embedded synthetic web of `profile` with `pages` content pages on `hosts` (the plan's
    /// by default). The plan's `meanPageKB` is the mixed web's; docs pages keep their profile's
    /// size (`defaultMeanPageKB`), as `serve --profile docs` and `bench-parse` serve them.
    func web(pages: Int, hostSizes: HostSizes = .equal, profile: SiteProfile = .mixed, hosts: Int? = nil) -> EmbeddedWeb {
        let meanPageKB = profile == .mixed ? Double(plan.meanPageKB) : profile.defaultMeanPageKB
        return EmbeddedWeb(hosts: hosts ?? plan.hosts, pages: pages, meanPageKB: meanPageKB, hostSizes: hostSizes, profile: profile)
    }

    /// The corpora of the parse and crawl phases: the plan's on the embedded web; otherwise one,
    /// the given pages or URLs (nil, named `given`).
    var corpusProfiles: [SiteProfile?] {
        if case .embedded = source { return plan.corpora.map { Optional($0) } }
        return [nil]
    }

    /// A corpus's name in the rows: the profile's raw value, or `given`.
    static func corpusName(_ profile: SiteProfile?) -> String { profile?.rawValue ?? BenchReport.givenCorpus }

    /// Latencies to measure: the plan's with the embedded web; one unknown latency (nil) with given URLs.
    var latencies: [Int?] {
        if case .embedded = source { return plan.latenciesMs.map { Optional($0) } }
        return [nil]
    }

    func inFlightValues(for model: FetchModel) -> [Int] { model == .sequential ? [1] : plan.inFlight }

    /// Inline once (the baseline), then threads and processes at every worker count.
    var parseSettings: [(ParseModel, Int)] {
        var settings: [(ParseModel, Int)] = [(.inline, 1)]
        for model in plan.parseModels where model != .inline {
            for workers in plan.parseWorkers { settings.append((model, workers)) }
        }
        return settings
    }

    func givenURLs() throws -> [NormalizedURL] {
        guard case .urls(let urls) = source, !urls.isEmpty else { throw BenchError.input("no URLs to fetch; pass --url, or run without it to use the embedded web") }
        return urls
    }

    private func parseCorpus(_ profile: SiteProfile?) async throws -> CorpusSource {
        switch source {
        case .embedded:
            // Docs on ParseCorpus's 2 hosts (not the plan's), so `bench` and `bench-parse` parse
            // the same shape of corpus: each host's sidebar as long as a real documentation site's.
            let docs = profile == .docs
            return .syntheticWeb(web(pages: plan.parsePages, profile: profile ?? .mixed, hosts: docs ? ParseCorpus.docsHosts : nil))
        case .corpus(let path):
            if CorpusDirectory.isWARCFile(path) {
                guard try !WARCResponses.html(in: [path], limit: 1).isEmpty else {
                    throw BenchError.input("\(path) holds no 2xx HTML response to parse; pass a WARC file of crawled pages (crawl --warc), or a folder of .html files")
                }
                return .warc(path)
            }
            _ = try CorpusDirectory.htmlFiles(at: path)
            return .directory(path)
        case .urls(let urls):
            // Fetched once here, saved as files, and parsed from memory by each point.
            let directory = scratchDirectory.appendingPathComponent("corpus")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var options = FetchOptions()
            options.model = .sequential
            // Politely (robots.txt, redirects followed hop by hop): these are other people's servers.
            let fetcher = PoliteFetcher(options: options)
            var saved = 0
            for (index, url) in urls.enumerated() {
                if case .success(let response) = await fetcher.fetch(url), (200..<300).contains(response.status), response.headers.isHTML {
                    try Data(response.body).write(to: directory.appendingPathComponent("page\(index).html"))
                    saved += 1
                }
            }
            await fetcher.shutdown()
            guard saved > 0 else { throw BenchError.input("none of the \(urls.count) URLs gave an HTML page to parse; pass --corpus DIR or other URLs") }
            return .directory(directory.path)
        }
    }

    private func pointCount(phases: [BenchPhase]) -> Int {
        var points = 0
        if phases.contains(.fetch) { points += latencies.count * plan.fetchModels.reduce(0) { $0 + inFlightValues(for: $1).count } }
        if phases.contains(.parse) { points += corpusProfiles.count * parseSettings.count }
        if phases.contains(.crawl) { points += corpusProfiles.count * plan.crawlPairings.count }
        return points * plan.repeats
    }

    var sourceDescription: String {
        switch source {
        case .embedded:
            "the embedded synthetic web on 127.0.0.x (fetch: up to \(plan.fetchPages) URLs per point on the mixed web; parse: \(plan.parsePages) pages in memory; crawl: \(plan.crawlPages) pages at \(plan.crawlLatencyMs) ms latency on hosts of \(plan.crawlHostSizes.rawValue) sizes), in \(plan.corpora.count == 1 ? "one corpus" : "\(plan.corpora.count) corpora") measured apart: "
                + plan.corpora.map(corpusDescription).joined(separator: "; ")
        case .urls(let urls): "\(urls.count) given URL\(urls.count == 1 ? "" : "s")"
        case .corpus(let path): CorpusDirectory.isWARCFile(path) ? "the 2xx HTML responses in the WARC file \(path)" : "the .html files under \(path)"
        }
    }

    func corpusDescription(_ profile: SiteProfile) -> String {
        switch profile {
        case .mixed:
            "mixed, articles of \(plan.meanPageKB) KiB on average with about 20 links each, on \(plan.hosts) hosts"
        case .docs:
            "docs, documentation pages of \(Int(profile.defaultMeanPageKB)) KiB on average whose links are mostly a sidebar of ../ links to their host's pages (up to 240 of them), on \(ParseCorpus.docsHosts) hosts to parse and \(plan.hosts) to crawl"
        }
    }

    var isolationDescription: String {
        switch executor {
        case .childProcess:
            "each point runs in a fresh child process: peak memory (VmHWM) and threads are that point's own, and the embedded web's CPU is not counted as the crawler's (a crawl's table gives it apart, as CPU web)"
        case .inProcess:
            "points run in the bench's own process: peak memory is the process's lifetime peak, and the embedded web's CPU is counted too"
        }
    }

    /// Counts points and tells the caller.
    private struct Counter {
        let total: Int
        let progress: @Sendable (BenchProgress) -> Void
        var done = 0

        init(total: Int, progress: @escaping @Sendable (BenchProgress) -> Void) {
            self.total = total
            self.progress = progress
        }

        mutating func step(_ description: String) {
            progress(BenchProgress(step: description, done: done, total: total))
            done += 1
        }
    }
}
