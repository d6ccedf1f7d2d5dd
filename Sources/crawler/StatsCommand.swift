import ArgumentParser
import CrawlerGraph
import CrawlerPostgres
import Foundation

/// `crawler stats`: what a crawl found, in tables a person can scan (or JSON).
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarize a crawl: pages by status, type and host, depths, top pages, components.",
        discussion: """
            Pages by status, content type and host; the depth histogram; the top pages by in-degree and by PageRank (damping 0.85, dangling mass spread evenly); the count and sizes of strongly connected components. --json prints the same as one JSON object.

            Examples:
              crawler stats --db output/crawl.sqlite
              crawler stats --json --top 50 > stats.json
              crawler stats --db postgres://crawler@db.example:5432/crawl

            On PostgreSQL, the crawl is read from one consistent snapshot (nodes may be crawling meanwhile), and a table of the fleet follows: each node, whether it is crawling, the pages it stored and the host leases it holds (--json: a "fleet" list).
            """
    )

    @Option(help: "The crawl database: a SQLite file, or postgres://USER@HOST:PORT/DBNAME.")
    var db = "output/crawl.sqlite"

    @Option(help: "How many top pages to list.")
    var top = 10

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        try FlagRange.check(top, "--top", in: 1...1_000_000)
    }

    func run() async throws {
        guard PostgresLocation.isPostgres(db) else {
            let stats = try GraphStore(path: db, createIfMissing: false, options: .readOnly).stats(top: top)
            print(json ? try stats.renderJSON() : stats.renderText())
            return
        }
        let location = try PostgresLocation(db)
        let (stats, nodes) = try await PostgresSnapshot.with(location) { copy, nodes in
            (try copy.stats(top: top, crawling: nodes.contains { $0.isActive() }, database: location.description), nodes)
        }
        guard json else {
            print(String(stats.renderText().reversed().drop { $0 == "\n" }.reversed()) + "\n\n" + renderFleet(nodes))
            return
        }
        // The same object as for SQLite, plus the fleet.
        var object = try JSONSerialization.jsonObject(with: Data(try stats.renderJSON().utf8)) as? [String: Any] ?? [:]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        object["fleet"] = try JSONSerialization.jsonObject(with: try encoder.encode(nodes))
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
