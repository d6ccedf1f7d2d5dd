import CrawlerCore
import CrawlerGraph
import Foundation

/// Measures the store's write path as a crawl drives it: claim a batch, commit the batch's
/// pages with their links and discovered URLs, repeat. The pages are synthetic but shaped like
/// a site crawl: each has `linksPerPage` links, a quarter of them site navigation (the same
/// targets on every page of a host), the rest to pages anywhere in the crawl, so most targets
/// are already known and some are new; every target is in scope and queued.
public enum StoreWriteBenchmark {
    /// What one run measured.
    public struct Result: Sendable, Hashable, Codable {
        /// Pages committed.
        public var pages: Int
        /// Link rows written (distinct per page).
        public var links: Int
        /// Commits (one transaction each).
        public var commits: Int
        /// Wall-clock seconds for the claim-and-commit loop.
        public var seconds: Double
        /// Pages per second.
        public var pagesPerSecond: Double
        /// Links per second.
        public var linksPerSecond: Double
        /// Size of the database file after a checkpoint, in bytes.
        public var databaseBytes: Int
        /// `databaseBytes / pages`.
        public var bytesPerPage: Double
    }

    /// Runs the benchmark on a new database at `path` (which must not exist).
    public static func run(at path: String, pages: Int = 20_000, linksPerPage: Int = 20, batchSize: Int = 100, hosts: Int = 20) throws -> Result {
        let store = try GraphStore(path: path)
        try store.seed((0..<hosts).map { pageURL($0, hosts: hosts) })
        var random = SplitMix64(seed: 42)  // every run commits the same pages
        // URLs are made before the clock starts: parsing them is the pipeline's cost, not the store's.
        let urls = (0..<(pages * 2 + hosts * linksPerPage)).map { pageURL($0, hosts: hosts) }
        var committedPages = 0
        var links = 0
        var commits = 0
        let navigationCount = linksPerPage / 4
        let start = ContinuousClock.now
        while committedPages < pages {
            let claimed = try store.claim(limit: min(batchSize, pages - committedPages))
            if claimed.isEmpty { break }
            let records = claimed.map { entry -> PageRecord in
                let host = Int(entry.url.host.dropFirst(4).prefix { $0 != "." }) ?? 0
                var targets: [NormalizedURL] = (0..<navigationCount).map { urls[host + hosts * $0] }
                while targets.count < linksPerPage { targets.append(urls[Int(random.next() % UInt64(pages * 2))]) }
                let pageLinks = targets.map { Link(target: $0, kind: .a, anchorText: "Read the article about this") }
                return PageRecord(
                    url: entry.url, depth: entry.depth, status: 200, contentType: "text/html", bytes: 30_000,
                    title: "An article title of a typical length here", fetchSeconds: 0.05, parseSeconds: 0.002,
                    links: pageLinks, enqueue: targets)
            }
            let summary = try store.commit(records)
            committedPages += summary.pagesStored
            links += summary.linksStored
            commits += 1
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        try store.checkpoint()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Result(
            pages: committedPages, links: links, commits: commits, seconds: seconds,
            pagesPerSecond: Double(committedPages) / seconds, linksPerSecond: Double(links) / seconds,
            databaseBytes: bytes, bytesPerPage: Double(bytes) / Double(max(committedPages, 1)))
    }

    /// The URL of synthetic page `index`: spread over `hosts` hosts, with a realistic path.
    static func pageURL(_ index: Int, hosts: Int) -> NormalizedURL {
        NormalizedURL("http://host\(index % hosts).example.test/articles/\(index / 100)/an-article-slug-\(index).html")!
    }
}
