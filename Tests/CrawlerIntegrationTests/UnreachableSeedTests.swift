import CrawlerCore
import CrawlerGraph
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// A crawl in which no seed could be fetched fails, and says why; the pages record the real
/// failure (the host refused), not "robots.txt disallows".
@Suite struct UnreachableSeedTests {
    @Test func aCrawlThatFetchedNoSeedExitsNonZeroAndSaysWhy() async throws {
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let run = try await CrawlerRun.run(["crawl", "http://127.0.0.1:1/", "http://127.0.0.1:2/a", "--db", database, "--retries", "0"])
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("none of the 2 seeds could be fetched, so nothing was crawled"), "\(run.stderr)")
        #expect(run.stderr.contains("127.0.0.1:1 refused the connection"), "\(run.stderr)")
        #expect(run.stderr.contains("127.0.0.1:2 refused the connection"), "\(run.stderr)")
        #expect(!run.stderr.contains("robots.txt disallows"), "\(run.stderr)")
        // The crawl itself was recorded, with each seed's real failure.
        let pages = try GraphStore(path: database, createIfMissing: false, options: .readOnly).storedPages()
        #expect(pages.map(\.url) == ["http://127.0.0.1:1/", "http://127.0.0.1:2/a"])
        #expect(pages.allSatisfy { $0.errorKind == "refused" && $0.status == nil }, "\(pages)")
    }

    /// One seed answering is enough: the crawl succeeds, the unreachable seed recorded as refused.
    @Test func oneFetchedSeedIsASuccessfulCrawl() async throws {
        let server = try await SyntheticWebServer.start(SyntheticWebConfig(seed: 3, hosts: 1, pages: 10, meanPageKB: 2, port: 0))
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let seeds = ["http://127.0.0.1:1/", server.seedURLs[0].string]
        let run = try await CrawlerRun.run(["crawl"] + seeds + ["--db", database, "--retries", "0", "--max-pages", "3"])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("nothing was crawled"), "\(run.stderr)")
        let pages = try GraphStore(path: database, createIfMissing: false, options: .readOnly).storedPages()
        #expect(pages.first { $0.url == "http://127.0.0.1:1/" }?.errorKind == "refused")
    }
}
