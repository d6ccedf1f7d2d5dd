import ArgumentParser
import Crawler
import CrawlerArchive
import CrawlerCore
import CrawlerPostgres
import Foundation

/// `crawler crawl`: crawl seed lists or URLs into a SQLite link graph.
struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Crawl seed lists or URLs into a SQLite link graph.",
        discussion: """
            Each SEED is a seed-list file (one URL a line, # comments, blank lines; - reads one from standard input) or a URL. Seeds with a user name or password (http://user:pass@host/) are refused: URLs are stored in the database and its exports. The crawl goes breadth-first, stays on the seeds' hosts (--scope host), obeys robots.txt and keeps at most --per-host requests in flight to one host.

            Sitemaps: --sitemap URL seeds a sitemap (or sitemap index, gzip or not), and the Sitemap: lines of every robots.txt the crawl reads are seeds too (when their URL is within --scope). Their URLs are links of kind sitemap, followed like any link (scope, robots.txt, --max-depth); each entry's <lastmod> is stored with its link. A sitemap over the protocol's limits (50,000 URLs, 50 MB once inflated) keeps the first 50,000 URLs or the first 50 MB, and the crawl reports what was dropped.

            A crawl killed at any moment (Ctrl-C, SIGKILL, a full disk) continues with --resume, which keeps the seeds and scope of the original crawl (and says which changed flags it ignores), takes a new --max-pages, and ends with the same graph as an uninterrupted crawl. Ctrl-C stops cleanly with exit status 130, SIGTERM with 143. One crawl at a time writes a database (the lock file DB.lock).

            Examples:
              crawler serve --faults &            # the synthetic web on port 8080
              crawler crawl seeds/demo.txt
              crawler crawl https://www.swift.org/ --max-pages 200 --delay 1000
              crawler crawl seeds/demo.txt --fetch threads --parse inline
              crawler crawl --resume --db output/crawl.sqlite
            """
    )

    @Argument(help: "Seed-list files (- for standard input) or URLs (not needed with --resume).")
    var seeds: [String] = []

    @Option(name: .customLong("sitemap"), help: ArgumentHelp(
        "A sitemap or sitemap index to crawl from, as a seed (repeatable); .xml.gz too.",
        discussion: "Sitemaps named by the Sitemap: lines of each robots.txt the crawl reads are crawled too, within --scope.",
        valueName: "url"))
    var sitemaps: [String] = []

    @Option(help: "The SQLite database to write the link graph to, or a PostgreSQL database (postgres://USER@HOST:PORT/DBNAME; the password from PGPASSWORD or ~/.pgpass) shared by a fleet of crawlers.")
    var db = "output/crawl.sqlite"

    @Flag(help: "Continue the crawl in --db where it stopped.")
    var resume = false

    @Flag(help: "Join the crawl in a PostgreSQL --db as one more node, with the scope and limits it started with.")
    var join = false

    @Option(name: .customLong("join-wait"), help: "With --join: seconds to wait for a node to start the crawl, so a whole fleet can be started at once.")
    var joinWait: Double = 60

    @Option(help: "PostgreSQL only: seconds a node's host leases last without renewal, what a dead node costs the fleet before its hosts move on.")
    var lease: Double = 30

    @Option(name: .customLong("from-warc"), help: ArgumentHelp("Fetch nothing: rebuild the link graph from these WARC files (a file, or a --warc path and the files numbered after it; repeatable), parsing every archived response with the parse model asked for.", valueName: "path"))
    var fromWARC: [String] = []

    @Flag(help: "Delete the crawler database --db (and its -wal and -shm files) first, and start over; anything else at that path is refused.")
    var fresh = false

    @OptionGroup(title: "Scope and limits") var frontier: FrontierArguments
    @OptionGroup(title: "Fetching") var fetch: FetchArguments
    @OptionGroup(title: "Parsing") var parse: ParseArguments
    @OptionGroup(title: "Output") var output: OutputArguments
    @OptionGroup(title: "Archive") var archive: ArchiveArguments

    func validate() throws {
        if resume, fresh { throw ValidationError("--resume and --fresh contradict each other; pick one") }
        let postgres = PostgresLocation.isPostgres(db)
        if join, !postgres { throw ValidationError("--join needs a PostgreSQL --db (postgres://USER@HOST:PORT/DBNAME); a SQLite crawl continues with --resume") }
        if postgres, resume { throw ValidationError("a PostgreSQL crawl continues with --join (any node, any time), not --resume") }
        if postgres, fresh { throw ValidationError("--fresh does not drop PostgreSQL databases; drop and create it yourself (dropdb, createdb)") }
        if postgres, archive.warc != nil { throw ValidationError("--warc writes one archive per crawl on SQLite; with a PostgreSQL fleet it is not supported yet") }
        if !(1...3600).contains(lease) { throw ValidationError("--lease must be between 1 and 3600 seconds") }
        if !(0...86400).contains(joinWait) { throw ValidationError("--join-wait must be between 0 and 86400 seconds") }
        if !fromWARC.isEmpty {
            if !seeds.isEmpty || !sitemaps.isEmpty { throw ValidationError("--from-warc takes its pages from the archive; give no seeds or --sitemap with it") }
            if postgres { throw ValidationError("--from-warc rebuilds a graph into SQLite; a PostgreSQL --db is not supported with it") }
            if archive.warc != nil { throw ValidationError("--from-warc fetches nothing, so --warc would archive nothing; drop one of them") }
            if resume { throw ValidationError("a --from-warc crawl resumes with --resume alone (it reads the files it started with)") }
            for path in fromWARC where WARCFileSet(path: path).existingFiles().isEmpty {
                throw ValidationError("--from-warc \(path): no such WARC file")
            }
        } else if !resume, !join, seeds.isEmpty, sitemaps.isEmpty { throw ValidationError("give at least one seed-list file or URL, a --sitemap URL, or --resume (SQLite) or --join (PostgreSQL)") }
        for sitemap in sitemaps where NormalizedURL(sitemap) == nil {
            throw ValidationError("--sitemap needs an http or https URL (a sitemap list is a seed-list file given as a SEED); got '\(sitemap)'")
        }
    }

    func run() async throws {
        var seedURLs: [NormalizedURL] = []
        if !seeds.isEmpty || !sitemaps.isEmpty {
            // A sitemap is a seed: the crawl reads it as a sitemap because of what it holds.
            let list = try SeedList(arguments: seeds + sitemaps)
            for problem in list.problems { Console.warn(problem.description) }
            seedURLs = list.urls
        }
        let fetchOptions = try DescriptorBudget.fitting(fetch.options, parse: parse.options)
        var settings = CrawlSettings(seeds: seedURLs, frontier: frontier.options, fetch: fetchOptions, parse: parse.options)
        if !fromWARC.isEmpty { settings.fromWARC = fromWARC.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
        let postgres = PostgresLocation.isPostgres(db)
        let (result, stopStatus) = postgres ? try await runNode(settings) : try await Console.runInterruptibly(
            CrawlSession(databasePath: db, resume: resume, fresh: fresh, settings: settings, archive: archive.settings), output: output.output)
        // A PostgreSQL URL is printed without its password (the URL never holds one: it is refused).
        let shown = postgres ? "\(try PostgresLocation(db))" : db
        // A --warc crawl continues with the same archive (it is not stored with the crawl).
        let continuing = postgres ? "crawler crawl --join --db \(shown)" : "crawler crawl --resume --db \(shown)" + archive.resumeFlags
        let report = result.summary.report()
        print(output.quiet ? String(report.prefix { $0 != "\n" }) : report)
        if !output.quiet { print("") }
        print("Link graph: \(shown) (see crawler stats --db \(shown), crawler export --db \(shown) --format graphml)")
        if let archived = result.archive { print(Self.archiveLine(archived, path: archive.warc ?? "")) }
        if let problem = result.archiveError {
            // `WARCError` descriptions are whole sentences, ending in a full stop.
            if result.archiveStoppedCrawl {
                // The pipeline stopped at the first page the archive could not take: nothing stored lacks its records.
                Console.warn("The WARC archive stopped: \(problem) The crawl stopped with it: the pages it could not archive were not stored. Fix the cause (a full disk: make room), then continue with: \(continuing)")
            } else {
                Console.warn("The WARC archive could not be flushed or closed at the end: \(problem) Every stored page's records were written to it, but they may not all be on disk: check the disk, then read the archive back (crawler crawl --from-warc, or warcio).")
            }
            throw ExitCode(1)
        }
        if result.interrupted {
            let stopped = postgres ? "This node stopped; its unfinished URLs went back to the queue" : "Stopped"
            print("\(stopped) with \(Formatting.count(result.queued)) URLs still queued. Continue with: \(continuing)")
            throw ExitCode(stopStatus)
        }
        if result.queued > 0 {
            print("\(Formatting.count(result.queued)) URLs are still queued (--max-pages). Continue with: \(continuing) --max-pages N")
        }
        if let failures = result.seedFailures { throw NoSeedFetched(failures: failures) }
    }

    /// `Archive: PATH: N pages in R records (…), B MB in F files; archiving used C s of CPU`,
    /// and how long flushing the last file to disk took at the end, when it took a while.
    static func archiveLine(_ archived: WARCSummary, path: String) -> String {
        let totals = archived.totals
        let kinds = WARCRecordType.allCases.compactMap { type in totals.records[type].map { "\($0) \(type.rawValue)" } }
        let records = totals.records.values.reduce(0, +)
        let megabytes = Double(totals.compressedBytes) / 1_048_576
        return "Archive: \(path): \(Formatting.count(totals.pages)) pages in \(Formatting.count(records)) records (\(kinds.joined(separator: ", "))), "
            + "\(String(format: "%.1f", megabytes)) MB written to \(totals.files) file\(totals.files == 1 ? "" : "s") this run; archiving used \(String(format: "%.2f", archived.cpuSeconds)) s of CPU"
            + (archived.finishSeconds >= 0.05 ? "; flushing it to disk took \(String(format: "%.1f", archived.finishSeconds)) s at the end" : "")
    }

    /// One node of a crawl on PostgreSQL, until the fleet's crawl is done or it is stopped.
    private func runNode(_ settings: CrawlSettings) async throws -> (result: CrawlSession.Result, stopStatus: Int32) {
        let quiet = output.quiet
        let session = PostgresCrawlSession(
            location: try PostgresLocation(db), join: join, settings: settings, leaseSeconds: lease,
            joinWaitSeconds: joinWait, notice: { message in if !quiet { Console.warn(message) } })
        return try await Console.runInterruptibly(output: output.output) { progress, failure in
            try await session.run(progress: progress, failure: failure)
        }
    }
}
