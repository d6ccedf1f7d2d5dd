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
