import CrawlerCore
import Testing
@testable import SyntheticWeb

@Suite("robots.txt, sitemaps and latency") struct RobotsAndLatencyTests {
    @Test func robotsDisallowsPrivatePagesThatExistAndAreLinked() async throws {
        try await TestWeb.with(TestWeb.config()) { server in
            let home = server.seedURLs[0]
            let robots = try await server.get(home.resolve("/robots.txt")!)
            #expect(robots.status == 200)
            #expect(robots.text.contains("User-agent: *\nAllow: /private/press/\nDisallow: /private/\n"))
            // Content hosts serve /sitemap.xml without naming it: reading it would put every page at depth 1.
            #expect(!robots.text.contains("Sitemap:"))
            let key = server.answerKey()
            let disallowed = key.pages.filter { $0.notFetchedReason == "robots" }
            #expect(!disallowed.isEmpty)
            for page in disallowed {
                #expect(try await server.get(page.url).status == 200, "\(page.url) exists")
                #expect(key.links.contains { $0.target == page.url })
            }
            #expect(key.pages.contains { $0.url.path.hasPrefix("/private/press/") && $0.fetched })
            let ignoring = server.answerKey(ignoreRobots: true)
            for page in disallowed { #expect(ignoring.page(page.url)?.fetched == true) }
        }
    }

    @Test func sitemapIsValidXMLListingAllowedPages() async throws {
        try await TestWeb.with(TestWeb.config()) { server in
            let sitemap = try await server.get(server.seedURLs[1].resolve("/sitemap.xml")!)
            #expect(sitemap.header("Content-Type") == "application/xml")
            #expect(sitemap.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"))
            #expect(sitemap.text.contains("<loc>\(server.seedURLs[1].string)</loc>"))
            #expect(!sitemap.text.contains("/private/p") || sitemap.text.contains("/private/press/"))
            #expect(!sitemap.text.contains("&page") || sitemap.text.contains("&amp;page"))
        }
    }

    @Test func latencyDelaysEveryResponse() async throws {
        var config = TestWeb.config()
        config.latencyMs = 150
        config.jitterMs = 50
        try await TestWeb.with(config) { server in
            let clock = ContinuousClock()
            for url in server.seedURLs {
                let start = clock.now
                _ = try await server.get(url)
                #expect(clock.now - start >= .milliseconds(140))
            }
        }
    }

    @Test func hostHeaderMustAgreeWithTheAddress() async throws {
        try await TestWeb.with(TestWeb.config()) { server in
            let wrong = try await HTTPTestClient.get("127.0.0.1", port: server.port, path: "/", host: "127.0.0.2:\(server.port)")
            #expect(wrong.status == 400)
            let right = try await HTTPTestClient.get("127.0.0.2", port: server.port, path: "/")
            #expect(right.status == 200)
        }
    }
}
