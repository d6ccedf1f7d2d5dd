import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// Running out of file descriptors once made fetches fail (stored as refused) and parse workers crash.
@Suite struct DescriptorLimitTests {
    /// `ulimit -n 64` with 1,000 transfers asked for: the crawl fits itself into the limit and says so.
    @Test func aLowDescriptorLimitCapsFetchConcurrency() async throws {
        // Many hosts with slow answers, so that without the cap hundreds of sockets are open at once.
        let server = try await SyntheticWebServer.start(SyntheticWebConfig(seed: 7, hosts: 30, pages: 300, meanPageKB: 4, port: 0, latencyMs: 20))
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let run = try await CrawlerRun.run(
            ["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "1000", "--per-host", "8"],
            shell: "ulimit -n 64 && exec \"$@\"")
        let key = server.answerKey()
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("crawling with --fetch-concurrency"), "\(run.stderr)")
        let differences = try CrawlAnswerKeyTests.differences(database: database, key: key)
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }
}
