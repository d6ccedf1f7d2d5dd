import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// Requests as users configure them: --header reaches every host, --proxy is used, cookies
/// are kept per host only when asked, and a header that would inject another one or a cookie
/// file that is not one is refused.
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
            // Every page sets a cookie; without --cookies none is sent back.
            #expect(host.cookieHeaders.isEmpty, "\(authority): \(host.cookieHeaders)")
        }
        // The settings stored with the crawl keep no header (it may be a credential).
        let dump = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select settings from runs').fetchall())", database])
        #expect(dump.status == 0)
        #expect(!dump.standardOutput.contains("s3cret") && dump.standardOutput.contains("userAgent"))
    }

    @Test(arguments: FetchModel.allCases)
    func cookiesAreKeptPerHost(fetch: FetchModel) async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let directory = try temporaryDirectory()
        // The jar holds a cookie for 127.0.0.2 only; every page sets one naming its own host.
        // The second cookie has an empty value and lost its trailing tab: 6 fields, as curl reads them.
        let cookies = "# Netscape HTTP Cookie File\r\n127.0.0.2\tFALSE\t/\tFALSE\t0\tfrom-jar\tyes\r\n127.0.0.2\tFALSE\t/\tFALSE\t0\tempty\r\n"
        let jar = directory.appendingPathComponent("cookies.txt")
        try cookies.write(to: jar, atomically: true, encoding: .utf8)
        let database = directory.appendingPathComponent("crawl.sqlite").path
        // With async, the jar comes down a pipe (`/dev/stdin`), which can be read only once:
        // the crawler must not use it up checking it.
        let jarPath = fetch == .async ? "/dev/stdin" : jar.path
        let arguments = ["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch", fetch.rawValue, "--cookie-jar", jarPath]
        let run = try await CrawlerRun.run(arguments, input: Data(cookies.utf8))
        let stats = server.requestStats
        let key = server.answerKey()
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try CrawlAnswerKeyTests.differences(database: database, key: key).isEmpty)
        #expect(stats.hosts.count == 3)
        for (authority, host) in stats.hosts {
            let address = String(authority.prefix { $0 != ":" })
            let own = "\(SyntheticWebServer.cookieName)=\(address)"
            let allowed: Set<String> = address == "127.0.0.2" ? [own, "from-jar=yes", "empty="] : [own]
            let sent = Set(host.cookieHeaders.flatMap { $0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } })
            // Each host gets back its own cookie (every page after the first few carries it)
            // and the jar's where it belongs; no host ever gets another's.
            #expect(sent == allowed, "\(authority): \(host.cookieHeaders)")
        }
        // Cookies are credentials: the stored settings keep none.
        let dump = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select settings from runs').fetchall())", database])
        #expect(dump.status == 0)
        #expect(!dump.standardOutput.contains("from-jar") && !dump.standardOutput.contains("cookies.txt"))
    }

    @Test(arguments: [("127.0.0.2 FALSE / FALSE 0 a b\n", "line 1 of"), ("", "cannot be read")])
    func aCookieFileThatIsNotOneIsRefused(contents: String, message: String) async throws {
        let directory = try temporaryDirectory()
        let jar = directory.appendingPathComponent("cookies.txt")
        // An empty contents stands for a file that does not exist.
        if !contents.isEmpty { try contents.write(to: jar, atomically: true, encoding: .utf8) }
        let run = try await CrawlerRun.run(["crawl", "http://127.0.0.1:1/", "--db", directory.appendingPathComponent("c.sqlite").path, "--cookie-jar", jar.path])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--cookie-jar") && run.stderr.contains(message), "\(run.stderr)")
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
