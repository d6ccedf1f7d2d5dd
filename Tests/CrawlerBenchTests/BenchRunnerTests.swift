import CrawlerCore
import Foundation
import SyntheticWeb
import Testing
@testable import CrawlerBench

/// A whole bench, in this process, kept tiny: a few pages, one run, one worker, no latency.
/// It checks the rows' shape, never their speed (the CI machine is a loaded 2-core box).
@Test func aTinyBenchMeasuresBothCorporaInTheParseAndCrawlPhases() async throws {
    var plan = BenchPlan.quick(cores: 2)
    plan.phases = [.parse, .crawl]
    plan.repeats = 1
    plan.parseModels = [.inline, .threads]
    plan.parseWorkers = [1]
    plan.parsePages = 6
    plan.crawlPairings = [try #require(CrawlPairing("async:4+threads:1"))]
    plan.crawlPages = 8
    plan.crawlLatencyMs = 0
    plan.hosts = 2
    #expect(plan.corpora == [.mixed, .docs])
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-runner-\(UUID().uuidString)")
    let runner = BenchRunner(plan: plan, source: .embedded, executor: .inProcess(workerExecutable: nil), scratchDirectory: scratch)
    let report = try await runner.run()

    #expect(report.schemaVersion == BenchSchema.version)
    #expect(report.parse.map(\.corpus) == ["mixed", "mixed", "docs", "docs"])
    #expect(report.parse.map(\.model) == [.inline, .threads, .inline, .threads])
    let mixed = try #require(report.parse.first { $0.corpus == "mixed" })
    let docs = try #require(report.parse.first { $0.corpus == "docs" })
    #expect(mixed.pages == 6 && docs.pages == 6)
    // The docs corpus is the other web: pages of 100 KiB against the plan's 24 (a sidebar of
    // 300 links needs more than 6 pages, so links are not compared here).
    #expect(docs.bytes > 2 * mixed.bytes)
    #expect(try #require(docs.runs.first).links > 0)
    for row in report.parse where row.model == .inline { #expect(row.speedup.median == 1) }

    #expect(report.crawl.map(\.corpus) == ["mixed", "docs"])
    for row in report.crawl {
        #expect(row.pairing.description == "async:4+threads:1")
        #expect(row.pages.median >= 1 && row.pages.median <= 8)
    }
    #expect(report.source.contains("mixed") && report.source.contains("docs"))
    #expect(!FileManager.default.fileExists(atPath: scratch.path))
}
