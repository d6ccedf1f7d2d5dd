import CrawlerCore
import Foundation
import GRDB
import Testing
@testable import CrawlerGraph

/// A real crash: a child process (this test binary, running `crashChild`) crawls an endless
/// site into the database and is killed with SIGKILL in the middle of its commits; the parent
/// reopens the file, resumes, and checks nothing committed was lost or half-stored.
@Suite struct CrashTests {
    static let databaseVariable = "CRAWLER_GRAPH_CRASH_CHILD_DB"
    static let linksPerPage = 10

    /// The child's work. Does nothing unless started by `sigkillMidCrawlLosesNothing`.
    @Test func crashChild() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.databaseVariable] else { return }
        let store = try GraphStore(path: path)
        try store.seed([url("http://crash.test/0")])
        let progress = path + ".committed"
        let deadline = ContinuousClock.now + .seconds(60)  // never outlive a parent that died
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

    @Test func sigkillMidCrawlLosesNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crash.sqlite")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["--testing-library", "swift-testing", "--filter", "CrashTests/crashChild"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.databaseVariable: path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Let it commit a few hundred pages, then kill it without warning.
        let deadline = ContinuousClock.now + .seconds(30)
        var pagesSeen = 0
        while pagesSeen < 300, ContinuousClock.now < deadline, child.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            pagesSeen = (try? String(contentsOfFile: path + ".committed", encoding: .utf8)).flatMap { Int($0) } ?? 0
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        try #require(pagesSeen >= 300, "the child crawler committed only \(pagesSeen) pages in 30 s")
        #expect(child.terminationReason == .uncaughtSignal)
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
        let next = try store.claim(limit: 50)
        #expect(!next.isEmpty)
        for entry in next { #expect(try store.count("SELECT count(*) FROM pages p JOIN urls u ON u.id = p.url_id WHERE u.url = '\(entry.url.string)'") == 0) }
    }
}
