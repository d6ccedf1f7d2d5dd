import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// Requests as users configure them: --header reaches every host, --proxy is used, and a
/// header that would inject another one is refused.
struct RequestOptionsTests {
    @Test func headersReachEveryHostAndAreNotStored() async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let database = try temporaryDirectory().appendingPathComponent("crawl.sqlite").path
        let run = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--header", "X-Crawl-Test: yes", "--header", "Authorization: Bearer s3cret"])
        let stats = server.requestStats
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(stats.hosts.count == 3)
        for (authority, host) in stats.hosts {
            #expect(host.lastRequestHeaders["x-crawl-test"] == "yes", "\(authority): \(host.lastRequestHeaders)")
            #expect(host.lastRequestHeaders["authorization"] == "Bearer s3cret")
        }
        // The settings stored with the crawl keep no header (it may be a credential).
        let dump = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select settings from runs').fetchall())", database])
        #expect(dump.status == 0)
        #expect(!dump.standardOutput.contains("s3cret") && dump.standardOutput.contains("userAgent"))
    }

    @Test func aProxyIsUsed() async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let database = try temporaryDirectory().appendingPathComponent("crawl.sqlite").path
        // Nothing listens on port 1: every request through that proxy fails to connect.
        let run = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--proxy", "http://127.0.0.1:1", "--retries", "0"])
        let requests = server.requestStats.totalRequests
        try await server.shutdown()
        #expect(requests == 0, "a request went around the proxy")
        #expect(run.status == 1, "no seed could be fetched: \(run.stderr)")
    }

    @Test(arguments: ["NoColon", "Bad Name: x", "X-Injected: a\r\nHost: evil.test"])
    func aBadHeaderIsRefused(header: String) async throws {
        let run = try await CrawlerRun.run(["crawl", "http://127.0.0.1:1/", "--db", try temporaryDirectory().appendingPathComponent("c.sqlite").path, "--header", header])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--header"))
    }
}
