import CrawlerCore
import CrawlerGraph
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// What a crawl writes while it runs: JSON lines a collector can read, --verbose failures,
/// --quiet's one-line result.
struct CrawlOutputTests {
    /// Every line on standard error is a JSON object; one record per failed or skipped page,
    /// as many as the summary counts, each naming its kind and URL.
    @Test func jsonLogsOneRecordPerFailedPage() async throws {
        var config = CrawlAnswerKeyTests.smallWeb
        config.faults = true
        config.slowResponseSeconds = 30
        let server = try await SyntheticWebServer.start(config)
        let database = try temporaryDirectory().appendingPathComponent("crawl.sqlite").path
        let run = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--log-format", "json", "--timeout", "5"])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        let records = try run.stderr.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        // Every record is stamped with an ISO 8601 UTC time.
        #expect(records.allSatisfy { ($0["time"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } != nil })
        let failures = records.filter { $0["message"] as? String == "page failed" }
        #expect(failures.allSatisfy { ($0["kind"] as? String)?.isEmpty == false && ($0["url"] as? String)?.hasPrefix("http://127.0.0.") == true })
        #expect(failures.contains { $0["kind"] as? String == "timeout" })
        // As many as the pages the database holds with an error or a status of 400 or more.
        let stored = try GraphStore(path: database, createIfMissing: false).storedPages()
        let failed = stored.filter { $0.errorKind != nil || ($0.status ?? 0) >= 400 }
        #expect(failures.count == failed.count, "\(failures.count) records against \(failed.count) failed pages stored")
        #expect(Set(failures.compactMap { $0["url"] as? String }).count == failures.count, "one record per page")
    }

    /// --quiet prints the one-line result and where the graph is, nothing on standard error.
    @Test func quietSaysOnlyTheResult() async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let database = try temporaryDirectory().appendingPathComponent("crawl.sqlite").path
        let run = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--quiet"])
        try await server.shutdown()
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("Crawled ") == true)
        #expect(lines.last?.hasPrefix("Link graph: ") == true)
    }
}

/// Ctrl-C is prompt even when every host waits a long delay: no task sleeps on a host's turn
/// (the scheduler's timer is cancelled), so the crawl stops in far less than the delay.
struct PromptStopTests {
    @Test func ctrlCDuringALongDelayStopsAtOnce() async throws {
        let server = try await SyntheticWebServer.start(SyntheticWebConfig(seed: 9, hosts: 2, pages: 40, meanPageKB: 2, port: 0))
        let database = try temporaryDirectory().appendingPathComponent("crawl.sqlite").path
        let crawler = try CrawlerRun.start(["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--delay", "120000", "--ignore-robots"])
        // The home pages are stored at once (no robots.txt request before them); every next
        // request to a host waits two minutes.
        let stored = try await CrawlAnswerKeyTests.waitForProgress(crawler, database: database, pages: 2)
        #expect(stored >= 2)
        let interrupted = ContinuousClock.now
        crawler.send(SIGINT)
        let run = await crawler.finish()
        let took = ContinuousClock.now - interrupted
        try await server.shutdown()
        #expect(run.status == 130, "\(run.stderr)")
        #expect(took < .seconds(60), "stopping took \(took) with a 120 s delay")
        #expect(run.stdout.contains("crawler crawl --resume --db \(database)"))
    }
}
