import CrawlerCore
import Testing
@testable import CrawlerBench

@Test func parseSpeedupIsAgainstInlineAndEfficiencyPerWorker() throws {
    let rows = Fixtures.parseRows(threadsRate: 1900, processesRate: 1800)
    let threads = try #require(rows.first { $0.model == .threads })
    #expect(abs(threads.speedup.median - 1.9) < 1e-9)
    #expect(abs(threads.efficiency - 0.95) < 1e-9)
    let inline = try #require(rows.first { $0.model == .inline })
    #expect(inline.speedup.median == 1)
}

@Test func ipcCostIsTheMedianRoundTripOfProcesses() throws {
    let rows = Fixtures.parseRows(threadsRate: 1900, processesRate: 1800, ipcMicroseconds: [14, 9, 12])
    let processes = try #require(rows.first { $0.model == .processes })
    #expect(processes.ipcMicrosecondsPerPage == 12)
    #expect(rows.first { $0.model == .threads }?.ipcMicrosecondsPerPage == nil)
}

@Test func crawlBottleneckIsTheSaturatedStage() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    func row(slots: Double, parse: Double, store: Double, other: Double = 0.1) throws -> CrawlRow {
        try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, slotSeconds: slots, parseCPU: parse, storeWall: store, otherCPU: other)]))
    }
    // 10 s of wall on 2 cores: 64 slots, 2 parsers, one store writer.
    let parseBound = try row(slots: 128, parse: 18, store: 1)
    #expect(parseBound.bottleneck == "parsing")
    #expect(abs(parseBound.busy["parsing"]! - 0.9) < 1e-9)
    #expect(try row(slots: 600, parse: 2, store: 1).bottleneck == "transfers")
    #expect(try row(slots: 60, parse: 2, store: 9).bottleneck == "the store")
    // Parsing at 60% but the cores full with the rest: the CPU bounds it.
    #expect(try row(slots: 60, parse: 12, store: 1, other: 6).bottleneck == "the CPU")
    #expect(try row(slots: 60, parse: 2, store: 1).bottleneck == "none")
}

@Test func crawlRowsSplitCPUByStageAndWaitingByCause() throws {
    let processes = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .processes, parseWorkers: 2)
    let row = try #require(RowBuilder.crawlRow(pairing: processes, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, slotSeconds: 100, parseCPU: 10, storeWall: 1, workersCPU: 8)]))
    // 200 pages: seconds per 1,000 pages are 5 × the seconds.
    #expect(row.stageCPU == CrawlStageCPU(fetch: 1, parse: 50, parseWorkers: 40, store: 2.5, other: 0.5))
    #expect(abs(row.stageCPU.total - 54) < 1e-9)
    #expect(abs(row.waiting.network - 450) < 1e-9 && abs(row.waiting.hostTurn - 10) < 1e-9 && abs(row.waiting.parser - 20) < 1e-9)
    // A run without an accounting (an older report) gives no bound rather than a made-up one.
    var old = Fixtures.crawlMeasurement(wall: 10, slotSeconds: 100, parseCPU: 10, storeWall: 1)
    old.accounting = nil
    #expect(try #require(RowBuilder.crawlRow(pairing: processes, corpus: "mixed", runs: [old])).bottleneck == "none")
}

/// The embedded web serves the crawl on the same cores: its CPU is given apart, never as the
/// crawler's, and counted in how busy the CPU was, so a crawl short of cores is said to be.
@Test func theEmbeddedWebsCPUCountsForTheCoresNotForTheCrawler() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    // 10 s on 2 cores; the crawler used 12.8 s of CPU (64%): no stage saturated.
    let crawler = Fixtures.crawlMeasurement(wall: 10, slotSeconds: 60, parseCPU: 12, storeWall: 1, otherCPU: 0.1)
    let alone = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [crawler]))
    #expect(alone.bottleneck == "none")
    #expect(alone.stageCPU.web == nil)
    // The web used 4 s meanwhile: the cores were 84% busy, so the CPU bounded the crawl.
    var served = crawler
    served.webCPUSeconds = 4
    let row = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [served]))
    #expect(row.bottleneck == "the CPU")
    #expect(abs(row.busy["the CPU"]! - 0.84) < 1e-9)
    #expect(row.stageCPU.web == 20, "4 s for 200 pages: 20 s per 1,000 pages")
    #expect(row.stageCPU.total == alone.stageCPU.total, "the crawler's own total leaves the web out")
    #expect(row.busy["parsing"] == alone.busy["parsing"])
    #expect(Conclusions.boundClause(row) == "bound by the CPU (busy 84%, the embedded web's use included)")
    // A lighter web leaves the cores short of saturation, and the sentence says what was counted.
    served.webCPUSeconds = 1
    let light = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [served]))
    #expect(light.bottleneck == "none")
    #expect(Conclusions.boundClause(light) == "bound by no stage (the busiest, the CPU, the embedded web's use included, was busy 69%): it waited on politeness, for URLs, or for cores used outside the bench")
    let report = BenchReport(
        schemaVersion: BenchSchema.version, startedAt: "2026-01-01T00:00:00Z", durationSeconds: 60, machine: .current(), loadAverageAtStart: 0.2, loadAverageAtEnd: 1.5,
        plan: .quick(cores: 2), source: "test figures", isolation: "none", fetch: [], parse: [], crawl: [light], conclusions: [])
    let markdown = MarkdownReport.render(report)
    #expect(markdown.contains("| CPU total | CPU web |"))
    #expect(markdown.contains("| 64.00 | 5.00 |"), "the web's CPU per 1,000 pages has its own column: \(markdown)")
    let chart = try #require(ReportCharts.all(report).first { $0.0 == "crawl-cpu-split.svg" })
    #expect(chart.2.contains("embedded web (server)"))
}

@Test func pairingsParseFromTheirFlagSpelling() {
    #expect(CrawlPairing("async:64+threads:2") == CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2))
    #expect(CrawlPairing("async:64+threads:2")?.description == "async:64+threads:2")
    #expect(CrawlPairing("async:0+threads:2") == nil)
    #expect(CrawlPairing("fast:64+threads:2") == nil)
    #expect(CrawlPairing("async:64") == nil)
}

@Test func parseRowsCarryTheirCorpusAndSpeedupsAreAgainstTheirOwnInline() throws {
    // Inline parses documentation pages at a third of the mixed web's rate: each corpus's
    // threads at 2 workers are 1.9x their own inline, not the other's.
    let mixed = Fixtures.parseRows(threadsRate: 1900, processesRate: 1800, inlineRate: 1000, corpus: "mixed")
    let docs = Fixtures.parseRows(threadsRate: 570, processesRate: 450, inlineRate: 300, corpus: "docs")
    #expect(mixed.allSatisfy { $0.corpus == "mixed" })
    #expect(docs.allSatisfy { $0.corpus == "docs" })
    let docsThreads = try #require(docs.first { $0.model == .threads })
    #expect(abs(docsThreads.speedup.median - 1.9) < 1e-9)
    let docsProcesses = try #require(docs.first { $0.model == .processes })
    #expect(abs(docsProcesses.speedup.median - 1.5) < 1e-9)
    #expect(try #require(docs.first { $0.model == .inline }).speedup.median == 1)
}
