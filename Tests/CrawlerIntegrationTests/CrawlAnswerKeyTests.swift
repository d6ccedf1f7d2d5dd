import CrawlerCore
import CrawlerGraph
import Foundation
import GRDB
import SyntheticWeb
import TestSupport
import Testing

@testable import crawler

/// End to end: the real binary crawls the synthetic web, and the database must hold exactly
/// the answer key's pages and links, under every fetch × parse combination.
@Suite(.serialized)
struct CrawlAnswerKeyTests {
    static let smallWeb = SyntheticWebConfig(seed: 42, hosts: 3, pages: 90, meanPageKB: 8, port: 0)

    /// The stored crawl compared with the answer key (the demo's check, which holds breadth-first
    /// depths exact whatever order pages finish in); empty when they match exactly.
    static func differences(database: String, key: AnswerKey) throws -> [String] {
        let store = try GraphStore(path: database, createIfMissing: false)
        let check = AnswerKeyCheck(key: key, pages: try store.storedPages(), links: try store.storedLinks())
        return check.isExact ? [] : [check.report]
    }

    /// Pages the crawl database at `path` holds so far, read through a read-only connection
    /// (nothing written, no migration run) off the cooperative pool; 0 before the crawler has
    /// created it.
    static func storedPageCount(_ path: String) async -> Int {
        await onOwnThread {
            guard FileManager.default.fileExists(atPath: path) else { return 0 }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(1)
            guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return 0 }
            return (try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pages") ?? 0 }) ?? 0
        }
    }

    /// Waits until `crawler` has stored `pages` pages in `database` (or has exited, or two
    /// minutes have passed); the count last seen.
    static func waitForProgress(_ crawler: RunningCrawler, database: String, pages: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(120)
        var stored = await storedPageCount(database)
        while stored < pages, crawler.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            stored = await storedPageCount(database)
        }
        return stored
    }

    static func crawl(_ server: SyntheticWebServer, database: String, extra: [String] = []) async throws -> CrawlerRun {
        try await CrawlerRun.run(["crawl"] + server.seedURLs.map(\.string) + ["--db", database] + extra)
    }

    @Test(arguments: FetchModel.allCases, ParseModel.allCases)
    func everyModelFindsExactlyTheAnswerKey(fetch: FetchModel, parse: ParseModel) async throws {
        let server = try await SyntheticWebServer.start(Self.smallWeb)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let run = try await Self.crawl(server, database: database, extra: ["--fetch", fetch.rawValue, "--parse", parse.rawValue, "--fetch-concurrency", "8"])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        let differences = try Self.differences(database: database, key: server.answerKey())
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    /// Documentation pages: hundreds of links a page, most of them a sidebar repeated on every
    /// page as `../` references, self links by fragment, and targets met several times on a
    /// page with different kinds and nofollow. Each page's link set must still be exact.
    @Test(arguments: [ParseModel.threads, .processes])
    func documentationPagesGiveExactlyTheAnswerKey(parse: ParseModel) async throws {
        let config = SyntheticWebConfig(seed: 7, hosts: 2, pages: 120, meanPageKB: 24, port: 0, profile: .docs)
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let run = try await Self.crawl(server, database: database, extra: ["--parse", parse.rawValue, "--fetch-concurrency", "8"])
        let key = server.answerKey()
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        // The profile is what it says: most links are the sidebar, repeated page after page.
        let fetched = key.pages.filter(\.fetched).count
        #expect(key.links.count >= 40 * fetched, "\(key.links.count) links on \(fetched) pages")
        let differences = try Self.differences(database: database, key: key)
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    /// By default the stylesheets, logos and scripts every page loads are links in the graph
    /// but are never fetched; `--follow-resources` fetches them too (as `wget -p`), and each
    /// crawl is exactly its own answer key.
    @Test func resourcesAreFollowedOnlyWhenAsked() async throws {
        let server = try await SyntheticWebServer.start(Self.smallWeb)
        let directory = try temporaryDirectory()
        let plain = directory.appendingPathComponent("plain.sqlite").path
        let following = directory.appendingPathComponent("resources.sqlite").path
        let plainRun = try await Self.crawl(server, database: plain, extra: ["--fetch-concurrency", "8"])
        let followingRun = try await Self.crawl(server, database: following, extra: ["--fetch-concurrency", "8", "--follow-resources"])
        var frontier = FrontierOptions()
        frontier.followResources = true
        let key = server.answerKey(), followingKey = server.answerKey(frontier: frontier)
        try await server.shutdown()
        #expect(plainRun.status == 0, "\(plainRun.stderr)")
        #expect(followingRun.status == 0, "\(followingRun.stderr)")
        #expect(try Self.differences(database: plain, key: key).isEmpty)
        #expect(try Self.differences(database: following, key: followingKey).isEmpty)

        let resources = key.links.filter { $0.role == .resource }
        #expect(Set(resources.map(\.kind)) == [.link, .img, .script])
        let plainPages = Set(try GraphStore(path: plain, createIfMissing: false).storedPages().map(\.url))
        let followingPages = Set(try GraphStore(path: following, createIfMissing: false).storedPages().map(\.url))
        #expect(!resources.contains { plainPages.contains($0.target.string) }, "a resource was fetched by default")
        let fetchedResources = Set(resources.map(\.target.string)).intersection(followingPages)
        #expect(fetchedResources.contains { $0.hasSuffix(".css") } && fetchedResources.contains { $0.hasSuffix(".png") } && fetchedResources.contains { $0.hasSuffix(".js") })
        #expect(followingPages.isSuperset(of: plainPages))
    }

    @Test func faultHostOutcomesMatchTheAnswerKey() async throws {
        var config = Self.smallWeb
        config.faults = true
        // Seconds, not fractions: a loaded machine stretches every transfer, and only /slow
        // (stalled for many times the timeout) may time out.
        config.slowResponseSeconds = 30
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let run = try await Self.crawl(server, database: database, extra: ["--timeout", "5"])
        var fetchOptions = FetchOptions()
        fetchOptions.transferTimeoutSeconds = 5
        let key = server.answerKey(frontier: FrontierOptions(), fetch: fetchOptions)
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        let differences = try Self.differences(database: database, key: key)
        #expect(differences.isEmpty, "\(differences.prefix(10))")
        #expect(run.stdout.contains("timeout"))
        #expect(run.stdout.contains("too-large"))
    }

    @Test func killedCrawlsResumeToTheAnswerKey() async throws {
        var config = Self.smallWeb
        config.pages = 800
        config.latencyMs = 30  // about 6 s of crawling at 4 in flight
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for attempt in 0..<4 {
            let arguments = attempt == 0
                ? ["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "4"]
                : ["crawl", "--resume", "--db", database, "--fetch-concurrency", "4"]
            // Each kill lands mid-crawl, whatever the machine's speed: once this run has stored
            // a few more pages (a random number), plus a random moment; four runs store a few
            // hundred of the 800 pages at most, so the crawl is never over when one is killed.
            let stored = await Self.storedPageCount(database)
            let crawler = try CrawlerRun.start(arguments)
            let seen = try await Self.waitForProgress(crawler, database: database, pages: stored + Int.random(in: 10...60, using: &generator))
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...300, using: &generator)))
            crawler.send(SIGKILL)
            let run = await crawler.finish()
            #expect(run.signaled, "run \(attempt) ended before the kill (\(seen) pages stored): \(run.stderr)")
            if run.signaled && run.status == SIGKILL { kills += 1 }  // killed, not finished
        }
        let final = try await CrawlerRun.run(["crawl", "--resume", "--db", database])
        let key = server.answerKey()
        try await server.shutdown()
        #expect(final.status == 0, "\(final.stderr)")
        #expect(kills == 4)
        let differences = try Self.differences(database: database, key: key)
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    @Test func ctrlCStopsCleanlyAndSaysHowToResume() async throws {
        var config = Self.smallWeb
        config.pages = 600
        config.latencyMs = 20  // about 3 s of crawling at 4 in flight
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let crawler = try CrawlerRun.start(["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "4"])
        // The interrupt lands mid-crawl, whatever the machine's speed: once pages are stored (so
        // the crawl, and its handler, have started), with hundreds still to fetch.
        let stored = try await Self.waitForProgress(crawler, database: database, pages: 20)
        if stored < 20 { crawler.send(SIGKILL) }
        try #require(stored >= 20, "the crawl stored \(stored) pages before it ended or stalled")
        crawler.send(SIGINT)
        let run = await crawler.finish()
        #expect(run.status == 130, "\(run.stderr)")
        #expect(run.stdout.contains("Stopped with"))
        #expect(run.stdout.contains("crawler crawl --resume --db \(database)"))
        let resumed = try await CrawlerRun.run(["crawl", "--resume", "--db", database])
        let key = server.answerKey()
        try await server.shutdown()
        #expect(resumed.status == 0)
        let differences = try Self.differences(database: database, key: key)
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }
}
