import CrawlerCore
import Testing
@testable import CrawlerBench

@Test func fetchAdviceFollowsTheFasterModel() {
    let asyncWins = Conclusions.derive(fetch: Fixtures.fetchRows(asyncRate: 1840, threadsRate: 1400), parse: [], crawl: [], cores: 2)
    #expect(asyncWins.contains { $0.contains("async reached 1,840 pages/s at 256 in flight on 3 threads") })
    #expect(asyncWins.contains { $0.contains("1.31x threads at the same concurrency, using 40% less CPU per page") })
    #expect(asyncWins.last == "On this machine: fetch with async at 256 in flight (at 50 ms latency).")

    let threadsWin = Conclusions.derive(fetch: Fixtures.fetchRows(asyncRate: 1000, threadsRate: 1500, asyncCPU: 1.2, threadsCPU: 1.0), parse: [], crawl: [], cores: 2)
    #expect(threadsWin.contains { $0.contains("threads reached 1,500 pages/s") })
    #expect(threadsWin.last == "On this machine: fetch with threads at 256 in flight (at 50 ms latency).")
    #expect(asyncWins != threadsWin)
}

@Test func levelFetchModelsAreDecidedByCPU() {
    // 2% apart on speed: the cheaper one in CPU is advised, whichever was faster.
    let sentences = Conclusions.derive(fetch: Fixtures.fetchRows(asyncRate: 1000, threadsRate: 1020, asyncCPU: 0.5, threadsCPU: 1.0), parse: [], crawl: [], cores: 2)
    #expect(sentences.contains { $0.contains("level with async") })
    #expect(sentences.last == "On this machine: fetch with async at 256 in flight (at 50 ms latency).")
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

@Test func moreWorkersThanNeededAreNotAdvised() {
    // 4 threads 1% faster than 2 on 2 cores: level, so 2 is advised; 5% more would not be level.
    func rows(fourThreads: Double) -> [ParseRow] {
        RowBuilder.parseRows([
            (.inline, 1, [Fixtures.parseMeasurement(rate: 1000, cpuPerPage: 0.001)]),
            (.threads, 2, [Fixtures.parseMeasurement(rate: 1900, cpuPerPage: 0.001)]),
            (.threads, 4, [Fixtures.parseMeasurement(rate: fourThreads, cpuPerPage: 0.001)]),
        ], corpus: "mixed")
    }
    let level = Conclusions.derive(fetch: [], parse: rows(fourThreads: 1920), crawl: [], cores: 2)
    #expect(level.contains { $0.contains("The fastest parse was threads at 4 workers") && $0.contains("2 workers came level with it (1,900 pages/s)") })
    #expect(level.last == "On this machine: parse with threads at 2 workers.")
    let faster = Conclusions.derive(fetch: [], parse: rows(fourThreads: 2100), crawl: [], cores: 2)
    #expect(faster.last == "On this machine: parse with threads at 4 workers.")
}

@Test func crawlConclusionNamesTheBottleneck() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    let parseBound = try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, slotSeconds: 128, parseCPU: 18, storeWall: 1)]))
    let sentences = Conclusions.derive(fetch: [], parse: [], crawl: [parseBound], cores: 2)
    #expect(sentences == ["End to end, async:64+threads:2 crawled fastest at 20.0 pages/s, bound by parsing (busy 90%), using 94.00 CPU s per 1,000 pages."])
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

@Test func theFastestAndTheSlowestAreNamedWithTheirBounds() throws {
    let parallel = try #require(CrawlPairing("async:64+threads:2"))
    let sequential = try #require(CrawlPairing("sequential:1+inline:1"))
    func row(_ pairing: CrawlPairing, wall: Double, slots: Double, parse: Double) throws -> CrawlRow {
        try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: wall, slotSeconds: slots, parseCPU: parse, storeWall: 1)]))
    }
    let fast = try row(parallel, wall: 10, slots: 128, parse: 18)
    let idle = try row(sequential, wall: 40, slots: 60, parse: 2)
    let sentence = try #require(Conclusions.derive(fetch: [], parse: [], crawl: [idle, fast], cores: 2).first)
    #expect(sentence.hasPrefix("End to end, async:64+threads:2 crawled fastest at 20.0 pages/s, bound by parsing (busy 90%)"))
    #expect(sentence.contains("bound of the 2 crawls: none in 1, parsing in 1"))
    #expect(sentence.contains("the slowest, sequential:1+inline:1, ran at 5.0 pages/s, bound by no stage of the crawler (the busiest, the CPU, was busy 4%"))
    // Swap the speeds and the sentence follows the figures.
    let swapped = Conclusions.derive(fetch: [], parse: [], crawl: [try row(parallel, wall: 40, slots: 128, parse: 18), try row(sequential, wall: 10, slots: 60, parse: 2)], cores: 2)
    #expect(swapped.first?.hasPrefix("End to end, sequential:1+inline:1 crawled fastest at 20.0 pages/s") == true)
}

/// A docs crawl row at `pagesPerSecond` (200 pages).
private func docsCrawlRow(_ pairing: String, pagesPerSecond: Double) throws -> CrawlRow {
    let pairing = try #require(CrawlPairing(pairing))
    let wall = 200 / pagesPerSecond
    return try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "docs", runs: [Fixtures.crawlMeasurement(wall: wall, slotSeconds: wall * 10, parseCPU: wall, storeWall: 0.1)]))
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
