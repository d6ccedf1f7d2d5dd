import ArgumentParser
import Crawler
import CrawlerCore
import CrawlerGraph
import CrawlerPostgres
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension ExportLevel: ExpressibleByArgument {}

/// `crawler export`: the link graph in the formats other tools read.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the link graph to GraphML, GEXF, DOT, CSV, JSON or an edge list.",
        discussion: """
            graphml and gexf open in Gephi, NetworkX and igraph; dot in Graphviz; json is NetworkX's node-link form (networkx.node_link_graph); csv writes a nodes file and an edges file; edgelist writes one source<TAB>target line per distinct link. Nodes carry url, host, status, depth, title, content_type, error_kind, error_message, canonical, noindex and PageRank, labelled with their title where known; edges carry a weight and nofollow, and at page level kind (a, area, link, iframe, frame, img, script, video, audio, source, embed, refresh, redirect), every kind the page links there by, rel and anchor text. PageRank is computed over hyperlinks (a, area, frames, <link rel=next> and the like), canonical links and redirects: not over stylesheets, scripts and images. --level host merges pages into hosts with weighted edges. Exports stream from the database and can run while a crawl is writing it.

            Examples:
              crawler export --db output/crawl.sqlite --format graphml
              crawler export --format csv --kinds hyperlink,redirect --fetched-only
              crawler export --format dot --level host --output hosts.dot
              dot -Tsvg hosts.dot -o hosts.svg
              crawler export --db postgres://crawler@db.example:5432/crawl --format gexf

            From PostgreSQL, the crawl is read from one consistent snapshot, streamed a batch at a time; the default output is output/DBNAME.FORMAT.
            """
    )

    @Option(help: "The crawl database: a SQLite file, or postgres://USER@HOST:PORT/DBNAME.")
    var db = "output/crawl.sqlite"

    @Option(help: "graphml, gexf, dot, csv, json or edgelist.")
    var format: ExportFormat

    @Option(help: "page (a node per URL) or host (a node per host).")
    var level: ExportLevel = .page

    @Flag(name: .customLong("fetched-only"), help: "Only pages that got a response: leave out the link targets never fetched (and PageRank is computed without them).")
    var fetchedOnly = false

    @Option(name: .customLong("kinds"), help: ArgumentHelp(
        "Only links of these kinds or roles, comma-separated (default: every link).",
        discussion: "Kinds: \(LinkKind.allCases.map(\.rawValue).joined(separator: ", ")). Roles: \(LinkRole.allCases.map(\.rawValue).joined(separator: ", ")). Targets reached only by other links are left out."))
    var kinds: String?

    @Flag(name: .customLong("internal-only"), help: "Only URLs inside the crawl's --scope (the seeds' hosts, or their domains): leave out external targets and their edges.")
    var internalOnly = false

    @Option(help: "The file to write (default: next to the database, named for the level and format).")
    var output: String?

    func validate() throws {
        do {
            _ = try selection
        } catch let error as LinkSelectionError {
            throw ValidationError(error.description)
        }
    }

    /// `--kinds` as parsed.
    private var selection: LinkSelection {
        get throws { try kinds.map(LinkSelection.init(parsing:)) ?? .all }
    }

    func run() async throws {
        let selection = try selection
        let summary: ExportSummary
        if PostgresLocation.isPostgres(db) {
            let location = try PostgresLocation(db)
            let path = output ?? Self.defaultOutput(database: "output/\(location.database).postgres", format: format, level: level)
            summary = try await PostgresSnapshot.with(location) { copy, _ in
                var keeps: ((String) -> Bool)?
                if internalOnly { keeps = try Self.scope(of: copy, database: db) }
                return try copy.export(format: format, level: level, to: path, fetchedOnly: fetchedOnly, selection: selection, keeps: keeps)
            }
        } else {
            let store = try GraphStore(path: db, createIfMissing: false, options: .readOnly)
            let path = output ?? Self.defaultOutput(database: db, format: format, level: level)
            var keeps: ((String) -> Bool)?
            if internalOnly { keeps = try Self.scope(of: store, database: db) }
            summary = try store.export(format: format, level: level, to: path, fetchedOnly: fetchedOnly, selection: selection, keeps: keeps)
        }
        print("Wrote \(Formatting.count(summary.nodes, "node")) and \(Formatting.count(summary.edges, "edge")) to \(summary.files.joined(separator: " and "))")
    }

    /// Whether a URL is inside the crawl's scope, from the seeds and `--scope` of its first run
    /// (a resumed crawl keeps both).
    static func scope(of store: GraphStore, database: String) throws -> (String) -> Bool {
        guard let first = try store.runs().first,
            let settings = try? JSONDecoder().decode(CrawlSettings.self, from: Data(first.settingsJSON.utf8))
        else {
            throw ValidationError("--internal-only needs the crawl's seeds and scope, and \(database) has no crawl run stored; export without it")
        }
        let policy = try FrontierPolicy(options: settings.frontier, seeds: settings.seeds)
        return { url in NormalizedURL(url).map(policy.isInScope) ?? false }
    }

    /// `output/crawl.sqlite` → `output/crawl.graphml` (page level) or `output/crawl.hosts.graphml`.
    static func defaultOutput(database: String, format: ExportFormat, level: ExportLevel) -> String {
        let base = (database as NSString).deletingPathExtension
        return base + (level == .host ? ".hosts" : "") + "." + format.fileExtension
    }
}
