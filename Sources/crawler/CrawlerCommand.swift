import ArgumentParser
import Crawler

/// The `crawler` command line: a thin layer over the libraries.
@main
struct CrawlerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawler",
        abstract: "Crawl a seed list into a link graph, and measure fetching against parsing.",
        version: CrawlerInfo.versionLine,
        subcommands: [
            DemoCommand.self, CrawlCommand.self, ExportCommand.self, StatsCommand.self, ServeCommand.self, BenchCommand.self,
            WorkerCommand.self, ParseBenchCommand.self,
        ]
    )
}
