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

@Test func crawlBottleneckIsTheBusiestPhase() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    // 10 s of wall: fetch 64 × 10 × 0.2 busy, parse 2 × 10 × 0.9 busy, store 1 s.
    let parseBound = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 128, parse: 18, store: 1)], ipcMicrosecondsPerPage: nil, cores: 2))
    #expect(parseBound.bottleneck == "parse")
    let fetchBound = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 600, parse: 2, store: 1)], ipcMicrosecondsPerPage: nil, cores: 2))
    #expect(fetchBound.bottleneck == "fetch")
    let storeBound = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 60, parse: 2, store: 9)], ipcMicrosecondsPerPage: nil, cores: 2))
    #expect(storeBound.bottleneck == "store")
}

@Test func crawlIPCIsCountedOnlyForProcesses() throws {
    let processes = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .processes, parseWorkers: 2)
    let row = try #require(RowBuilder.crawlRow(pairing: processes, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 100, parse: 10, store: 1)], ipcMicrosecondsPerPage: 50, cores: 2))
    #expect(abs(row.ipcSeconds - 200 * 50e-6) < 1e-9)
    #expect(abs(row.parseSeconds + row.ipcSeconds - 10) < 1e-9)
    let threads = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    #expect(try #require(RowBuilder.crawlRow(pairing: threads, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 100, parse: 10, store: 1)], ipcMicrosecondsPerPage: 50, cores: 2)).ipcSeconds == 0)
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
