import CompressNIO
import CrawlerCore
import NIOCore
import Testing
@testable import SyntheticWeb

/// The sitemap host: its pages are linked from nowhere but its sitemaps, and the answer key
/// reaches them only through robots.txt's `Sitemap:` line, the index and both children.
@Suite("the sitemap host") struct SitemapHostTests {
    static func config(faults: Bool = false) -> SyntheticWebConfig {
        var config = TestWeb.config(faults: faults)
        config.sitemapHost = true
        return config
    }

    @Test func itIsTheAddressAfterTheFaultHostAndASeed() {
        let model = SiteModel(config: Self.config(faults: true), port: 8080)
        #expect(model.layout.sitemapHostIndex == 4)
        #expect(model.layout.offsiteHostIndex == 5)
        #expect(model.layout.servedHostCount == 5)
        #expect(model.seedURLs.last?.string == "http://127.0.0.5:8080/")
        // Without it, the layout is as it was.
        let plain = SiteModel(config: TestWeb.config(faults: true), port: 8080)
        #expect(plain.layout.sitemapHostIndex == nil)
        #expect(plain.layout.offsiteHostIndex == 4)
    }

    @Test func robotsNamesTheIndexAndTheIndexItsChildren() async throws {
        try await TestWeb.with(Self.config()) { server in
            let home = server.seedURLs.last!
            let robots = try await server.get(home.resolve("/robots.txt")!)
            #expect(robots.text.contains("Sitemap: \(home.origin)/sitemap_index.xml\n"))
            let index = try await server.get(home.resolve("/sitemap_index.xml")!)
            #expect(index.header("Content-Type") == "application/xml")
            #expect(index.text.contains("<sitemapindex"))
            #expect(index.text.contains("<loc>\(home.origin)/sitemaps/pages.xml.gz</loc>"))
            #expect(index.text.contains("<loc>\(home.origin)/sitemaps/more.xml</loc>"))
            let child = try await server.get(home.resolve("/sitemaps/pages.xml.gz")!)
            #expect(child.header("Content-Type") == "application/gzip")
            var compressed = ByteBuffer(bytes: child.body)
            let xml = String(buffer: try compressed.decompress(with: .gzip()))
            #expect(xml.contains("<loc>\(home.origin)/listed/1.html</loc>"))
            #expect(xml.contains("<lastmod>2026-01-08</lastmod>"))
            // The home page links to nothing: only the sitemaps lead to the listed pages.
            let page = try await server.get(home)
            #expect(!page.text.contains("<a "))
        }
    }

    @Test func answerKeyReachesEveryListedPageThroughTheSitemaps() {
        let model = SiteModel(config: Self.config(), port: 8080)
        let key = model.answerKey()
        let origin = model.seedURLs.last!.origin
        func page(_ path: String) -> AnswerKeyPage? { key.page(NormalizedURL(origin + path)!) }
        #expect(page("/")?.depth == 0)
        #expect(page("/sitemap_index.xml")?.fetched == true)
        #expect(page("/sitemap_index.xml")?.depth == 0)
        #expect(page("/sitemaps/pages.xml.gz")?.depth == 1)
        #expect(page("/sitemaps/more.xml")?.depth == 1)
        for number in 1...12 {
            #expect(page("/listed/\(number).html")?.fetched == true, "page \(number)")
            #expect(page("/listed/\(number).html")?.depth == 2, "page \(number)")
        }
        #expect(page("/private/hidden.html")?.notFetchedReason == "robots")
        #expect(page("/images/not-a-page.png") == nil)  // an image extension's loc is no entry
        let sitemapLinks = key.links.filter { $0.kind == .sitemap }
        // index → 2 children, gzip child → 8 pages, plain child → 4 pages, home, hidden.
        #expect(sitemapLinks.count == 2 + 8 + 6)
        #expect(sitemapLinks.allSatisfy { $0.source.origin == origin })
        // Ignoring robots.txt, nothing names the sitemaps: the listed pages are out of reach.
        #expect(model.answerKey(ignoreRobots: true).page(NormalizedURL(origin + "/listed/1.html")!) == nil)
    }

    @Test func aWebWithoutItHasNoSitemapLinks() {
        let key = SiteModel(config: TestWeb.config(faults: true), port: 8080).answerKey()
        #expect(!key.links.contains { $0.kind == .sitemap })
        #expect(!key.pages.contains { $0.url.path.hasSuffix(".xml") })
    }
}
