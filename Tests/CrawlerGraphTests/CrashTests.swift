import CrawlerCore
import Foundation
import GRDB
import TestSupport
import Testing
@testable import CrawlerGraph

/// A real crash: a child process (this test binary, running `crashChild`) crawls an endless
/// site into the database and is killed with SIGKILL in the middle of its commits; the parent
/// reopens the file, resumes, and checks nothing committed was lost or half-stored.
@Suite struct CrashTests {
    static let databaseVariable = "CRAWLER_GRAPH_CRASH_CHILD_DB"
    static let linksPerPage = 10

    /// The child's work, not a test: it runs only in the child `sigkillMidCrawlLosesNothing`
    /// starts (which sets the variable); in every other run it is skipped, not passed.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[CrashTests.databaseVariable] != nil, "the child of sigkillMidCrawlLosesNothing"))
    func crashChild() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.databaseVariable])
        let store = try GraphStore(path: path)
        try store.seed([url("http://crash.test/0")])
        let progress = path + ".committed"
        let deadline = ContinuousClock.now + .seconds(180)  // never outlive a parent that died
        var committed = 0
        while ContinuousClock.now < deadline {
            let batch = try store.claim(limit: 10)
            let records = batch.map { entry -> PageRecord in
                let n = Int(entry.url.path.dropFirst())!
                return page(entry.url.string, depth: entry.depth, links: (1...Self.linksPerPage).map { "http://crash.test/\(n * Self.linksPerPage + $0)" })
            }
            committed += try store.commit(records).pagesStored
            try String(committed).write(toFile: progress, atomically: true, encoding: .utf8)
        }
    }

    @Test func sigkillMidCrawlLosesNothing() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crash.sqlite")
        // The child is this test binary (a large one to start on a loaded machine): the
        // deadline is generous, the loop ends as soon as the pages are there.
        let child = try ChildProcess(
            URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")),
            ["--testing-library", "swift-testing", "--filter", "CrashTests/crashChild"],
            environment: ProcessInfo.processInfo.environment.merging([Self.databaseVariable: path]) { $1 },
            captureOutput: false)

        // Let it commit a few hundred pages, then kill it without warning.
        let deadline = ContinuousClock.now + .seconds(120)
        var pagesSeen = 0
        while pagesSeen < 300, ContinuousClock.now < deadline, child.isRunning {
            try await Task.sleep(for: .milliseconds(20))
            pagesSeen = (try? String(contentsOfFile: path + ".committed", encoding: .utf8)).flatMap { Int($0) } ?? 0
        }
        child.send(SIGKILL)
        let ending = await child.finish()
        try #require(pagesSeen >= 300, "the child crawler committed only \(pagesSeen) pages in 120 s")
        #expect(ending.signaled && ending.status == SIGKILL)
        let reported = Int(try String(contentsOfFile: path + ".committed", encoding: .utf8)) ?? 0

        let store = try GraphStore(path: path)
        let integrity = try store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        let summary = try store.resume()
        // Nothing the child saw committed is lost (it may have committed one more batch than it reported).
        #expect(summary.pagesStored >= reported)
        #expect(summary.counts.inFlight == 0)
        // Every stored page is whole: all its links, its frontier row done, its targets queued.
        #expect(try store.count("SELECT count(*) FROM pages p WHERE (SELECT count(*) FROM links l WHERE l.source_id = p.url_id) <> \(Self.linksPerPage)") == 0)
        #expect(try store.count("SELECT count(*) FROM pages p JOIN frontier f ON f.url_id = p.url_id WHERE f.state <> 2") == 0)
        #expect(try store.count("SELECT count(*) FROM links l LEFT JOIN frontier f ON f.url_id = l.target_id WHERE f.url_id IS NULL") == 0)
        // Resuming fetches nothing already stored.
        let next = try await store.claim(limit: 50)
        #expect(!next.isEmpty)
        for entry in next { #expect(try store.count("SELECT count(*) FROM pages p JOIN urls u ON u.id = p.url_id WHERE u.url = '\(entry.url.string)'") == 0) }
    }
}
