import CrawlerCore
import CrawlerGraph
import Foundation
import SyntheticWeb
import Testing

/// End to end: the real binary crawls the synthetic web, and the database must hold exactly
/// the answer key's pages and links, under every fetch × parse combination.
@Suite(.serialized)
struct CrawlAnswerKeyTests {
    static let smallWeb = SyntheticWebConfig(seed: 42, hosts: 3, pages: 90, meanPageKB: 8, port: 0)

    /// The stored crawl compared with the answer key; an empty list means an exact match.
    static func differences(database: String, key: AnswerKey) throws -> [String] {
        let store = try GraphStore(path: database, createIfMissing: false)
        var differences: [String] = []
        let pages = Dictionary(try store.storedPages().map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        let fetched = key.pages.filter(\.fetched)
        for page in fetched {
            guard let row = pages[page.url.string] else {
                differences.append("missing page \(page.url)")
                continue
            }
            let outcome = row.status.map(String.init) ?? row.errorKind ?? "none"
            if outcome != "\(page.expected)" { differences.append("\(page.url): stored \(outcome), expected \(page.expected)") }
        }
        let expectedURLs = Set(fetched.map(\.url.string))
        // URLs robots.txt forbids are stored too, with error `robots` and never fetched.
        let forbidden = Set(key.pages.filter { $0.notFetchedReason == "robots" }.map(\.url.string))
        for (url, row) in pages where !expectedURLs.contains(url) && !(row.errorKind == "robots" && forbidden.contains(url)) {
            differences.append("unexpected page \(url)")
        }
        let storedLinks = Set(try store.storedLinks().filter { $0.kind != "redirect" }.map { "\($0.source) -> \($0.target)" })
        let keyLinks = Set(key.links.map { "\($0.source) -> \($0.target)" })
        differences += keyLinks.subtracting(storedLinks).sorted().map { "missing link \($0)" }
        differences += storedLinks.subtracting(keyLinks).sorted().map { "unexpected link \($0)" }
        return differences
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

    @Test func faultHostOutcomesMatchTheAnswerKey() async throws {
        var config = Self.smallWeb
        config.faults = true
        config.slowResponseSeconds = 4
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let run = try await Self.crawl(server, database: database, extra: ["--timeout", "2"])
        var fetchOptions = FetchOptions()
        fetchOptions.transferTimeoutSeconds = 2
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
        config.latencyMs = 30  // about 6 s of crawling at 4 in flight: every kill lands mid-crawl
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for attempt in 0..<4 {
            let arguments = attempt == 0
                ? ["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "4"]
                : ["crawl", "--resume", "--db", database, "--fetch-concurrency", "4"]
            let crawler = try CrawlerRun.start(arguments)
            // The first crawl must have created the database before it is killed, or there is
            // nothing to resume: on a loaded machine starting the binary alone can take 300 ms.
            for _ in 0..<600 where attempt == 0 && !FileManager.default.fileExists(atPath: database) {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(nanoseconds: UInt64.random(in: 300_000_000...1_200_000_000, using: &generator))
            crawler.send(SIGKILL)
            let run = await crawler.finish()
            if run.status == SIGKILL { kills += 1 }  // killed, not finished
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
        config.latencyMs = 20  // about 3 s of crawling at 4 in flight: the interrupt lands mid-crawl
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let crawler = try CrawlerRun.start(["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "4"])
        try await Task.sleep(nanoseconds: 1_500_000_000)
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
