import CrawlerCore
import CrawlerFetch
import CrawlerGraph
import Foundation
import Synchronization
import Testing
@testable import Crawler

/// The pipeline's sitemap handling on the real SQLite store, with a fetcher whose robots.txt
/// names sitemaps: seeded at depth 0 within scope only, read as sitemaps, their entries
/// admitted one hop further with their lastmod, a broken one recorded with what it kept.
struct SitemapPipelineTests {
    /// One host: `/` links nowhere; robots.txt names `/sitemap.xml` (two pages), `/broken.xml`
    /// (one entry, then malformed) and a sitemap on another host, out of scope.
    final class SitemapWeb: PageFetcher, PageParser {
        let robotsRead = Mutex<Set<String>>([])
        let fetched = Mutex<[String]>([])

        static let sitemap = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>http://127.0.0.2:8080/a.html</loc><lastmod>2026-04-01</lastmod></url>
              <url><loc>http://127.0.0.2:8080/b.html</loc></url>
              <url><loc>http://127.0.0.9:8080/elsewhere.html</loc></url>
            </urlset>
            """
        static let broken = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>http://127.0.0.2:8080/c.html</loc></url>
              <url><loc>http://127.0.0.2:8080/d.html</lox></url>
            </urlset>
            """

        func admission(for url: NormalizedURL) -> HostAdmission {
            robotsRead.withLock { $0.contains(url.origin) } ? .start(nil) : .fetchRobots
        }

        func fetchRobots(for url: NormalizedURL) async -> [NormalizedURL] {
            robotsRead.withLock { _ = $0.insert(url.origin) }
            return [FakeWeb.url("/sitemap.xml"), FakeWeb.url("/broken.xml"), FakeWeb.url("/sitemap.xml", host: 9)]
        }

        func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
            fetched.withLock { $0.append(url.string) }
            let (type, body): (String, String) = switch url.path {
            case "/sitemap.xml": ("application/xml", Self.sitemap)
            case "/broken.xml": ("text/xml", Self.broken)
            default: ("text/html", "<html><body>\(url.path)</body></html>")
            }
            return .success(FetchResponse(requestedURL: url, finalURL: url, status: 200, headers: ResponseHeaders(contentType: type), body: Array(body.utf8)))
        }

        func parse(_ response: FetchResponse) async -> Result<ParsedPage, ParseError> {
            #expect(response.headers.isHTML, "a sitemap reached the HTML parser: \(response.finalURL)")
            return .success(ParsedPage(url: response.finalURL))
        }

        func shutdown() async {}
    }

    @Test func robotsSitemapsAreSeedsAndTheirEntriesLinks() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sitemaps-\(UUID().uuidString).sqlite").path
        let graph = try GraphStore(path: path)
        let web = SitemapWeb()
        let seeds = [FakeWeb.url("/")]
        let pipeline = CrawlPipeline(
            fetcher: web, parser: web, store: SQLiteCrawlStore(store: graph, run: nil),
            policy: try FrontierPolicy(options: FrontierOptions(), seeds: seeds), seeds: seeds, inFlightLimit: 4)
        let summary = try await pipeline.run()

        let pages = Dictionary(uniqueKeysWithValues: try graph.storedPages().map { ($0.url, $0) })
        #expect(Set(pages.keys) == Set(["/", "/sitemap.xml", "/broken.xml", "/a.html", "/b.html", "/c.html"].map { FakeWeb.url($0).string }))
        #expect(pages[FakeWeb.url("/sitemap.xml").string]?.depth == 0)
        #expect(pages[FakeWeb.url("/a.html").string]?.depth == 1)
        #expect(pages[FakeWeb.url("/c.html").string]?.depth == 1)
        // Out of scope: neither the other host's sitemap nor the entry on that host was fetched.
        #expect(!web.fetched.withLock { $0 }.contains { $0.contains("127.0.0.9") })
        // The broken sitemap kept its first entry and says what happened.
        #expect(pages[FakeWeb.url("/broken.xml").string]?.errorKind == "sitemap")
        #expect(pages[FakeWeb.url("/sitemap.xml").string]?.errorKind == nil)
        #expect(summary.errors == 1)

        let links = try graph.storedLinks().filter { $0.kind == "sitemap" }
        #expect(Set(links.map(\.target)) == Set(["/a.html", "/b.html", "/c.html"].map { FakeWeb.url($0).string } + [FakeWeb.url("/elsewhere.html", host: 9).string]))
        let lastmods = try await SQLitePipelineTests().sqlite(
            path, "SELECT t.url, l.lastmod FROM links l JOIN urls t ON t.id = l.target_id WHERE l.lastmod IS NOT NULL")
        #expect(lastmods == [[FakeWeb.url("/a.html").string, "2026-04-01"]])
    }
}
