import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// Continuing a crawl stopped by --max-pages.
@Suite(.serialized) struct ResumeCommandTests {
    /// A crawl stopped by --max-pages continues under a higher one; changed scope flags are
    /// named as ignored.
    @Test func resumeAcceptsANewMaxPages() async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let first = try await CrawlerRun.run(["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--max-pages", "5"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try storedPages(database) == 5)
        let resumed = try await CrawlerRun.run(["crawl", "--resume", "--db", database, "--max-pages", "12", "--scope", "any"])
        try await server.shutdown()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try storedPages(database) == 12)
        #expect(resumed.stderr.contains("--resume ignores --scope any (the crawl keeps host)"), "\(resumed.stderr)")
    }
}
