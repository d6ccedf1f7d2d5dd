import CrawlerArchive
import CrawlerCore
import CrawlerGraph
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// `crawl --warc`: the archive read back by an independent reader (warcio, from PyPI), against
/// the synthetic web's own bytes.
@Suite(.serialized) struct WARCCommandTests {
    /// The small web with its sitemap-only host: sitemaps are archived (and rebuilt) like pages.
    static let webWithSitemaps = {
        var config = CrawlAnswerKeyTests.smallWeb
        config.sitemapHost = true
        return config
    }()

    /// Every fetched page of the answer key has its response (or a revisit of an identical
    /// payload) in the archive, with the synthetic web's exact bytes and valid digests.
    @Test func archiveReadsBackWholeInWarcio() async throws {
        let server = try await SyntheticWebServer.start(Self.webWithSitemaps)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let archive = directory.appendingPathComponent("archive").path + "/"
        let run = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--warc", archive])
        let key = server.answerKey()
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Archive: \(archive)"), "\(run.stdout)")
        let probe = try await WarcioProbe.read(WARCFileSet(path: archive).existingFiles())
        #expect(probe.errors.isEmpty, "\(probe.errors)")
        try Self.expectComplete(probe, key: key, model: server.model)
        #expect(probe.count("request") == probe.count("response") + probe.count("revisit"))
        #expect(probe.count("warcinfo") == 1)
        #expect(probe.count("metadata") > 0)
        #expect(try CrawlAnswerKeyTests.differences(database: database, key: key).isEmpty)
    }

    /// A crawl killed with SIGKILL midway and resumed with the same --warc: the files read back
    /// whole, with one response per page (a page fetched again after the kill is a revisit).
    @Test func killedAndResumedCrawlLeavesAWholeArchive() async throws {
        var config = CrawlAnswerKeyTests.smallWeb
        config.pages = 600
        config.latencyMs = 20
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let archive = directory.appendingPathComponent("crawl.warc.gz").path
        let crawler = try CrawlerRun.start(["crawl"] + server.seedURLs.map(\.string) + ["--db", database, "--fetch-concurrency", "4", "--warc", archive])
        let stored = try await CrawlAnswerKeyTests.waitForProgress(crawler, database: database, pages: 40)
        crawler.send(SIGKILL)
        let killed = await crawler.finish()
        try #require(killed.signaled, "the crawl ended before the kill (\(stored) pages stored): \(killed.stderr)")
        let resumed = try await CrawlerRun.run(["crawl", "--resume", "--db", database, "--warc", archive])
        let key = server.answerKey()
        try await server.shutdown()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let probe = try await Self.expectWholeAfterResume(archive, key: key, model: server.model)
        #expect(probe.count("warcinfo") == 2)  // one per run
        #expect(try CrawlAnswerKeyTests.differences(database: database, key: key).isEmpty)
    }

    /// `--from-warc` rebuilds, without a request, the graph the archived crawl stored: the same
    /// pages with the same statuses, the same links; and `bench --corpus` parses the archive's
    /// HTML pages.
    @Test func fromWARCRebuildsTheCrawledGraphAndFeedsTheBench() async throws {
        let server = try await SyntheticWebServer.start(Self.webWithSitemaps)
        let directory = try temporaryDirectory()
        let crawled = directory.appendingPathComponent("crawl.sqlite").path
        let archive = directory.appendingPathComponent("crawl.warc.gz").path
        let run = try await CrawlAnswerKeyTests.crawl(server, database: crawled, extra: ["--warc", archive])
        try await server.shutdown()  // nothing is fetched from here on
        #expect(run.status == 0, "\(run.stderr)")

        let rebuilt = directory.appendingPathComponent("rebuilt.sqlite").path
        let rebuild = try await CrawlerRun.run(["crawl", "--from-warc", archive, "--db", rebuilt, "--parse", "processes", "--parse-workers", "2"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        let original = try GraphStore(path: crawled, createIfMissing: false), copy = try GraphStore(path: rebuilt, createIfMissing: false)
        let pages = { (store: GraphStore) in Set(try store.storedPages().filter { $0.status != nil }.map { "\($0.url) \($0.status!)" }) }
        #expect(try pages(copy) == pages(original))
        #expect(try Set(copy.storedLinks()) == Set(original.storedLinks()))
        #expect(try copy.storedLinks().contains { $0.kind == "sitemap" }, "sitemaps are archived and read again as sitemaps")

        let out = directory.appendingPathComponent("bench").path
        let bench = try await CrawlerRun.run(["bench", "--phase", "parse", "--corpus", archive, "--repeat", "1", "--workers", "1", "--out", out])
        #expect(bench.status == 0, "\(bench.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any]
        let rows = try #require(json?["parse"] as? [[String: Any]])
        let htmlPages = try original.storedPages().count { ($0.status ?? 0) / 100 == 2 && $0.contentType?.hasPrefix("text/html") == true }
        #expect(!rows.isEmpty && rows.allSatisfy { $0["pages"] as? Int == htmlPages }, "\(rows.map { $0["pages"] ?? "?" }) vs \(htmlPages)")
    }

    /// An archive that cannot be written (here its second file's name is taken by a folder, as a
    /// full disk would refuse it) stops the crawl: no page is stored without its records, the
    /// user is told how to continue, and the resume, with room again, archives the rest.
    @Test func anArchiveThatCannotBeWrittenStopsTheCrawlAndTheResumeFinishesIt() async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let archive = directory.appendingPathComponent("archive").path + "/"
        let blocker = archive + "crawl-00001.warc.gz"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
        let stopped = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--warc", archive, "--warc-max-size", "64K"])
        #expect(stopped.status == 1, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("The WARC archive stopped") && stopped.stderr.contains("crawl-00001.warc.gz"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("crawler crawl --resume --db \(database) --warc \(archive) --warc-max-size 64K"), "\(stopped.stderr)")
        let first = try await WarcioProbe.read([archive + "crawl-00000.warc.gz"])
        #expect(first.errors.isEmpty, "\(first.errors)")
        let archived = Set(first.responses.keys).union(first.revisits.keys)
        let stored = try GraphStore(path: database, createIfMissing: false).storedPages().filter { $0.status != nil }
        let key = server.answerKey()
        #expect(!stored.isEmpty && stored.count < key.fetchedPages.count, "\(stored.count) of \(key.fetchedPages.count) pages stored")
        let unarchived = stored.map(\.url).filter { !archived.contains($0) }
        #expect(unarchived.isEmpty, "pages stored without their records: \(unarchived.prefix(5))")

        try FileManager.default.removeItem(atPath: blocker)
        let resumed = try await CrawlerRun.run(["crawl", "--resume", "--db", database, "--warc", archive, "--warc-max-size", "64K"])
        try await server.shutdown()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try await Self.expectWholeAfterResume(archive, key: key, model: server.model)
        #expect(try CrawlAnswerKeyTests.differences(database: database, key: key).isEmpty)
    }

    /// A new crawl never writes into an archive that exists.
    @Test func refusesAnExistingArchive() async throws {
        let directory = try temporaryDirectory()
        let archive = directory.appendingPathComponent("old.warc.gz").path
        try Data("someone's archive".utf8).write(to: URL(fileURLWithPath: archive))
        let database = directory.appendingPathComponent("c.sqlite").path
        let run = try await CrawlerRun.run(["crawl", "http://127.0.0.1:9/", "--db", database, "--warc", archive])
        #expect(run.status != 0)
        #expect(run.stderr.contains("already exists: pass --resume"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive)) == Data("someone's archive".utf8))
        #expect(!FileManager.default.fileExists(atPath: database), "the refused crawl created its database")

        // With --fresh, the refusal comes before the old crawl's database is deleted.
        let earlier = directory.appendingPathComponent("earlier.sqlite").path
        _ = try GraphStore(path: earlier)
        let fresh = try await CrawlerRun.run(["crawl", "http://127.0.0.1:9/", "--db", earlier, "--fresh", "--warc", archive])
        #expect(fresh.status != 0)
        #expect(FileManager.default.fileExists(atPath: earlier), "a refused --fresh crawl deleted the database it would have replaced")
    }

    /// The archive at `archive` after a stopped crawl was resumed: it reads back whole, with one
    /// response per page (a page fetched again is a revisit) and every fetched page of the key.
    @discardableResult
    static func expectWholeAfterResume(_ archive: String, key: AnswerKey, model: SiteModel, sourceLocation: SourceLocation = #_sourceLocation) async throws -> WarcioProbe {
        let probe = try await WarcioProbe.read(WARCFileSet(path: archive).existingFiles(), sourceLocation: sourceLocation)
        #expect(probe.errors.isEmpty, "\(probe.errors)", sourceLocation: sourceLocation)
        let duplicated = probe.responses.filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicated.isEmpty, "pages with more than one response record: \(duplicated.prefix(5))", sourceLocation: sourceLocation)
        try expectComplete(probe, key: key, model: model, sourceLocation: sourceLocation)
        return probe
    }

    /// Each fetched page of the key has a response or revisit whose payload digest, as warcio
    /// computed it from the bytes it read, is the digest of the page's body as served.
    static func expectComplete(_ probe: WarcioProbe, key: AnswerKey, model: SiteModel, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var missing: [String] = [], wrong: [String] = []
        for page in key.fetchedPages {
            let uri = page.url.string
            let digests = (probe.responses[uri] ?? []) + (probe.revisits[uri] ?? [])
            guard !digests.isEmpty else {
                missing.append(uri)
                continue
            }
            if let body = model.body(for: page.url), !digests.allSatisfy({ $0 == WARCDigest.sha1(body) }) { wrong.append(uri) }
        }
        #expect(missing.isEmpty, "fetched pages without a record: \(missing.prefix(5)) of \(missing.count)", sourceLocation: sourceLocation)
        #expect(wrong.isEmpty, "records whose payload is not the page served: \(wrong.prefix(5))", sourceLocation: sourceLocation)
    }
}

/// What warcio read from a set of WARC files (`check_digests='raise'`: a wrong block or payload
/// digest is an error).
struct WarcioProbe: Decodable {
    var counts: [String: Int]
    /// Per target URI, the payload digest (sha1:BASE32) warcio computed from each response's
    /// payload as it read it.
    var responses: [String: [String]]
    /// Per target URI, the payload digest each revisit record declares.
    var revisits: [String: [String]]
    var errors: [String]

    func count(_ type: String) -> Int { counts[type] ?? 0 }

    static let script = #"""
import sys, json, hashlib, base64
try:
    from warcio.archiveiterator import ArchiveIterator
except ImportError:
    sys.exit(3)
out = {"counts": {}, "responses": {}, "revisits": {}, "errors": []}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        try:
            for record in ArchiveIterator(f, check_digests="raise"):
                kind = record.rec_type
                out["counts"][kind] = out["counts"].get(kind, 0) + 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if kind == "response":
                    payload = record.content_stream().read()
                    digest = "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()
                    out["responses"].setdefault(uri, []).append(digest)
                elif kind == "revisit":
                    out["revisits"].setdefault(uri, []).append(record.rec_headers.get_header("WARC-Payload-Digest"))
        except Exception as error:
            out["errors"].append(path + ": " + repr(error))
print(json.dumps(out))
"""#

    /// Runs the script on `files` with python3, off the cooperative pool.
    static func read(_ files: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> WarcioProbe {
        try #require(!files.isEmpty, "no WARC file was written", sourceLocation: sourceLocation)
        let python = ProcessInfo.processInfo.environment["CRAWLER_TEST_PYTHON"] ?? "python3"
        let child = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), [python, "-c", script] + files)
        let finished = await child.finish()
        if finished.status == 3 || finished.status == 127 {
            Issue.record("the WARC tests need python3 with warcio: `\(python) -m pip install warcio` (make test installs it), or set CRAWLER_TEST_PYTHON", sourceLocation: sourceLocation)
        }
        try #require(finished.status == 0, "warcio failed: \(finished.standardError)", sourceLocation: sourceLocation)
        return try JSONDecoder().decode(WarcioProbe.self, from: Data(finished.standardOutput.utf8))
    }
}
