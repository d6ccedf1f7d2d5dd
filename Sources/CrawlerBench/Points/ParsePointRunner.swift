import CrawlerCore
import CrawlerParse
import Foundation

/// Measures a `ParsePoint` in this process: the corpus is loaded first, the engine started,
/// then the clock runs while `2 × workers` tasks feed it every page once.
enum ParsePointRunner {
    static func run(_ point: ParsePoint, workerExecutable: URL?) async throws -> ParseMeasurement {
        let jobs = try loadCorpus(point.corpus)
        var options = ParseOptions()
        options.model = point.model
        options.workers = max(1, point.workers)
        let engine = try makeParseEngine(options, workerExecutable: workerExecutable)
        // Warm up: start every worker process (and fault in libxml2) before the clock starts.
        for job in jobs.prefix(options.workers * 2) { _ = await engine.parse(job) }
        // Inline parses on the calling task: one feeder measures one core, as the baseline should.
        let feeders = point.model == .inline ? 1 : options.workers * 2
        let next = SharedCounter()
        // Worker processes are read live from /proc so their start-up is not counted.
        let workerIDs = (engine as? ProcessParseEngine)?.workerProcessIDs ?? []
        let cpuBefore = ProcessMeter.cpuSeconds() + ProcessMeter.cpuSeconds(ofProcesses: workerIDs)
        let clock = ContinuousClock()
        let start = clock.now
        let tally = await withTaskGroup(of: (links: Int, failures: Int).self) { group in
            for _ in 0..<feeders {
                group.addTask {
                    var links = 0
                    var failures = 0
                    while true {
                        let index = next.takeNext()
                        guard index < jobs.count else { break }
                        switch await engine.parse(jobs[index]) {
                        case .success(let page): links += page.links.count
                        case .failure: failures += 1
                        }
                    }
                    return (links, failures)
                }
            }
            return await group.reduce(into: (links: 0, failures: 0)) { $0.links += $1.links; $0.failures += $1.failures }
        }
        let wall = ProcessMeter.seconds(clock.now - start)
        let cpu = ProcessMeter.cpuSeconds() + ProcessMeter.cpuSeconds(ofProcesses: workerIDs) - cpuBefore
        await engine.shutdown()
        let bytes = jobs.reduce(0) { $0 + $1.body.count }
        return ParseMeasurement(
            pages: jobs.count, failures: tally.failures, bytes: bytes, links: tally.links, wallSeconds: wall, cpuSeconds: cpu,
            pagesPerSecond: Double(jobs.count) / max(wall, 1e-9), megabytesPerSecond: Double(bytes) / 1e6 / max(wall, 1e-9),
            peakRSSBytes: ProcessMeter.peakRSSBytes())
    }

    /// The pages of a corpus, in a stable order.
    static func loadCorpus(_ source: CorpusSource) throws -> [ParseJob] {
        switch source {
        case .site(let site):
            return site.parseJobs()
        case .directory(let path):
            let jobs = try CorpusDirectory.jobs(at: path)
            guard !jobs.isEmpty else { throw BenchError.input("no .html files under \(path); pass --corpus a folder of saved pages") }
            return jobs
        }
    }
}

/// A folder of saved pages as parse jobs: every `.html` file under it, sorted by path, each
/// given a `file`-like http URL so links resolve against its place in the folder.
public enum CorpusDirectory {
    /// The paths of the `.html` files under `path`, sorted.
    public static func htmlFiles(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BenchError.input("--corpus \(path) is not a folder; pass a folder of .html files")
        }
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.lowercased().hasSuffix(".html") { files.append(relative) }
        }
        return files.sorted()
    }

    /// The files as jobs.
    public static func jobs(at path: String) throws -> [ParseJob] {
        try htmlFiles(at: path).compactMap { relative in
            let data = try Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent(relative))
            let escaped = relative.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }
            guard let url = NormalizedURL("http://corpus.invalid/" + escaped.joined(separator: "/")) else { return nil }
            return ParseJob(url: url, headers: ResponseHeaders(contentType: "text/html"), body: Array(data))
        }
    }
}
