import CrawlerArchive
import CrawlerCore
import CrawlerFetch
import CrawlerGraph
import CrawlerParse
import Foundation

/// Everything that defines a crawl, stored with each run so `--resume` continues the same crawl.
public struct CrawlSettings: Sendable, Hashable, Codable {
    /// The seed URLs.
    public var seeds: [NormalizedURL]
    /// Scope, depth and trap guards: these decide which pages the crawl finds.
    public var frontier: FrontierOptions
    /// The fetch phase's model and limits: these decide only how fast.
    public var fetch: FetchOptions
    /// The parse phase's model: this decides only how fast.
    public var parse: ParseOptions
    /// For a graph rebuilt from WARC files (`--from-warc`): the files. Nothing is fetched; a
    /// resume reads them again.
    public var fromWARC: [String]? = nil

    /// Settings for a crawl.
    public init(seeds: [NormalizedURL], frontier: FrontierOptions = FrontierOptions(), fetch: FetchOptions = FetchOptions(), parse: ParseOptions = ParseOptions()) {
        self.seeds = seeds
        self.frontier = frontier
        self.fetch = fetch
        self.parse = parse
    }
}

/// One crawl into a database: opens (or creates) the store, builds the engines the settings
/// name, runs the pipeline, and records the run's outcome. What `crawler crawl` and
/// `crawler demo` call.
public struct CrawlSession: Sendable {
    /// The database file.
    public var databasePath: String
    /// Continue the crawl already in the database instead of starting one.
    public var resume: Bool
    /// Delete the crawler database at `databasePath` first (under the lock) and start over.
    public var fresh: Bool
    /// The crawl's settings. With `resume`, seeds and frontier options come from the database.
    public var settings: CrawlSettings
    /// The executable that runs parse workers (`crawler worker`); nil: this process's own executable.
    public var workerExecutable: URL?

    /// Told, before the crawl starts, each requested setting a resume ignores (see `ResumeSettings`).
    public var notice: (@Sendable (String) -> Void)?
    /// Where to archive every request and response as WARC (`--warc`); nil keeps none.
    public var archive: ArchiveSettings?

    /// A session.
    public init(
        databasePath: String, resume: Bool, fresh: Bool = false, settings: CrawlSettings, workerExecutable: URL? = nil,
        notice: (@Sendable (String) -> Void)? = nil, archive: ArchiveSettings? = nil
    ) {
        self.archive = archive
        self.databasePath = databasePath
        self.resume = resume
        self.fresh = fresh
        self.notice = notice
        self.settings = settings
        self.workerExecutable = workerExecutable
    }

    /// What a finished (or interrupted) session did.
    public struct Result: Sendable {
        /// Totals of this run.
        public var summary: CrawlSummary
        /// The settings the run used (from the database when resuming).
        public var settings: CrawlSettings
        /// Whether it stopped before the frontier was empty: Ctrl-C (cancellation), or the archive
        /// stopped on a write error (`archiveStoppedCrawl`).
        public var interrupted: Bool
        /// URLs left in the frontier.
        public var queued: Int
        /// When no seed could be fetched (each failed, or robots.txt kept it out), why each failed.
        public var seedFailures: [SeedFailure]? = nil
        /// What the WARC archive holds after this run, when the crawl keeps one.
        public var archive: WARCSummary? = nil
        /// Why the archive failed (a full disk), if it did: a write refused during the crawl
        /// (`archiveStoppedCrawl`), or the last file's flush or close at the end.
        public var archiveError: String? = nil
        /// The archive refused a page's records and the crawl stopped there: no page it lacks
        /// was stored. False when the archive only failed to flush or close at the end.
        public var archiveStoppedCrawl = false

        /// A result (other stores' sessions build theirs too).
        public init(summary: CrawlSummary, settings: CrawlSettings, interrupted: Bool, queued: Int, seedFailures: [SeedFailure]? = nil) {
            self.summary = summary
            self.settings = settings
            self.interrupted = interrupted
            self.queued = queued
            self.seedFailures = seedFailures
        }
    }

    /// Runs the crawl. Throws `CrawlSessionError` for a database that does not fit the request,
    /// and the store's errors (another crawl holding the database, a full disk, a newer schema)
    /// as they are.
    ///
    /// The database's single-writer lock (`DatabaseLock`) is held from before `fresh` deletes
    /// anything until the run is recorded, so two crawls never write one database.
    public func run(progress: (@Sendable (CrawlProgress) -> Void)? = nil, failure: (@Sendable (PageFailure) -> Void)? = nil) async throws -> Result {
        let lock = try DatabaseLock(databasePath: databasePath)
        defer { lock.release() }
        // Before anything is deleted or created: a refused archive changes nothing.
        if let archive, !resume, let existing = WARCFileSet(path: archive.path).existingFiles().first {
            throw WARCError.exists(path: existing)
        }
        if fresh { try GraphStore.removeDatabase(at: databasePath) }
        let exists = FileManager.default.fileExists(atPath: databasePath)
        if resume, !exists { throw CrawlSessionError.nothingToResume(path: databasePath) }
        let store = try GraphStore(path: databasePath)
        let earlierRuns = try store.runs()
        var settings = settings
        if resume {
            // The latest run's settings: it carries the newest --max-pages.
            guard let latest = earlierRuns.last, let stored = try? JSONDecoder().decode(CrawlSettings.self, from: Data(latest.settingsJSON.utf8)) else {
                throw CrawlSessionError.nothingToResume(path: databasePath)
            }
            let merged = ResumeSettings(stored: stored, requested: settings)
            for ignored in merged.ignored { notice?("--resume ignores \(ignored): seeds and scope cannot change midway") }
            settings = merged.settings
            settings.fromWARC = stored.fromWARC
        } else if try !earlierRuns.isEmpty || store.pageCount() > 0 {
            throw CrawlSessionError.alreadyCrawled(path: databasePath)
        }

        var archiveFetcher: ArchiveFetcher?
        if let files = settings.fromWARC {
            let fetcher = try ArchiveFetcher(paths: files.flatMap { WARCFileSet(path: $0).existingFiles() })
            if fetcher.urls.isEmpty { throw CrawlSessionError.emptyArchive(paths: files) }
            if !resume {
                settings.seeds = fetcher.urls
                settings.frontier.scope = .any
                settings.frontier.maxDepth = 0  // the archive is the crawl: every page in it is a seed
            }
            archiveFetcher = fetcher
        }
        let policy = try FrontierPolicy(options: settings.frontier, seeds: settings.seeds)
        var warc: WARCArchive?
        if let archive {
            settings.fetch.captureExchanges = true
            warc = try WARCArchive(fileSet: WARCFileSet(path: archive.path), maxFileBytes: archive.maxFileBytes, info: Self.warcInfo(settings), resume: resume)
            if let repaired = warc?.repairedBytes, repaired > 0 {
                notice?("\(archive.path): cut off \(repaired) bytes of a WARC record left unfinished when the crawl stopped; it is fetched again")
            }
        }
        var run: CrawlRunID?
        let outcome: PipelineRun.Outcome
        do {
            outcome = try await PipelineRun.run(
                settings: settings, policy: policy, seeds: settings.seeds, workerExecutable: workerExecutable,
                progress: progress, failure: failure, fetcher: archiveFetcher, archive: warc
            ) { [settings] in
                let begun = try store.beginRun(settings: settings, fetchModel: settings.fetch.model, parseModel: settings.parse.model)
                run = begun
                return SQLiteCrawlStore(store: store, run: begun)
            }
        } catch {
            if let run { try? store.endRun(run, outcome: .failed) }
            _ = try? await warc?.finish()
            throw error
        }
        var archived: WARCSummary?, archiveError: String?
        do {
            archived = try await warc?.finish()
        } catch {
            archiveError = "\(error)"
        }
        let summary = outcome.summary, interrupted = outcome.interrupted
        let queued = try store.frontierCounts().queued
        if let run { try store.endRun(run, outcome: interrupted || queued > 0 ? .stopped : .completed) }
        try store.checkpoint()
        let seedFailures = try store.failuresIfNoneFetched(settings.seeds)
        var result = Result(summary: summary, settings: settings, interrupted: interrupted, queued: queued, seedFailures: seedFailures)
        result.archive = archived
        result.archiveError = archiveError
        result.archiveStoppedCrawl = warc?.refusedAPage ?? false
        return result
    }

    /// The `warcinfo` fields of this crawl's archive files (WARC 1.1 §6.2, as wget writes them).
    static func warcInfo(_ settings: CrawlSettings) -> [WARCField] {
        [
            WARCField("software", "crawler/\(FetchOptions.crawlerVersion) (Swift, libcurl)"),
            WARCField("format", "WARC File Format 1.1"),
            WARCField("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
            WARCField("robots", settings.fetch.ignoreRobots ? "ignore" : "obey"),
            WARCField("http-header-user-agent", settings.fetch.userAgent),
        ]
    }
}

/// A database that does not fit what was asked of it.
public enum CrawlSessionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--resume` of a database with no crawl in it.
    case nothingToResume(path: String)
    /// A new crawl into a database that already holds one.
    case alreadyCrawled(path: String)
    /// `--from-warc` files without a single response record.
    case emptyArchive(paths: [String])

    public var description: String {
        switch self {
        case .nothingToResume(let path): "\(path) holds no crawl to resume; start one with crawler crawl SEEDS --db \(path)"
        case .alreadyCrawled(let path):
            "\(path) already holds a crawl; continue it with crawler crawl --resume --db \(path), or pass --fresh to start over"
        case .emptyArchive(let paths):
            "\(paths.joined(separator: ", ")) holds no response record to rebuild a graph from; pass the WARC files of a crawl (crawl --warc)"
        }
    }
}
