import ArgumentParser
import Crawler
import CrawlerCore
import CrawlerGraph
import Foundation
import SyntheticWeb

/// `crawler demo`: the main job on the embedded synthetic web, end to end (what `make demo` runs).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve the synthetic web, crawl it, check the result against its answer key, and export the graph.",
        discussion: """
            Starts the synthetic web in this process (loopback only, a free port), crawls it with the chosen models into OUT/crawl.sqlite, compares what was stored with the web's answer key, and writes the answer key and the exports (GraphML, GEXF, DOT, CSV, JSON and edge list at page level; GraphML and DOT at host level) under OUT.

            Examples:
              crawler demo
              crawler demo --pages 20000 --latency 20 --fetch threads --parse inline
              crawler demo --faults --timeout 5
            """
    )

    @Option(help: "Where to write the crawl and its exports.")
    var out = "output/demo"

    @Option(help: "Pages of the synthetic web.")
    var pages = SyntheticWebConfig().pages

    @Option(help: "Hosts of the synthetic web.")
    var hosts = SyntheticWebConfig().hosts

    @Option(help: "Seed of the synthetic web.")
    var seed: UInt64 = SyntheticWebConfig().seed

    @Option(help: "Milliseconds every response of the synthetic web is delayed.")
    var latency = 0

    @Flag(help: "Add the fault host (redirects, errors, a stalled page that costs --timeout seconds, huge and broken pages).")
    var faults = false

    @Flag(inversion: .prefixedNo, help: "Add the sitemap host: pages no page links to, found through its robots.txt's sitemap index and its gzip and plain child sitemaps.")
    var sitemapHost = true

    @OptionGroup(title: "Fetching") var fetch: FetchArguments
    @OptionGroup(title: "Parsing") var parse: ParseArguments
    @OptionGroup(title: "Output") var output: OutputArguments

    /// The web these flags describe.
    private var config: SyntheticWebConfig {
        var config = SyntheticWebConfig(seed: seed, hosts: hosts, pages: pages, port: 0, latencyMs: latency, faults: faults, sitemapHost: sitemapHost)
        config.slowResponseSeconds = fetch.timeout + 5
        return config
    }

    func validate() throws {
        do {
            try config.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let config = config
        let server = try await SyntheticWebServer.start(config)
        do {
            try await demo(server: server)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    private func demo(server: SyntheticWebServer) async throws {
        let fetchOptions = try fetch.options
        let key = server.answerKey(frontier: FrontierOptions(), fetch: fetchOptions)
        let keyDirectory = URL(fileURLWithPath: out).appendingPathComponent("answer-key")
        try key.write(to: keyDirectory)
        let extras = [faults ? "the fault host" : nil, sitemapHost ? "the sitemap host" : nil].compactMap { $0 }
        print("Synthetic web: \(Formatting.count(pages, "page")) on \(Formatting.count(hosts, "host"))\(extras.isEmpty ? "" : " plus " + extras.joined(separator: " and ")), "
            + "127.0.0.1 to 127.0.0.\(server.model.layout.servedHostCount) port \(server.port); answer key in \(keyDirectory.path)")
        print("Crawling with --fetch \(fetch.model) (\(fetch.concurrency) in flight) and --parse \(parse.model) (\(parse.workers) workers)…")

        let database = URL(fileURLWithPath: out).appendingPathComponent("crawl.sqlite").path
        let settings = CrawlSettings(seeds: server.seedURLs, fetch: DescriptorBudget.fitting(fetchOptions, parse: parse.options), parse: parse.options)
        let (result, stopStatus) = try await Console.runInterruptibly(CrawlSession(databasePath: database, resume: false, fresh: true, settings: settings), output: output.output)
        print("")
        print(result.summary.report())
        print("")

        let store = try GraphStore(path: database, createIfMissing: false)
        let check = AnswerKeyCheck(key: key, pages: try store.storedPages(), links: try store.storedLinks())
        print(check.report)
        print("")

        var written: [String] = [database]
        for format in ExportFormat.allCases {
            let path = ExportCommand.defaultOutput(database: database, format: format, level: .page)
            written += try store.export(format: format, level: .page, to: path).files
        }
        for format in [ExportFormat.graphml, .dot] {
            let path = ExportCommand.defaultOutput(database: database, format: format, level: .host)
            written += try store.export(format: format, level: .host, to: path).files
        }
        print("Wrote: " + written.joined(separator: ", "))
        if result.interrupted { throw ExitCode(stopStatus) }
    }
}
