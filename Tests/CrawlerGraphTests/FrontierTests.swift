import CrawlerCore
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

    @Test func claimsOneDepthAtATimeWhenAsked() async throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/")])
        try await store.commit([page("http://a.test/", links: ["http://a.test/1", "http://a.test/2"])])
        try store.seed([url("http://b.test/")])
        #expect(try store.lowestPendingDepth() == 0)
        #expect(try await store.claim(limit: 10, depth: 1).map(\.url.string) == ["http://a.test/1", "http://a.test/2"])
        #expect(try await store.claim(limit: 10, depth: 1).isEmpty)
        #expect(try await store.claim(limit: 10, depth: 0).map(\.depth) == [0])
        #expect(try store.lowestPendingDepth() == 0, "in-flight URLs still count as pending")
        #expect(try store.fetchedPagesPerHost() == ["a.test": 1])
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
