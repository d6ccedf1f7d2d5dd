import ArgumentParser
import CrawlerBench
import CrawlerCore
import Foundation

/// `crawler bench-parse`: the parse engines against libxml2's own speed from plain C (the ceiling).
struct ParseBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-parse",
        abstract: "Measure the parse engines against libxml2's C ceiling over a corpus held in memory.",
        discussion: """
            The ceiling is a plain C loop that runs libxml2's HTML parser (SAX pull, push, and a tree walk) over the same pages and only collects hrefs; the engines add link resolution and normalization, and the processes engine the hand-over to its workers (bodies through shared memory, frames through pipes; `processes-pipes` sends the bodies down the pipes too). Each figure is the best of --passes timed passes. `crawler bench` runs the engines alone, with repeats and charts.

            Examples:
              crawler bench-parse
              crawler bench-parse --corpus generated --workers 1,2 --passes 10
            """
    )

    @Option(help: "Pages in the corpus.")
    var pages = 500

    @Option(help: "Average page size in bytes.")
    var averageBytes = 30_000

    @Option(name: .customLong("corpus"), help: "The corpus: 'web' (the synthetic web's content pages) or 'generated' (ParseCorpus.generated).")
    var corpusKind = "web"

    @Option(help: "Worker counts to measure, comma-separated.")
    var workers = "1,2,4"

    @Option(help: "Timed passes per figure (the best is kept).")
    var passes = 3

    @Flag(help: "Print JSON instead of a Markdown table.")
    var json = false

    func validate() throws {
        try FlagRange.check(pages, "--pages", in: 1...1_000_000)
        try FlagRange.check(averageBytes, "--average-bytes", in: 1...(64 << 20), unit: "bytes")
        try FlagRange.check(passes, "--passes", in: 1...100)
    }

    func run() async throws {
        let corpus = corpusKind == "generated"
            ? ParseCorpus.generated(pageCount: pages, averageBytes: averageBytes)
            : ParseCorpus.syntheticWeb(pageCount: pages, meanPageKB: Double(averageBytes) / 1024)
        let counts = workers.split(separator: ",").compactMap { Int($0) }
        let results = try await ParseBenchmark.runAll(corpus: corpus, workerCounts: counts, passes: passes)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            print("corpus: \(corpus.jobs.count) pages, \(String(format: "%.1f", Double(corpus.byteCount) / 1e6)) MB; \(ProcessInfo.processInfo.activeProcessorCount) cores")
            print(ParseBenchmark.markdownTable(results))
        }
    }
}
