import ArgumentParser
import CrawlerGraph

/// `crawler stats`: what a crawl found, in tables a person can scan (or JSON).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarize a crawl: pages by status, type and host, depths, top pages, components.",
        discussion: """
            Pages by status, content type and host; the depth histogram; the top pages by in-degree and by PageRank (damping 0.85, dangling mass spread evenly); the count and sizes of strongly connected components. --json prints the same as one JSON object.

            Examples:
              crawler stats --db output/crawl.sqlite
              crawler stats --json --top 50 > stats.json
            """
    )

    @Option(help: "The crawl database.")
    var db = "output/crawl.sqlite"

    @Option(help: "How many top pages to list.")
    var top = 10

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        try FlagRange.check(top, "--top", in: 1...1_000_000)
    }

    func run() throws {
        let stats = try GraphStore(path: db, createIfMissing: false, options: .readOnly).stats(top: top)
        print(json ? try stats.renderJSON() : stats.renderText())
    }
}
