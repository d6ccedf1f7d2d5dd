import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// The exit status says which signal stopped the crawl, as shells report it.
@Suite(.serialized) struct SignalExitTests {
    /// SIGTERM stops cleanly like Ctrl-C, with the shells' status for it: 128 + 15.
    @Test func sigtermStopsCleanlyWithStatus143() async throws {
        var config = CrawlAnswerKeyTests.smallWeb
        config.pages = 600
        config.latencyMs = 50  // several seconds of crawling at 2 in flight
        let server = try await SyntheticWebServer.start(config)
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let crawler = try CrawlerRun.start(["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "2"])
        // Signal only once pages are being stored: the handler is installed by then, however slow the machine.
        var stored = 0
        for _ in 0..<600 where stored == 0 {
            try await Task.sleep(for: .milliseconds(100))
            stored = (try? storedPages(database)) ?? 0
        }
        #expect(stored > 0)
        crawler.send(SIGTERM)
        let run = await crawler.finish()
        try await server.shutdown()
        #expect(run.status == 143, "\(run.stderr)")
        #expect(run.stdout.contains("Stopped with"))
    }
}
