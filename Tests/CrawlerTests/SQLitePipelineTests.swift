import CrawlerCore
import CrawlerGraph
import Foundation
import TestSupport
import Testing
@testable import Crawler

/// The pipeline on the real SQLite store: breadth-first depths, redirects, and a crawl
/// interrupted mid-way that resumes from the file to the same graph.
struct SQLitePipelineTests {
    func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("crawl-\(UUID().uuidString).sqlite").path
    }

    func pipeline(_ web: FakeWeb, path: String, seeds: [NormalizedURL]) throws -> (CrawlPipeline, GraphStore) {
        let store = try GraphStore(path: path)
        var options = FrontierOptions()
        options.scope = .any
        let pipeline = CrawlPipeline(
            fetcher: web, parser: web, store: SQLiteCrawlStore(store: store, run: nil),
            policy: try FrontierPolicy(options: options, seeds: seeds), seeds: seeds, inFlightLimit: 16, commitBatch: 8)
        return (pipeline, store)
    }

    /// Depth of every stored page that is not a redirect hop, read back from the file.
    func storedDepths(_ path: String) async throws -> [String: Int] {
        let rows = try await sqlite(path, "SELECT u.url, p.depth FROM pages p JOIN urls u ON u.id = p.url_id WHERE p.redirect_target_id IS NULL")
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Int($0[1])!) })
    }

    /// Rows of `sql` on the file, read by python3's sqlite3 (another reader than the store's),
    /// waited for off the cooperative pool.
    func sqlite(_ path: String, _ sql: String) async throws -> [[String]] {
        let python = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", "import sqlite3,sys\nfor r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print('\\t'.join(map(str,r)))", path, sql])
        try #require(python.status == 0, "python3 could not read \(path): \(python.standardError)")
        let output = python.standardOutput
        return output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func crawlStoresTheBreadthFirstGraph() async throws {
        let web = CrawlPipelineTests.randomWeb(count: 150, seed: 21)
        let seeds = [FakeWeb.url("/p0")]
        let path = temporaryDatabase()
        let (crawl, _) = try pipeline(web, path: path, seeds: seeds)
        _ = try await crawl.run()
        let expected = CrawlPipelineTests.bfsDepths(web, seeds: seeds, maxDepth: 20)
        #expect(try await storedDepths(path) == Dictionary(uniqueKeysWithValues: expected.map { ($0.key.string, $0.value) }))
    }

    @Test func interruptedCrawlResumesFromTheFile() async throws {
        let web = CrawlPipelineTests.randomWeb(count: 200, seed: 23)
        let seeds = [FakeWeb.url("/p0")]
        let path = temporaryDatabase()
        let (first, store) = try pipeline(web, path: path, seeds: seeds)
        let task = Task { try await first.run() }
        while try store.pageCount() < 50 { try await Task.sleep(nanoseconds: 1_000_000) }
        task.cancel()
        _ = try? await task.value
        let (second, _) = try pipeline(web, path: path, seeds: seeds)
        _ = try await second.run()
        let expected = CrawlPipelineTests.bfsDepths(web, seeds: seeds, maxDepth: 20)
        #expect(try await storedDepths(path) == Dictionary(uniqueKeysWithValues: expected.map { ($0.key.string, $0.value) }))
        #expect(try await sqlite(path, "SELECT count(*) FROM frontier WHERE state <> 2") == [["0"]])
    }
}
