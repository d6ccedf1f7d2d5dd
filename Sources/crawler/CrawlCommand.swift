import ArgumentParser
import Crawler
import CrawlerCore
import Foundation

/// `crawler crawl`: crawl seed lists or URLs into a SQLite link graph.
struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Crawl seed lists or URLs into a SQLite link graph.",
        discussion: """
            Each SEED is a seed-list file (one URL a line, # comments, blank lines; - reads one from standard input) or a URL. Seeds with a user name or password (http://user:pass@host/) are refused: URLs are stored in the database and its exports. The crawl goes breadth-first, stays on the seeds' hosts (--scope host), obeys robots.txt and keeps at most --per-host requests in flight to one host.

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

    @Option(help: "The SQLite database to write the link graph to.")
    var db = "output/crawl.sqlite"

    @Flag(help: "Continue the crawl in --db where it stopped.")
    var resume = false

    @Flag(help: "Delete the crawler database --db (and its -wal and -shm files) first, and start over; anything else at that path is refused.")
    var fresh = false

    @OptionGroup(title: "Scope and limits") var frontier: FrontierArguments
    @OptionGroup(title: "Fetching") var fetch: FetchArguments
    @OptionGroup(title: "Parsing") var parse: ParseArguments
    @OptionGroup(title: "Output") var output: OutputArguments

    func validate() throws {
        if resume, fresh { throw ValidationError("--resume and --fresh contradict each other; pick one") }
        if !resume, seeds.isEmpty { throw ValidationError("give at least one seed-list file or URL, or --resume") }
    }

    func run() async throws {
        var seedURLs: [NormalizedURL] = []
        if !seeds.isEmpty {
            let list = try SeedList(arguments: seeds)
            for problem in list.problems { Console.warn(problem.description) }
            seedURLs = list.urls
        }
        let fetchOptions = DescriptorBudget.fitting(fetch.options, parse: parse.options)
        let settings = CrawlSettings(seeds: seedURLs, frontier: frontier.options, fetch: fetchOptions, parse: parse.options)
        let session = CrawlSession(databasePath: db, resume: resume, fresh: fresh, settings: settings)
        let (result, stopStatus) = try await Console.runInterruptibly(session, output: output.output)
        let report = result.summary.report()
        print(output.quiet ? String(report.prefix { $0 != "\n" }) : report)
        if !output.quiet { print("") }
        print("Link graph: \(db) (see crawler stats --db \(db), crawler export --db \(db) --format graphml)")
        if result.interrupted {
            print("Stopped with \(Formatting.count(result.queued)) URLs still queued. Continue with: crawler crawl --resume --db \(db)")
            throw ExitCode(stopStatus)
        }
        if result.queued > 0 {
            print("\(Formatting.count(result.queued)) URLs are still queued (--max-pages). Continue with: crawler crawl --resume --db \(db) --max-pages N")
        }
        if let failures = result.seedFailures { throw NoSeedFetched(failures: failures) }
    }
}
