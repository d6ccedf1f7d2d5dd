import CrawlerArchive
import CrawlerCore
import CrawlerParse
import Foundation

/// Measures a `ParsePoint` in this process: the corpus is loaded first, the engine started,
/// then the clock runs while `ParseBenchmark.feederTasks` tasks feed it every page once, in
/// each of `passes` passes, and the fastest pass is kept.
enum ParsePointRunner {
    /// Timed passes in each run of a point, after one warm-up pass (which starts the workers).
    /// A pass of the default corpus is short, so one pause of the shared machine's other
    /// tenants moves a single pass noticeably; the fastest of 3
    /// is what the engine itself can do (`bench-parse` keeps the fastest too). The bench then
    /// repeats the point in fresh processes and reports the median and the range.
    static let passes = 3

    static func run(_ point: ParsePoint, workerExecutable: URL?) async throws -> ParseMeasurement {
        let corpus = ParseCorpus(jobs: try loadCorpus(point.corpus))
        let result = try await ParseBenchmark.run(model: point.model, workers: point.workers, corpus: corpus, passes: passes, workerExecutable: workerExecutable)
        return ParseMeasurement(
            pages: result.pages, bytes: result.bytes, links: result.links, wallSeconds: result.wallSeconds,
            cpuSeconds: result.cpuSeconds, pagesPerSecond: result.pagesPerSecond, megabytesPerSecond: result.megabytesPerSecond,
            peakRSSBytes: ProcessMeter.peakRSSBytes(), ipcMicrosecondsPerPage: result.ipcMicrosecondsPerPage)
    }

    /// The pages of a corpus, in a stable order.
    static func loadCorpus(_ source: CorpusSource) throws -> [ParseJob] {
        switch source {
        case .syntheticWeb(let web):
            return web.parseJobs()
        case .directory(let path):
            let jobs = try CorpusDirectory.jobs(at: path)
            guard !jobs.isEmpty else { throw BenchError.input("no .html files under \(path); pass --corpus a folder of saved pages") }
            return jobs
        case .warc(let path):
            let responses = try WARCResponses.html(in: [path])
            guard !responses.isEmpty else { throw BenchError.input("\(path) holds no 2xx HTML response; pass --corpus a WARC file of crawled pages, or a folder of .html files") }
            return responses.map { ParseJob(url: $0.url, headers: $0.headers, body: $0.body) }
        }
    }
}

/// A folder of saved pages as parse jobs: every `.html` file under it, sorted by path, each
/// given a `file`-like http URL so links resolve against its place in the folder.
public enum CorpusDirectory {
    /// Whether `path` is a WARC file (a regular file whose name ends in .warc or .warc.gz).
    public static func isWARCFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        let lower = path.lowercased()
        return (lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz"))
            && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

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
