import ArgumentParser
import CrawlerBench
import CrawlerCore
import CrawlerParse
import Foundation
import SyntheticWeb

/// `crawler bench`: measure fetching against parsing under every concurrency model and write a report.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure fetching (I/O-bound) against parsing (CPU-bound) under every concurrency model.",
        discussion: """
            Three experiments, each point repeated (--repeat) and reported as the median with min-max: the fetch phase alone (each fetch model x in-flight transfers x server latency), the parse phase alone over a corpus held in memory (each parse model x workers, against inline), and whole crawls into SQLite pairing the two. Each point runs in a fresh child process, so peak memory and threads are that point's own.

            With no arguments it starts an embedded web on 127.0.0.1-127.0.0.N and measures everything. The parse and crawl phases measure two corpora apart (--corpora): the mixed web's articles and documentation pages (about 100 KiB and 300+ links each); the fetch phase uses the mixed web. It writes report.md, report.json, SVG charts and index.html to --out.

            Examples:
              crawler bench --quick                 # a minute or two
              crawler bench --phase parse --workers 1,2,4,8
              crawler bench --phase parse --corpus ~/site/  # a folder of .html files, or a .warc.gz
              crawler bench --phase fetch --in-flight 1,8,64 --latency 0,20,100
              crawler bench --phase crawl --pairs async:64+threads:2
              crawler bench --phase parse --corpora docs
            """
    )

    @Option(help: "The folder to write the report to (default: output/bench/<timestamp>/).")
    var out: String?

    @Option(help: "What to measure: fetch, parse, crawl or all.")
    var phase: PhaseChoice = .all

    @Flag(help: "Fewer points and pages: a minute or two on 2 cores in a release build.")
    var quick = false

    @Option(name: .customLong("repeat"), help: "Times each point is measured (default 3).")
    var repeats: Int?

    @Option(name: .customLong("url"), help: "Measure these URLs instead of the embedded web (repeat the flag for several). The fetch phase sends up to --in-flight requests at once to their hosts: use your own servers.")
    var urls: [String] = []

    @Option(help: "Parse every .html file under this folder, or the 2xx HTML responses of this WARC file (.warc or .warc.gz, e.g. a crawl's --warc archive) (parse phase only).")
    var corpus: String?

    @Option(help: "The embedded web's corpora for the parse and crawl phases, comma-separated: mixed (articles, about 20 links each), docs (documentation pages, 300+ links each). Default: mixed,docs.", transform: CommaList.of(SiteProfile.self))
    var corpora: [SiteProfile]?

    @Option(name: .customLong("fetch-models"), help: "Fetch models to compare, comma-separated (sequential,threads,async).", transform: CommaList.of(FetchModel.self))
    var fetchModels: [FetchModel]?

    @Option(name: .customLong("in-flight"), help: "Transfers in flight, comma-separated (default 1,4,16,64,256).", transform: CommaList.of(Int.self))
    var inFlight: [Int]?

    @Option(name: .customLong("latency"), help: "Embedded web latencies in ms, comma-separated (default 0,50).", transform: CommaList.of(Int.self))
    var latencies: [Int]?

    @Option(name: .customLong("fetch-pages"), help: "URLs fetched per fetch point at most.")
    var fetchPages: Int?

    @Option(name: .customLong("parse-models"), help: "Parse models to compare, comma-separated (inline is always the baseline).", transform: CommaList.of(ParseModel.self))
    var parseModels: [ParseModel]?

    @Option(name: .customLong("workers"), help: "Parse workers, comma-separated (default 1,2,4,2x cores).", transform: CommaList.of(Int.self))
    var workers: [Int]?

    @Option(name: .customLong("parse-pages"), help: "Pages in the embedded parse corpus.")
    var parsePages: Int?

    @Option(name: .customLong("pairs"), help: "End-to-end pairings, comma-separated, each FETCH:IN_FLIGHT+PARSE:WORKERS (e.g. async:64+threads:2).", transform: CommaList.of(CrawlPairing.self))
    var pairs: [CrawlPairing]?

    @Option(name: .customLong("crawl-pages"), help: "Pages per end-to-end crawl.")
    var crawlPages: Int?

    @Option(name: .customLong("host-sizes"), help: "How the crawl phase's embedded web shares pages among hosts: equal, or zipf (the largest host has about half; the default).")
    var hostSizes: HostSizes?

    @Option(name: .customLong("crawl-latency"), help: "Embedded web latency during crawls, ms.")
    var crawlLatency: Int?

    @Flag(help: .hidden)
    var point = false

    @Option(name: .customLong("from-report"), help: "Measure nothing: draw a bench's report.json again into --out (tables, charts, index.html, and the conclusions as this version derives them), e.g. after an upgrade changed the charts.")
    var fromReport: String?

    @Flag(name: .customLong("in-process"), help: .hidden)
    var inProcess = false

    enum PhaseChoice: String, ExpressibleByArgument, CaseIterable {
        case fetch, parse, crawl, all
    }

    func validate() throws {
        if fromReport != nil {
            // Redrawing measures nothing: a measuring flag beside it would be silently ignored.
            let measuring: [(String, Bool)] = [
                ("--phase", phase != .all), ("--quick", quick), ("--repeat", repeats != nil), ("--url", !urls.isEmpty), ("--corpus", corpus != nil),
                ("--corpora", corpora != nil), ("--fetch-models", fetchModels != nil), ("--in-flight", inFlight != nil), ("--latency", latencies != nil),
                ("--fetch-pages", fetchPages != nil), ("--parse-models", parseModels != nil), ("--workers", workers != nil), ("--parse-pages", parsePages != nil),
                ("--pairs", pairs != nil), ("--crawl-pages", crawlPages != nil), ("--host-sizes", hostSizes != nil), ("--crawl-latency", crawlLatency != nil),
            ]
            let given = measuring.filter(\.1).map(\.0)
            if !given.isEmpty { throw ValidationError("--from-report redraws a report without measuring; leave out \(given.joined(separator: ", "))") }
        }
        if corpus != nil, !urls.isEmpty { throw ValidationError("--corpus and --url are two sources of pages; pick one") }
        if corpus != nil, phase != .parse, phase != .all { throw ValidationError("--corpus feeds the parse phase only; use --phase parse") }
        if corpora != nil, corpus != nil || !urls.isEmpty {
            throw ValidationError("--corpora picks among the embedded web's corpora; --\(corpus != nil ? "corpus" : "url") gives its own pages, so leave --corpora out")
        }
        if let repeats { try FlagRange.check(repeats, "--repeat", in: 1...100) }
        for (flag, pages) in [("--fetch-pages", fetchPages), ("--parse-pages", parsePages), ("--crawl-pages", crawlPages)] {
            if let pages { try FlagRange.check(pages, flag, in: 1...5_000_000) }
        }
        if let crawlLatency { try FlagRange.check(crawlLatency, "--crawl-latency", in: 0...10_000, unit: "milliseconds") }
    }

    func run() async throws {
        if point {
            // Hidden: measure one point read from stdin, answer on stdout (see PointExecutor).
            let answer = try await PointExecutor.answerPoint(input: FileHandle.standardInput.readDataToEndOfFile())
            FileHandle.standardOutput.write(answer)
            return
        }
        if let fromReport {
            try redraw(fromReport)
            return
        }
        let cores = ProcessInfoCores.activeProcessorCount
        let plan = try makePlan(cores: cores)
        let source = try makeSource()
        let directory = URL(fileURLWithPath: out ?? "output/bench/\(Self.timestamp())")
        let executable = URL(fileURLWithPath: ProcessParseEngine.ownExecutablePath)
        let executor: PointExecutor = inProcess ? .inProcess(workerExecutable: nil) : .childProcess(executable: executable, arguments: ["bench", "--point"])
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crawler-bench-\(ProcessInfo.processInfo.processIdentifier)")
        let runner = BenchRunner(plan: plan, source: source, executor: executor, scratchDirectory: scratch)
        let showProgress = isatty(STDERR_FILENO) == 1
        let report: BenchReport
        do {
            report = try await runner.run { progress in
                guard showProgress else { return }
                FileHandle.standardError.write(Data("\r\u{1B}[K[\(progress.done + 1)/\(progress.total)] \(progress.step)".utf8))
            }
        } catch {
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            throw error
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        try ReportWriter.write(report, to: directory)
        print("Bench finished in \(Formatting.seconds(report.durationSeconds)) on \(report.machine.cores) cores (\(report.machine.optimizedBuild ? "release" : "debug") build).")
        print("")
        for sentence in report.conclusions { print("- \(sentence)") }
        print("")
        print("Report: \(directory.appendingPathComponent("report.md").path)")
        print("Charts: \(directory.appendingPathComponent("index.html").path)")
    }

    func makePlan(cores: Int) throws -> BenchPlan {
        var plan = quick ? BenchPlan.quick(cores: cores) : BenchPlan.standard(cores: cores)
        switch phase {
        case .all: plan.phases = BenchPhase.allCases
        case .fetch: plan.phases = [.fetch]
        case .parse: plan.phases = [.parse]
        case .crawl: plan.phases = [.crawl]
        }
        if let repeats { plan.repeats = repeats }
        if let fetchModels { plan.fetchModels = fetchModels }
        if let inFlight { plan.inFlight = inFlight }
        if let latencies { plan.latenciesMs = latencies }
        if let fetchPages { plan.fetchPages = fetchPages }
        if let parseModels { plan.parseModels = parseModels }
        if let workers { plan.parseWorkers = workers }
        if let parsePages { plan.parsePages = parsePages }
        if let pairs { plan.crawlPairings = pairs }
        if let crawlPages { plan.crawlPages = crawlPages }
        if let hostSizes { plan.crawlHostSizes = hostSizes }
        if let crawlLatency { plan.crawlLatencyMs = crawlLatency }
        if let corpora { plan.corpora = corpora }
        do { try plan.validate() } catch let error as BenchError { throw ValidationError(error.description) }
        return plan
    }

    func makeSource() throws -> BenchSource {
        if let corpus { return .corpus(directory: corpus) }
        guard !urls.isEmpty else { return .embedded }
        let parsed = try urls.map { text in
            guard let url = NormalizedURL(text) else { throw ValidationError("--url \(text) is not an http(s) URL") }
            return url
        }
        return .urls(parsed)
    }

    /// `--from-report`: the report in `path` written again by this version, conclusions included.
    private func redraw(_ path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("--from-report \(path): cannot read it (\(error.localizedDescription)); pass the report.json a bench wrote")
        }
        struct Version: Decodable { var schemaVersion: Int }
        guard let version = try? JSONDecoder().decode(Version.self, from: data).schemaVersion else {
            throw ValidationError("--from-report \(path) is not a bench's report.json (no schemaVersion)")
        }
        guard version == BenchSchema.version else {
            throw ValidationError("--from-report \(path) has report schema \(version); this crawler draws schema \(BenchSchema.version) only: run the bench again")
        }
        var report = try JSONDecoder().decode(BenchReport.self, from: data)
        report.conclusions = Conclusions.derive(
            fetch: report.fetch, parse: report.parse, crawl: report.crawl, cores: report.machine.cores, loadAverage: report.loadAverageAtStart)
        let directory = URL(fileURLWithPath: out ?? "output/bench/\(Self.timestamp())")
        try ReportWriter.write(report, to: directory)
        print("Report: \(directory.appendingPathComponent("report.md").path)")
        print("Charts: \(directory.appendingPathComponent("index.html").path)")
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH-mm-ss'Z'"
        return formatter.string(from: Date())
    }
}

extension CrawlPairing: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
