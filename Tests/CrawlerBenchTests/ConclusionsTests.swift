import CrawlerCore
import Testing
@testable import CrawlerBench

@Test func fetchAdviceFollowsTheFasterModel() {
    let asyncWins = Conclusions.derive(fetch: Fixtures.fetchRows(asyncRate: 1840, threadsRate: 1400), parse: [], crawl: [], cores: 2)
    #expect(asyncWins.contains { $0.contains("async reached 1,840 pages/s at 256 in flight on 3 threads") })
    #expect(asyncWins.contains { $0.contains("1.31x threads at the same concurrency, using 40% less CPU per page") })
    #expect(asyncWins.last == "On this machine: fetch with async at 256 in flight.")

    let threadsWin = Conclusions.derive(fetch: Fixtures.fetchRows(asyncRate: 1000, threadsRate: 1500, asyncCPU: 1.2, threadsCPU: 1.0), parse: [], crawl: [], cores: 2)
    #expect(threadsWin.contains { $0.contains("threads reached 1,500 pages/s") })
    #expect(threadsWin.last == "On this machine: fetch with threads at 256 in flight.")
    #expect(asyncWins != threadsWin)
}

@Test func levelFetchModelsAreDecidedByCPU() {
    // 2% apart on speed: the cheaper one in CPU is advised, whichever was faster.
    let sentences = Conclusions.derive(fetch: Fixtures.fetchRows(asyncRate: 1000, threadsRate: 1020, asyncCPU: 0.5, threadsCPU: 1.0), parse: [], crawl: [], cores: 2)
    #expect(sentences.contains { $0.contains("level with async") })
    #expect(sentences.last == "On this machine: fetch with async at 256 in flight.")
}

@Test func parseAdviceFollowsTheFigures() {
    let threadsMatch = Conclusions.derive(fetch: [], parse: Fixtures.parseRows(threadsRate: 1950, processesRate: 1900), crawl: [], cores: 2)
    #expect(threadsMatch.contains { $0.contains("processes parsed 1.90x inline and threads 1.95x: with no GIL, threads match processes and skip the 12 µs/page a round trip to a worker costs") })
    #expect(threadsMatch.last == "On this machine: parse with threads at 2 workers.")

    let processesWin = Conclusions.derive(fetch: [], parse: Fixtures.parseRows(threadsRate: 1300, processesRate: 1900), crawl: [], cores: 2)
    #expect(processesWin.contains { $0.contains("processes beat threads by 46%") })
    #expect(processesWin.last == "On this machine: parse with processes at 2 workers.")

    let noGain = Conclusions.derive(fetch: [], parse: Fixtures.parseRows(threadsRate: 1010, processesRate: 990), crawl: [], cores: 1)
    #expect(noGain.last?.contains("parse with inline") == true)
}

@Test func crawlConclusionNamesTheBottleneck() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    let parseBound = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 128, parse: 18, store: 1)], ipcMicrosecondsPerPage: nil, cores: 2))
    let sentences = Conclusions.derive(fetch: [], parse: [], crawl: [parseBound], cores: 2)
    #expect(sentences == ["End to end, async:64+threads:2 crawled fastest at 20.0 pages/s; its bottleneck was parse (occupied 90% of the time)."])
}

@Test func noFiguresNoConclusion() {
    #expect(Conclusions.derive(fetch: [], parse: [], crawl: [], cores: 2).isEmpty)
}

@Test func aBusyMachineIsSaidFirst() {
    let rows = Fixtures.fetchRows(asyncRate: 1840, threadsRate: 1400)
    let busy = Conclusions.derive(fetch: rows, parse: [], crawl: [], cores: 2, loadAverage: 11.9)
    #expect(busy.first?.hasPrefix("Caution: the machine was already busy when the bench started (load 11.9 on 2 cores)") == true)
    let idle = Conclusions.derive(fetch: rows, parse: [], crawl: [], cores: 2, loadAverage: 0.3)
    #expect(idle.first?.hasPrefix("Caution") == false)
    #expect(Array(busy.dropFirst()) == idle)
}

@Test func aQueuedBottleneckIsSaidAsPressure() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    let row = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, fetch: 128, parse: 50, store: 1)], ipcMicrosecondsPerPage: nil, cores: 2))
    #expect(Conclusions.derive(fetch: [], parse: [], crawl: [row], cores: 2).first?.contains("its bottleneck was parse (pages queued for it: pressure 2.50)") == true)
}

/// A docs crawl row at `pagesPerSecond` (200 pages).
private func docsCrawlRow(_ pairing: String, pagesPerSecond: Double) throws -> CrawlRow {
    let pairing = try #require(CrawlPairing(pairing))
    let wall = 200 / pagesPerSecond
    return try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "docs", runs: [Fixtures.crawlMeasurement(wall: wall, fetch: wall * 10, parse: wall, store: 0.1)], ipcMicrosecondsPerPage: 30, cores: 2))
}

@Test func documentationPagesCompareProcessesWithThreadsAloneAndEndToEnd() throws {
    let docsParse = Fixtures.parseRows(threadsRate: 600, processesRate: 450, inlineRate: 300, corpus: "docs")
    let docsCrawl = [try docsCrawlRow("async:64+threads:2", pagesPerSecond: 100), try docsCrawlRow("async:64+processes:2", pagesPerSecond: 97)]
    let sentences = Conclusions.derive(fetch: [], parse: docsParse, crawl: docsCrawl, cores: 2)
    #expect(sentences.contains("On documentation pages, parsing alone at 2 workers, processes ran at 0.75x threads (slower): processes 1.50x inline, threads 2.00x."))
    #expect(sentences.contains("On documentation pages, end to end, async:64+processes:2 ran at 0.97x async:64+threads:2 (level; 97.0 against 100 pages/s)."))

    // Other figures, other sentences.
    let flipped = Conclusions.derive(
        fetch: [], parse: Fixtures.parseRows(threadsRate: 400, processesRate: 560, inlineRate: 300, corpus: "docs"),
        crawl: [try docsCrawlRow("async:64+threads:2", pagesPerSecond: 80), try docsCrawlRow("async:64+processes:2", pagesPerSecond: 100)], cores: 2)
    #expect(flipped.contains("On documentation pages, parsing alone at 2 workers, processes ran at 1.40x threads (faster): processes 1.87x inline, threads 1.33x."))
    #expect(flipped.contains("On documentation pages, end to end, async:64+processes:2 ran at 1.25x async:64+threads:2 (faster; 100 against 80.0 pages/s)."))
}

@Test func docsRowsLeaveTheMixedWebsSentencesAndAdviceAlone() throws {
    let mixed = Fixtures.parseRows(threadsRate: 1950, processesRate: 1900)
    // On docs processes win by far: the advice still follows the mixed web.
    let docs = Fixtures.parseRows(threadsRate: 300, processesRate: 900, inlineRate: 300, corpus: "docs")
    let alone = Conclusions.derive(fetch: [], parse: mixed, crawl: [], cores: 2)
    let both = Conclusions.derive(fetch: [], parse: mixed + docs, crawl: [], cores: 2)
    #expect(both.filter { !$0.hasPrefix("On documentation pages") } == alone)
    #expect(both.last == "On this machine: parse with threads at 2 workers.")
    #expect(both.contains { $0.hasPrefix("On documentation pages, parsing alone at 2 workers, processes ran at 3.00x threads (faster)") })
}

@Test func aDocsPairingWithoutItsThreadsTwinSaysNothingEndToEnd() throws {
    let sentences = Conclusions.derive(fetch: [], parse: [], crawl: [try docsCrawlRow("async:64+processes:2", pagesPerSecond: 97), try docsCrawlRow("threads:16+threads:2", pagesPerSecond: 90)], cores: 2)
    #expect(!sentences.contains { $0.hasPrefix("On documentation pages") })
}
