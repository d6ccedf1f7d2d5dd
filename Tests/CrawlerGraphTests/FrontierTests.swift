import CrawlerCore
import TestSupport
import Testing
@testable import CrawlerGraph

@Suite struct FrontierTests {
    @Test func seedsAreDeduplicatedInTheDatabase() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        #expect(try store.seed([url("http://a.test/"), url("http://a.test/"), url("http://b.test/x")]) == 2)
        #expect(try store.seed([url("HTTP://A.test:80/")]) == 0)
        #expect(try store.isKnown(url("http://a.test/")))
        #expect(try !store.isKnown(url("http://c.test/")))
        #expect(try store.frontierCounts() == FrontierCounts(queued: 2, inFlight: 0, done: 0))
    }

    @Test func claimsBreadthFirstInDiscoveryOrder() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/"), url("http://b.test/")])
        let first = try store.claim(limit: 1)
        #expect(first.map(\.url.string) == ["http://a.test/"])
        // a.test's children are depth 1: b.test (depth 0) must still come first.
        try store.commit([page("http://a.test/", links: ["http://a.test/2", "http://a.test/1", "http://b.test/"])])
        let next = try store.claim(limit: 10)
        #expect(next.map(\.url.string) == ["http://b.test/", "http://a.test/2", "http://a.test/1"])
        #expect(next.map(\.depth) == [0, 1, 1])
        #expect(try store.claim(limit: 10).isEmpty)
        #expect(try store.frontierCounts() == FrontierCounts(queued: 0, inFlight: 3, done: 1))
    }

    @Test func claimsPerHostBreadthFirstAndFindsNewHostsShallowestFirst() async throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/")])
        try await store.commit([page("http://a.test/", links: ["http://a.test/2", "http://a.test/1", "http://c.test/"])])
        try store.seed([url("http://b.test/")])
        // Discovery: b.test's shallowest queued URL is depth 0, c.test's depth 1.
        let found = try await store.claim(hosts: [:], discover: 1, perHost: 5)
        #expect(found.mapValues { $0.map(\.url.string) } == ["b.test": ["http://b.test/"]])
        let named = try await store.claim(hosts: ["a.test": 1, "missing.test": 3], discover: 5, perHost: 5)
        #expect(named["a.test"]?.map(\.url.string) == ["http://a.test/2"], "one, in discovery order")
        #expect(named["c.test"]?.map(\.depth) == [1])
        #expect(named["missing.test"] == nil)
        #expect(named.count == 2, "a.test was named, so it is not discovered again")
        #expect(try await store.claim(hosts: ["a.test": 5], discover: 5, perHost: 5).mapValues { $0.map(\.url.string) } == ["a.test": ["http://a.test/1"]])
        #expect(try await store.claim(hosts: ["a.test": 5], discover: 5, perHost: 5).isEmpty)
        #expect(try store.fetchedPagesPerHost() == ["a.test": 1])
        try await store.commit([page("http://c.test/", depth: 1, links: ["http://c.test/more"])])
        #expect(try await store.claim(hosts: [:], discover: 5, perHost: 5, known: ["c.test"]).isEmpty, "a known host is refilled by name only")
        #expect(try await store.claim(hosts: [:], discover: 5, perHost: 5).mapValues(\.count) == ["c.test": 1])
    }

    /// Pages finish in the worst order: a long path first, the short one last. Depths end exact,
    /// and a URL parked beyond `--max-depth` is queued once a short enough path turns up.
    @Test func aShorterPathFoundLaterRelaxesDepthsAndUnparks() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        let rules = FrontierRules(maxDepth: 3)
        try store.seed([url("http://a.test/"), url("http://b.test/")])
        // a.test/ → 1 → 2 → x (depth 3) → y (depth 4: parked).
        try store.commit([page("http://a.test/", links: ["http://a.test/1"])], rules: rules)
        try store.commit([page("http://a.test/1", depth: 1, links: ["http://a.test/2"])], rules: rules)
        try store.commit([page("http://a.test/2", depth: 2, links: ["http://x.test/"])], rules: rules)
        let deep = try store.commit([page("http://x.test/", depth: 3, links: ["http://y.test/", "http://z.test/"])], rules: rules)
        #expect(deep.newlyQueued == 0)
        #expect(try store.frontierCounts().parked == 2)
        // b.test/ links x directly: x is depth 1, so y and z (its links) are depth 2 and queued.
        let short = try store.commit([page("http://b.test/", links: ["http://x.test/"])], rules: rules)
        #expect(short.newlyQueued == 2)
        #expect(short.queuedHosts == ["y.test", "z.test"])
        #expect(short.depthsRelaxed == 3)
        let depths = Dictionary(uniqueKeysWithValues: try store.storedPages().map { ($0.url, $0.depth) })
        #expect(depths["http://x.test/"] == 1)
        #expect(try store.frontierCounts() == FrontierCounts(queued: 2, inFlight: 0, done: 5, parked: 0))
        #expect(try store.claim(limit: 5).map(\.depth) == [2, 2])
    }

    /// A page claimed at one depth whose depth shrank while it was in flight is stored at the
    /// smaller depth, and its links are queued one deeper than that.
    @Test func aPageIsStoredAtTheDepthItHasWhenItIsCommitted() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/"), url("http://b.test/")])
        try store.commit([page("http://a.test/", links: ["http://a.test/1"])])
        try store.commit([page("http://a.test/1", depth: 1, links: ["http://c.test/"])])
        #expect(try store.claim(limit: 5).map(\.url.string) == ["http://b.test/", "http://c.test/"])
        try store.commit([page("http://b.test/", links: ["http://c.test/"])])  // c: 2 → 1 while in flight
        try store.commit([page("http://c.test/", depth: 2, links: ["http://d.test/"])])
        let depths = Dictionary(uniqueKeysWithValues: try store.storedPages().map { ($0.url, $0.depth) })
        #expect(depths["http://c.test/"] == 1)
        #expect(try store.claim(limit: 5).map(\.depth) == [2])
    }

    @Test func releasedURLsGoBackToTheQueue() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/"), url("http://b.test/")])
        let claimed = try store.claim(limit: 2)
        try store.release(claimed.map(\.url))
        #expect(try store.frontierCounts() == FrontierCounts(queued: 2, inFlight: 0, done: 0))
        #expect(try store.claim(limit: 5).map(\.url.string) == ["http://a.test/", "http://b.test/"])
    }
}

@Suite struct AsyncPipelineTests {
    /// The pipeline's loop as an async caller writes it: claim, commit, until the frontier is empty.
    @Test func crawlsASmallSiteToTheEnd() async throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        let run = try store.beginRun(settings: FrontierOptions(), fetchModel: .async, parseModel: .inline)
        try store.seed([url("http://site.test/0")])
        // Page n links to 2n+1 and 2n+2 below 31 pages, and back to 0: a binary tree with back links.
        var committed = 0
        while true {
            let batch = try await store.claim(limit: 4)
            if batch.isEmpty { break }
            let records = batch.map { entry -> PageRecord in
                let n = Int(entry.url.path.dropFirst())!
                let children = [2 * n + 1, 2 * n + 2].filter { $0 < 31 }.map { "http://site.test/\($0)" }
                return page(entry.url.string, depth: entry.depth, links: children + ["http://site.test/0"])
            }
            committed += try await store.commit(records, run: run).pagesStored
        }
        try store.endRun(run, outcome: .completed)
        #expect(committed == 31)
        #expect(try store.frontierCounts() == FrontierCounts(queued: 0, inFlight: 0, done: 31))
        #expect(try store.count("SELECT max(depth) FROM pages") == 4)
    }
}

@Suite struct CancellationTests {
    /// Ctrl-C cancels the crawl's tasks, but the pages they finished must still be stored.
    @Test func aCancelledTaskStillCommits() async throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/")])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let claimed = try await store.claim(limit: 1)
            return try await store.commit(claimed.map { page($0.url.string, links: ["http://a.test/1"]) })
        }
        let summary = try await task.value
        #expect(summary.pagesStored == 1)
        #expect(try store.pageCount() == 1)
    }
}
