import CrawlerCore
import CrawlerGraph
import Foundation
import GRDB
import SyntheticWeb
import TestSupport
import Testing

@testable import crawler

/// End to end: sitemaps found through robots.txt and given with `--sitemap`, crawled by the
/// real binary against the synthetic web's answer key.
@Suite(.serialized)
struct SitemapCrawlTests {
    static let web = SyntheticWebConfig(seed: 42, hosts: 3, pages: 90, meanPageKB: 8, port: 0, faults: false, sitemapHost: true)

    /// Rows of `sql` in the crawl database, read off the cooperative pool.
    static func rows(_ database: String, _ sql: String) async throws -> [[String?]] {
        try await onOwnThread {
            let queue = try DatabaseQueue(path: database)
            return try queue.read { db in
                try Row.fetchAll(db, sql: sql).map { row in
                    (0..<row.count).map { column -> String? in
                        switch (row[column] as DatabaseValue).storage {
                        case .null: nil
                        case .int64(let number): String(number)
                        case .double(let number): String(number)
                        case .string(let text): text
                        case .blob: "<blob>"
                        }
                    }
                }
            }
        }
    }

    /// The sitemap host's pages are linked from nowhere; the crawl reaches every one of them
    /// through robots.txt → sitemap index → a gzip and a plain child, under every parse model
    /// (sitemaps are read in the crawler's process whatever the model).
    @Test(arguments: [ParseModel.inline, .processes])
    func sitemapOnlyHostIsCrawledCompletely(parse: ParseModel) async throws {
        let server = try await SyntheticWebServer.start(Self.web)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let run = try await CrawlAnswerKeyTests.crawl(server, database: database, extra: ["--parse", parse.rawValue, "--fetch-concurrency", "8"])
        let key = server.answerKey()
        let origin = server.seedURLs.last!.origin
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        let differences = try CrawlAnswerKeyTests.differences(database: database, key: key)
        #expect(differences.isEmpty, "\(differences.prefix(10))")

        // What the answer key says, spelled out: all twelve pages, two links deep from the index.
        let listed = try await Self.rows(database, """
            SELECT u.url, p.status, p.depth FROM pages p JOIN urls u ON u.id = p.url_id
            WHERE u.url LIKE '\(origin)/listed/%' ORDER BY p.depth, u.url
            """)
        #expect(listed.count == 12)
        #expect(listed.allSatisfy { $0[1] == "200" && $0[2] == "2" }, "\(listed)")
        let sitemaps = try await Self.rows(database, """
            SELECT u.url, p.content_type, p.depth, p.error_kind FROM pages p JOIN urls u ON u.id = p.url_id
            WHERE u.url LIKE '\(origin)/sitemap%' ORDER BY u.url
            """)
        #expect(sitemaps == [
            ["\(origin)/sitemap_index.xml", "application/xml", "0", nil],
            ["\(origin)/sitemaps/more.xml", "application/xml", "1", nil],
            ["\(origin)/sitemaps/pages.xml.gz", "application/gzip", "1", nil],
        ])
        // Each entry's <lastmod> is stored with its link.
        let lastmods = try await Self.rows(database, """
            SELECT t.url, l.lastmod FROM links l JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id
            WHERE l.kind = 'sitemap' ORDER BY t.url
            """)
        #expect(lastmods.count == 16)
        #expect(lastmods.contains(["\(origin)/listed/3.html", "2026-01-03"]))
        #expect(lastmods.contains(["\(origin)/listed/11.html", "2026-01-11"]))
        #expect(lastmods.contains(["\(origin)/sitemaps/pages.xml.gz", "2026-02-01T10:00:00+00:00"]))
        // Other links have none.
        let others = try await Self.rows(database, "SELECT count(*) FROM links WHERE kind <> 'sitemap' AND lastmod IS NOT NULL")
        #expect(others == [["0"]])
    }

    /// `--sitemap URL` alone: a content host's sitemap, which its robots.txt does not name, is
    /// a seed; with --max-depth 1 every page it lists is fetched at depth 1, and nothing deeper.
    @Test func sitemapOptionSeedsASitemap() async throws {
        let server = try await SyntheticWebServer.start(CrawlAnswerKeyTests.smallWeb)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        let sitemapURL = server.seedURLs[1].resolve("/sitemap.xml")!
        let listed = String(decoding: server.model.body(for: sitemapURL) ?? [], as: UTF8.self)
            .components(separatedBy: "<loc>").dropFirst().map { String($0.prefix { $0 != "<" }).replacingOccurrences(of: "&amp;", with: "&") }
        let run = try await CrawlerRun.run(["crawl", "--sitemap", sitemapURL.string, "--db", database, "--max-depth", "1"])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(listed.count > 10)
        let fetched = try await Self.rows(database, "SELECT u.url, p.depth, p.status FROM pages p JOIN urls u ON u.id = p.url_id")
        let byURL = Dictionary(fetched.map { ($0[0]!, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byURL[sitemapURL.string]?[1] == "0")
        for url in listed {
            let normalized = NormalizedURL(url)!.string
            #expect(byURL[normalized]?[1] == "1", "\(normalized)")
            #expect(byURL[normalized]?[2] == "200", "\(normalized)")
        }
        #expect(fetched.allSatisfy { Int($0[1]!)! <= 1 })
        #expect(fetched.count == listed.count + 1)
    }

    @Test func sitemapOptionMustBeAURL() async throws {
        let run = try await CrawlerRun.run(["crawl", "--sitemap", "seeds/sitemaps.txt", "--db", "/nonexistent/x.sqlite"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--sitemap needs an http or https URL"), "\(run.stderr)")
    }
}
