import ArgumentParser
import CrawlerBench
import CrawlerCore
import Foundation
import SyntheticWeb

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
              crawler bench-parse --corpus docs --pages 1000
            """
    )

    @Option(help: "Pages in each corpus.")
    var pages = 500

    @Option(help: "Average page size in bytes (default: 30000 for mixed and generated, 102400 for docs).")
    var averageBytes: Int?

    @Option(name: .customLong("corpus"), help: "The corpora, comma-separated: 'mixed' (the synthetic web's articles; 'web' is the same), 'docs' (its documentation pages: about 100 KiB and 300+ links each) and 'generated' (ParseCorpus.generated). The names are `crawler bench --corpora`'s. Default: mixed,docs.", transform: CommaList.of(Corpus.self))
    var corpora: [Corpus] = [.site(.mixed), .site(.docs)]

    @Option(help: "Worker counts to measure, comma-separated (default 1,2,4).", transform: CommaList.of(Int.self))
    var workers: [Int] = [1, 2, 4]

    @Option(help: "Timed passes per figure (the best is kept).")
    var passes = 3

    @Flag(help: "Print JSON instead of a Markdown table.")
    var json = false

    func validate() throws {
        try FlagRange.check(pages, "--pages", in: 1...1_000_000)
        if let averageBytes { try FlagRange.check(averageBytes, "--average-bytes", in: 1...(64 << 20), unit: "bytes") }
        try FlagRange.check(passes, "--passes", in: 1...100)
        for count in workers { try FlagRange.check(count, "--workers", in: 1...1024) }
    }

    /// A corpus this command measures: one of the synthetic web's profiles (the names
    /// `crawler bench --corpora` takes) or `ParseCorpus.generated`.
    enum Corpus: ExpressibleByArgument, Hashable {
        case site(SiteProfile)
        case generated

        static var allValueStrings: [String] { SiteProfile.allCases.map(\.rawValue) + ["generated"] }

        /// The name a person gives, and the report prints.
        var name: String {
            switch self {
            case .site(let profile): profile.rawValue
            case .generated: "generated"
            }
        }

        /// The corpus `name` stands for ('web' is kept as another name for 'mixed').
        init?(argument name: String) {
            if name == "generated" {
                self = .generated
            } else if let profile = SiteProfile(rawValue: name == "web" ? SiteProfile.mixed.rawValue : name) {
                self = .site(profile)
            } else {
                return nil
            }
        }
    }

    private func corpus(_ kind: Corpus) -> ParseCorpus {
        switch kind {
        case .generated: ParseCorpus.generated(pageCount: pages, averageBytes: averageBytes ?? 30_000)
        case .site(.docs): ParseCorpus.syntheticWeb(pageCount: pages, meanPageKB: averageBytes.map { Double($0) / 1024 } ?? SiteProfile.docs.defaultMeanPageKB, profile: .docs)
        case .site(.mixed): ParseCorpus.syntheticWeb(pageCount: pages, meanPageKB: Double(averageBytes ?? 30_000) / 1024)
        }
    }

    func run() async throws {
        var all: [String: [ParseBenchmarkResult]] = [:]
        // 'web' and 'mixed' name one corpus: measure it once.
        let kinds = corpora.reduce(into: [Corpus]()) { if !$0.contains($1) { $0.append($1) } }
        for kind in kinds {
            let corpus = corpus(kind)
            let results = try await ParseBenchmark.runAll(corpus: corpus, workerCounts: workers, passes: passes)
            all[kind.name] = results
            if !json {
                let links = results.first { $0.engine == "inline" }?.links ?? 0
                print("corpus \(kind.name): \(corpus.jobs.count) pages, \(String(format: "%.1f", Double(corpus.byteCount) / 1e6)) MB, \(links / max(1, corpus.jobs.count)) links a page; \(ProcessInfo.processInfo.activeProcessorCount) cores")
                print(ParseBenchmark.markdownTable(results))
                print("")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            // One corpus: its list, as before; several: keyed by corpus.
            let data = kinds.count == 1 ? try encoder.encode(all[kinds[0].name] ?? []) : try encoder.encode(all)
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
