import CrawlerCore
import CrawlerGraph
import Foundation
import Synchronization
import Testing
@testable import Crawler

/// The pipeline against an in-memory web and the real store: breadth-first depths whatever the
/// completion order, the limits, and cancellation followed by a resume.
struct CrawlPipelineTests {
    /// A deterministic random graph: `count` pages on two hosts, a chain so all are reachable,
    /// plus random links, some to missing pages.
    static func randomWeb(count: Int, seed: UInt64) -> FakeWeb {
        var random = SplitMix64(seed: seed)
        func next() -> Int { Int(truncatingIfNeeded: random.next() >> 1) }
        func page(_ index: Int) -> NormalizedURL { FakeWeb.url("/p\(index)", host: 2 + index % 2) }
        var pages: [NormalizedURL: [NormalizedURL]] = [:]
        for index in 0..<count {
            var links = index + 1 < count ? [page(index + 1)] : []
            for _ in 0..<(next() % 4) { links.append(page(next() % count)) }
            if next() % 10 == 0 { links.append(FakeWeb.url("/missing\(index)")) }
            pages[page(index)] = links
        }
        return FakeWeb(pages: pages)
    }

    /// Breadth-first depths from the seeds, following only pages that exist.
    static func bfsDepths(_ web: FakeWeb, seeds: [NormalizedURL], maxDepth: Int) -> [NormalizedURL: Int] {
        var depths = Dictionary(uniqueKeysWithValues: seeds.map { ($0, 0) })
        var queue = seeds
        var index = 0
        while index < queue.count {
            let url = queue[index]
            index += 1
            let depth = depths[url]!
            guard depth < maxDepth else { continue }
            for target in web.pages[url] ?? [] where depths[target] == nil {
                depths[target] = depth + 1
                queue.append(target)
            }
        }
        return depths
    }

    func pipeline(_ web: some PageFetcher & PageParser, _ store: RecordingStore, seeds: [NormalizedURL], concurrency: Int = 16, configure: (inout FrontierOptions) -> Void = { _ in }) throws -> CrawlPipeline {
        var options = FrontierOptions()
        options.scope = .any
        configure(&options)
        let policy = try FrontierPolicy(options: options, seeds: seeds)
        return CrawlPipeline(fetcher: web, parser: web, store: store, policy: policy, seeds: seeds, inFlightLimit: concurrency, commitBatch: 8)
    }

    /// The page tasks prefer the parser's executor (the process engine's drivers), so every
    /// parse is called from a task running there.
    @Test func pageTasksRunOnTheParsersPreferredExecutor() async throws {
        let web = Self.randomWeb(count: 60, seed: 3)
        let seeds = [FakeWeb.url("/p0")]
        let store = try RecordingStore()
        let executor = MarkingExecutor()
        let policy = try FrontierPolicy(options: { var options = FrontierOptions(); options.scope = .any; return options }(), seeds: seeds)
        let parser = ExecutorPreferringParser(web: web, executor: executor)
        _ = try await CrawlPipeline(fetcher: web, parser: parser, store: store, policy: policy, seeds: seeds, inFlightLimit: 8, commitBatch: 8).run()
        #expect(try await store.depths() == Self.bfsDepths(web, seeds: seeds, maxDepth: 20))
        #expect(executor.parsesHere.load(ordering: .relaxed) == 60)
        #expect(executor.parsesElsewhere.load(ordering: .relaxed) == 0)
    }

    @Test(arguments: [1, 4, 32])
    func storesEveryReachablePageAtItsBreadthFirstDepth(concurrency: Int) async throws {
        let web = Self.randomWeb(count: 150, seed: 7)
        let seeds = [FakeWeb.url("/p0")]
        let store = try RecordingStore()
        let summary = try await pipeline(web, store, seeds: seeds, concurrency: concurrency).run()
        let expected = Self.bfsDepths(web, seeds: seeds, maxDepth: 20)
        #expect(try await store.depths() == expected)
        #expect(await store.storedTwice.isEmpty)
        #expect(summary.pages == expected.count)
        #expect(summary.errorsByKind["http-404"] == expected.keys.filter { web.pages[$0] == nil }.count)
    }

    /// Progress ends with the run's totals; the queue is counted once at the start and kept in
    /// memory after that, never re-counted while the crawl runs.
    @Test func progressEndsWithTheTotalsAndTheQueueIsCountedOnce() async throws {
        let web = Self.randomWeb(count: 60, seed: 5)
        let seeds = [FakeWeb.url("/p0")]
        let watched = try RecordingStore()
        let reports = Counter()
        let summary = try await pipeline(web, watched, seeds: seeds).run { progress in
            reports.add(progress.pagesDone)
        }
        #expect(summary.pages == Self.bfsDepths(web, seeds: seeds, maxDepth: 20).count)
        #expect(reports.count >= 1)
        #expect(reports.last == summary.pages)
        #expect(await watched.queuedCountCalls == 1)
    }

    @Test func maxDepthCutsTheCrawl() async throws {
        let web = Self.randomWeb(count: 120, seed: 3)
        let seeds = [FakeWeb.url("/p0")]
        let store = try RecordingStore()
        _ = try await pipeline(web, store, seeds: seeds) { $0.maxDepth = 3 }.run()
        #expect(try await store.depths() == Self.bfsDepths(web, seeds: seeds, maxDepth: 3))
    }

    @Test func maxPagesAndPerHostCapHold() async throws {
        let web = Self.randomWeb(count: 100, seed: 5)
        let seeds = [FakeWeb.url("/p0")]
        let limited = try RecordingStore()
        let summary = try await pipeline(web, limited, seeds: seeds) { $0.maxPages = 25 }.run()
        #expect(summary.fetched == 25)
        let capped = try RecordingStore()
        _ = try await pipeline(web, capped, seeds: seeds) { $0.maxPagesPerHost = 10 }.run()
        let fetchedPerHost = await capped.stored.values.reduce(into: [String: Int]()) { counts, page in
            if case .fetched = page.outcome { counts[page.url.authority, default: 0] += 1 }
        }
        #expect(fetchedPerHost.values.allSatisfy { $0 <= 10 })
        #expect(fetchedPerHost.values.reduce(0, +) == 20)
    }

    @Test func redirectTargetsAreStoredOnce() async throws {
        var web = Self.randomWeb(count: 10, seed: 1)
        let hop = FakeWeb.url("/old")
        web.redirects[hop] = FakeWeb.url("/p5", host: 3)
        var pages = web.pages
        pages[FakeWeb.url("/p0")]!.append(hop)
        web = FakeWeb(pages: pages, redirects: web.redirects)
        let store = try RecordingStore()
        _ = try await pipeline(web, store, seeds: [FakeWeb.url("/p0")]).run()
        #expect(await store.storedTwice.isEmpty)
        #expect(await store.stored[hop] != nil)
    }

    @Test func cancelledCrawlResumesToTheSameGraph() async throws {
        let web = Self.randomWeb(count: 200, seed: 11)
        let seeds = [FakeWeb.url("/p0")]
        let store = try RecordingStore()
        let crawl = try pipeline(web, store, seeds: seeds)
        let task = Task { try await crawl.run() }
        while await store.stored.count < 40 { try await Task.sleep(nanoseconds: 1_000_000) }
        task.cancel()
        let interrupted = await #expect(throws: CrawlInterrupted.self) { try await task.value }
        #expect(await store.stored.count < 200)
        let resumed = try await pipeline(web, store, seeds: seeds).run()
        #expect(try await store.depths() == Self.bfsDepths(web, seeds: seeds, maxDepth: 20))
        #expect(await store.storedTwice.isEmpty)
        #expect(resumed.pages > 0)
        #expect(resumed.requeued == interrupted?.summary.cancelled)
    }
}

struct CrawlSummaryReportTests {
    @Test func reportShowsTotalsCPUWaitsAndErrors() {
        var accounting = TimeAccounting()
        accounting.fetchCPU = 0.5
        accounting.parseCPU = 2.0
        accounting.parseWorkersCPU = 1.5
        accounting.storeCPU = 0.25
        accounting.otherCPU = 0.25
        accounting.networkWait = 30
        accounting.cores = 2
        accounting.elapsed = 4
        accounting.transferSlots = 16
        accounting.transferSlotSeconds = 60  // 16 slots × 4 s = 64: busy 94%
        let summary = CrawlSummary(
            pages: 1200, fetched: 1190, parsed: 1100, links: 22000, hosts: 8, bytes: 3 << 20,
            errorsByKind: ["timeout": 2, "http-404": 30], requeued: 0, cancelled: 0, elapsedSeconds: 4,
            fetchSeconds: 30, parseSeconds: 9, storeSeconds: 1, accounting: accounting)
        let report = summary.report()
        #expect(report.contains("Crawled 1,200 pages on 8 hosts in 4.0 s (300.0 pages/s)"))
        #expect(report.contains("received 3.0 MiB"))
        #expect(report.contains("parse (1.50 s in worker processes)"))
        #expect(report.contains("38%"), "3 CPU seconds of 2 cores × 4 s")
        #expect(report.contains("bound: transfers"))
        #expect(report.range(of: "http-404")!.lowerBound < report.range(of: "timeout")!.lowerBound)
    }

    /// The bound follows the figures: the busiest stage when it was busy most of the time, else
    /// none (waiting on politeness or for queued URLs).
    @Test func theBoundIsTheBusiestStage() {
        var accounting = TimeAccounting()
        accounting.cores = 2
        accounting.elapsed = 10
        accounting.transferSlots = 64
        accounting.parsers = 2
        #expect(accounting.bound.hasPrefix("no stage was saturated"))
        accounting.parseCPU = 18  // 2 parsers × 10 s: 90%
        #expect(accounting.bound.hasPrefix("parsing: 2 parser(s) busy 90%"))
        accounting.transferSlotSeconds = 64 * 10 * 0.95
        #expect(accounting.bound.hasPrefix("transfers"))
        accounting.storeWall = 9.9
        #expect(accounting.bound.hasPrefix("the store"))
        accounting.parsers = 4  // more parsers than cores: capacity is the cores
        accounting.otherCPU = 1.95
        #expect(accounting.utilization.first { $0.stage == "the CPU" }!.busy > 0.99)
    }

    /// A crawl measures what it can: the store's CPU, the inline parse's CPU, the network.
    @Test func aCrawlFillsInItsAccounting() async throws {
        let web = CrawlPipelineTests.randomWeb(count: 60, seed: 4)
        let seeds = [FakeWeb.url("/p0")]
        var options = FrontierOptions()
        options.scope = .any
        let summary = try await CrawlPipeline(
            fetcher: web, parser: web, store: try RecordingStore(), policy: try FrontierPolicy(options: options, seeds: seeds),
            seeds: seeds, inFlightLimit: 4, commitBatch: 8
        ).run()
        let accounting = try #require(summary.accounting)
        #expect(accounting.elapsed == summary.elapsedSeconds)
        #expect(accounting.storeCPU > 0)
        #expect(accounting.storeWall == summary.storeSeconds)
        #expect(accounting.transferSlots == 4)
        #expect(accounting.totalCPU > 0)
    }
}

/// Counts progress reports and remembers the last `pagesDone`.
final class Counter: Sendable {
    private let state = Mutex((count: 0, last: 0))
    func add(_ pagesDone: Int) { state.withLock { $0 = ($0.count + 1, pagesDone) } }
    var count: Int { state.withLock { $0.count } }
    var last: Int { state.withLock { $0.last } }
}

struct FullDiskTests {
    @Test func aFailingCommitStopsTheCrawlWithEarlierBatchesIntact() async throws {
        let web = CrawlPipelineTests.randomWeb(count: 100, seed: 9)
        let seeds = [FakeWeb.url("/p0")]
        let store = try RecordingStore(commitsBeforeFull: 3)
        var options = FrontierOptions()
        options.scope = .any
        let pipeline = CrawlPipeline(
            fetcher: web, parser: web, store: store, policy: try FrontierPolicy(options: options, seeds: seeds),
            seeds: seeds, inFlightLimit: 4, commitBatch: 5)
        await #expect(throws: RecordingStore.DiskFull.self) { try await pipeline.run() }
        let stored = await store.stored.count
        #expect(stored > 0 && stored <= 15)
        #expect(try store.graph.pageCount() == stored)
        #expect(await store.storedTwice.isEmpty)
    }
}

/// A fetcher that answers one URL with a redirect it did not follow.
struct UnfollowedRedirectWeb: PageFetcher {
    let web: FakeWeb
    let from: NormalizedURL
    let to: String

    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        guard url == from else { return await web.fetch(url) }
        return .success(FetchResponse(requestedURL: url, finalURL: url, status: 301, headers: ResponseHeaders(location: to)))
    }

    func shutdown() async {}
}

struct UnfollowedRedirectTests {
    @Test func theTargetOfAnUnfollowedRedirectGoesToTheFrontier() async throws {
        let web = FakeWeb(pages: [FakeWeb.url("/"): [FakeWeb.url("/moved")], FakeWeb.url("/new"): []])
        let fetcher = UnfollowedRedirectWeb(web: web, from: FakeWeb.url("/moved"), to: "/new")
        let store = try RecordingStore()
        let seeds = [FakeWeb.url("/")]
        let pipeline = CrawlPipeline(
            fetcher: fetcher, parser: web, store: store, policy: try FrontierPolicy(options: FrontierOptions(), seeds: seeds),
            seeds: seeds, inFlightLimit: 2)
        _ = try await pipeline.run()
        #expect(try await store.depths() == [FakeWeb.url("/"): 0, FakeWeb.url("/moved"): 1, FakeWeb.url("/new"): 2])
        guard case .fetched(let moved)? = await store.stored[FakeWeb.url("/moved")]?.outcome else {
            Issue.record("the redirect was not stored as fetched")
            return
        }
        #expect(moved.status == 301)
        #expect(moved.redirectTarget == FakeWeb.url("/new"))
    }
}

/// A web of two hosts where one host answers only when the test lets it: what the scheduler
/// does while a host is slow, with no clock in the test.
struct SlowHostWeb: PageFetcher, PageParser {
    let web: FakeWeb
    let slowHost: String
    let gate: OpenGate

    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        if url.authority == slowHost { await gate.wait() }
        return await web.fetch(url)
    }

    func parse(_ response: FetchResponse) async -> Result<ParsedPage, ParseError> { await web.parse(response) }
    func shutdown() async {}
}

/// A gate tasks wait at until it is opened (once, for good).
final class OpenGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }
}

struct SchedulerTests {
    /// One host stalls on its first level; the other host is crawled to the end meanwhile (a
    /// depth barrier would hold the fast host at depth 1 until the slow host answers). Then the
    /// slow host is let through and both end at their breadth-first depths.
    @Test func aSlowHostDoesNotHoldTheOthersBack() async throws {
        let fastHost = 2, slowHost = 3
        var pages: [NormalizedURL: [NormalizedURL]] = [:]
        // A chain within the default --max-depth of 20, so all of it is crawled.
        for index in 0..<20 { pages[FakeWeb.url("/f\(index)", host: fastHost)] = index + 1 < 20 ? [FakeWeb.url("/f\(index + 1)", host: fastHost)] : [] }
        for index in 0..<5 { pages[FakeWeb.url("/s\(index)", host: slowHost)] = index + 1 < 5 ? [FakeWeb.url("/s\(index + 1)", host: slowHost)] : [] }
        let web = FakeWeb(pages: pages, maxDelayMicroseconds: 200)
        let seeds = [FakeWeb.url("/f0", host: fastHost), FakeWeb.url("/s0", host: slowHost)]
        let gate = OpenGate()
        let store = try RecordingStore()
        let fastDone = OpenGate()
        let fastURLs = Set(pages.keys.filter { $0.authority.hasPrefix("127.0.0.2") })
        // The slow host is let through when every fast page is stored, or after a minute at the
        // latest (so a scheduler that waits for it fails instead of hanging).
        let watcher = Task {
            for _ in 0..<60_000 {
                let stored = Set(await store.stored.keys)
                if fastURLs.isSubset(of: stored) { fastDone.open(); break }
                try await Task.sleep(nanoseconds: 1_000_000)
            }
            gate.open()
        }
        var options = FrontierOptions()
        options.scope = .any
        let policy = try FrontierPolicy(options: options, seeds: seeds)
        let pipeline = CrawlPipeline(
            fetcher: SlowHostWeb(web: web, slowHost: FakeWeb.url("/", host: slowHost).authority, gate: gate),
            parser: web, store: store, policy: policy, seeds: seeds, inFlightLimit: 4, commitBatch: 4)
        _ = try await pipeline.run()
        try await watcher.value
        #expect(fastDone.isOpen, "the fast host's 20 pages were all stored while the slow host's first page was in flight")
        #expect(try await store.depths() == CrawlPipelineTests.bfsDepths(web, seeds: seeds, maxDepth: 20))
    }

    /// The worst order for depths: a long path on a fast host reaches x first, the short path
    /// from a slow seed only later. x, and what x links to, end at their true depths, and pages
    /// first found beyond --max-depth are fetched once the short path brings them within it.
    @Test func aShortPathFoundLateGivesExactDepthsAndTheSamePagesUnderMaxDepth() async throws {
        let fast = 2, slow = 3, other = 4
        let x = FakeWeb.url("/x", host: other), y = FakeWeb.url("/y", host: other), z = FakeWeb.url("/z", host: other)
        let pages: [NormalizedURL: [NormalizedURL]] = [
            FakeWeb.url("/a0", host: fast): [FakeWeb.url("/a1", host: fast)],
            FakeWeb.url("/a1", host: fast): [FakeWeb.url("/a2", host: fast)],
            FakeWeb.url("/a2", host: fast): [FakeWeb.url("/a3", host: fast)],
            FakeWeb.url("/a3", host: fast): [x],
            FakeWeb.url("/b0", host: slow): [x],
            x: [y], y: [z], z: [],
        ]
        let web = FakeWeb(pages: pages, maxDelayMicroseconds: 100)
        let seeds = [FakeWeb.url("/a0", host: fast), FakeWeb.url("/b0", host: slow)]
        let gate = OpenGate()
        let store = try RecordingStore()
        let watcher = Task {
            for _ in 0..<60_000 where await store.stored[x] == nil { try await Task.sleep(nanoseconds: 1_000_000) }
            gate.open()
        }
        var options = FrontierOptions()
        options.scope = .any
        options.maxDepth = 4
        let pipeline = CrawlPipeline(
            fetcher: SlowHostWeb(web: web, slowHost: FakeWeb.url("/", host: slow).authority, gate: gate),
            parser: web, store: store, policy: try FrontierPolicy(options: options, seeds: seeds), seeds: seeds,
            inFlightLimit: 4, commitBatch: 1)
        _ = try await pipeline.run()
        try await watcher.value
        #expect(await store.stored[x]?.depth == 4, "x was first fetched by the long path")
        let expected = CrawlPipelineTests.bfsDepths(web, seeds: seeds, maxDepth: 4)
        #expect(expected[x] == 1 && expected[z] == 3)
        #expect(try await store.depths() == expected)
    }
}
