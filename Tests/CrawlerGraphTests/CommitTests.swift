import CrawlerCore
import Foundation
import GRDB
import TestSupport
import Testing
@testable import CrawlerGraph

@Suite struct CommitTests {
    @Test func storesPagesLinksAndFrontierInOneCall() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        let run = try store.beginRun(settings: FrontierOptions(), fetchModel: .async, parseModel: .threads)
        try store.seed([url("http://a.test/")])
        _ = try store.claim(limit: 1)
        var record = page("http://a.test/", title: "A", links: ["http://a.test/x", "http://a.test/x", "http://b.test/"])
        record.links[1].nofollow = true
        record.links.append(Link(target: url("http://c.test/"), kind: .link, rel: "nofollow", nofollow: true))
        record.enqueue = [url("http://a.test/x")]
        var summary = try store.commit([record], run: run)
        #expect(summary.writerCPUSeconds > 0, "the writer's CPU is measured")
        summary.writerCPUSeconds = 0  // a measurement, not part of what was stored
        var expected = CommitSummary(pagesStored: 1, duplicatePages: 0, linksStored: 3, newlyQueued: 1)
        expected.queuedHosts = ["a.test"]
        #expect(summary == expected)
        #expect(try store.count("SELECT count FROM links l JOIN urls u ON u.id = l.target_id WHERE u.url = 'http://a.test/x'") == 2)
        // One followable occurrence makes the edge followable.
        #expect(try store.count("SELECT nofollow FROM links l JOIN urls u ON u.id = l.target_id WHERE u.url = 'http://a.test/x'") == 0)
        #expect(try store.count("SELECT nofollow FROM links l JOIN urls u ON u.id = l.target_id WHERE u.url = 'http://c.test/'") == 1)
        #expect(try store.count("SELECT count(*) FROM hosts") == 3)
        #expect(try store.count("SELECT depth FROM frontier f JOIN urls u ON u.id = f.url_id WHERE u.url = 'http://a.test/x'") == 1)
        #expect(try store.frontierCounts() == FrontierCounts(queued: 1, inFlight: 0, done: 1))
        try store.endRun(run, outcome: .completed)
        let runs = try store.runs()
        #expect(runs.count == 1)
        #expect(runs[0].outcome == .completed)
        #expect(runs[0].fetchModel == "async")
        #expect(runs[0].settingsJSON.contains("\"maxDepth\":20"))
    }

    @Test func aPageCommittedTwiceIsStoredOnce() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        let record = page("http://a.test/", links: ["http://a.test/1"])
        let first = try store.commit([record])
        var second = try store.commit([record, record])
        second.writerCPUSeconds = 0  // a measurement, not part of what was stored
        #expect(first.pagesStored == 1)
        #expect(second == CommitSummary(pagesStored: 0, duplicatePages: 2, linksStored: 0, newlyQueued: 0))
        #expect(try store.count("SELECT count(*) FROM pages") == 1)
        #expect(try store.count("SELECT count(*) FROM links") == 1)
    }

    @Test func aRedirectHopIsAPageWithAnEdgeToItsTarget() throws {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.seed([url("http://a.test/old")])
        _ = try store.claim(limit: 1)
        let hop = PageRecord.redirect(from: url("http://a.test/old"), to: url("http://a.test/new"), status: 301, depth: 0)
        let final = page("http://a.test/new", links: [])
        try store.commit([hop, final])
        #expect(try store.count("SELECT status FROM pages p JOIN urls u ON u.id = p.url_id WHERE u.url = 'http://a.test/old'") == 301)
        #expect(try store.count("SELECT count(*) FROM pages p JOIN urls t ON t.id = p.redirect_target_id WHERE t.url = 'http://a.test/new'") == 1)
        #expect(try store.count("SELECT count(*) FROM links WHERE kind = 'redirect'") == 1)
        // The final URL is done too, so a link to it later does not fetch it again.
        #expect(try store.frontierCounts() == FrontierCounts(queued: 0, inFlight: 0, done: 2))
        try store.commit([page("http://a.test/other", links: ["http://a.test/new"])])
        #expect(try store.frontierCounts().queued == 0)
    }

    @Test func aCrashLosesOnlyTheUncommittedBatchAndResumeRequeuesIt() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        var committed: [String] = []
        do {
            let store = try GraphStore(path: path)
            _ = try store.beginRun(settings: FrontierOptions())
            try store.seed((0..<10).map { url("http://a.test/\($0)") })
            let claimed = try store.claim(limit: 6)
            // Three pages are committed; three are fetched but the process "dies" before committing them.
            try store.commit(claimed.prefix(3).map { page($0.url.string, links: ["http://a.test/1", "http://b.test/\($0.url.path)"]) })
            committed = claimed.prefix(3).map(\.url.string)
        }  // the store is dropped without endRun or release: what SIGKILL leaves behind

        let store = try GraphStore(path: path)
        #expect(try store.frontierCounts().inFlight == 3)
        let summary = try store.resume()
        #expect(summary.requeued == 3)
        #expect(summary.interruptedRuns == 1)
        #expect(summary.pagesStored == 3)
        #expect(summary.counts.inFlight == 0)
        #expect(try store.runs().first?.outcome == .interrupted)
        // Everything not committed comes back, in the original order; nothing committed does.
        let rest = try store.claim(limit: 100)
        #expect(Set(rest.map(\.url.string)).isDisjoint(with: committed))
        #expect(rest.prefix(7).map(\.url.string) == (3..<10).map { "http://a.test/\($0)" })
        try store.commit(rest.map { page($0.url.string, depth: $0.depth, links: ["http://a.test/1"]) })
        #expect(try store.count("SELECT count(*) FROM pages") == 10 + 3)
        let urls = try store.count("SELECT count(*) FROM urls")
        let frontier = try store.count("SELECT count(*) FROM frontier")
        #expect(urls == (try store.count("SELECT count(DISTINCT url) FROM urls")))
        #expect(frontier == (try store.count("SELECT count(DISTINCT url_id) FROM frontier")))
    }

    @Test func aFullDiskStopsWithAClearErrorAndAnIntactDatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        var options = GraphStore.Options()
        options.maximumPageCount = 40  // 40 pages of 4 KB: a tiny disk
        let store = try GraphStore(path: path, options: options)
        var stored = 0
        var failure: GraphStoreError?
        for batch in 0..<200 {
            let records = (0..<20).map { index in
                page("http://a.test/\(batch)/\(index)", title: String(repeating: "t", count: 200),
                     links: (0..<20).map { "http://a.test/\(batch)/\(index)/\($0)" })
            }
            do {
                stored += try store.commit(records).pagesStored
            } catch let error as GraphStoreError {
                failure = error
                break
            }
        }
        let error = try #require(failure)
        #expect(error.code == .diskFull)
        #expect(error.pagesStored == stored)
        #expect(error.description == "the disk is full; the crawl stopped with \(stored) pages stored intact in \(path); free space and run with --resume")
        // The failed batch left nothing behind, and the store still works for reading.
        #expect(try store.pageCount() == stored)
        #expect(try store.count("SELECT count(*) FROM links") == stored * 20)
        let integrity = try store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        // The writer's caches were emptied with the rollback: ids of rolled-back URLs are not reused.
        let reopened = try GraphStore(path: path)
        #expect(try reopened.pageCount() == stored)
    }
}
