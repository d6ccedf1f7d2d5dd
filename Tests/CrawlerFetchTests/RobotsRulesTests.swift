import CrawlerCore
import Testing

@testable import CrawlerFetch

/// RFC 9309 and Google's path-matching examples, as tables.
struct RobotsRulesTests {
    /// RFC 9309 §5.1.
    static let rfcExample = """
        User-Agent: *
        Disallow: *.gif$
        Disallow: /example/
        Allow: /publications/

        User-Agent: foobot
        Disallow:/
        Allow:/example/page.html
        Allow:/example/allowed.gif

        User-Agent: barbot
        User-Agent: bazbot
        Disallow: /example/page.html

        User-Agent: quxbot

        EOF
        """

    @Test(arguments: [
        // foobot: only the two allowed paths.
        ("foobot", "/example/page.html", true),
        ("foobot", "/example/allowed.gif", true),
        ("foobot", "/example/other.html", false),
        ("foobot", "/", false),
        ("FooBot/2.1 (+http://foo)", "/example/page.html", true),  // product token, any case
        // barbot and bazbot share a group.
        ("barbot", "/example/page.html", false),
        ("barbot", "/example/other.html", true),
        ("bazbot", "/example/page.html", false),
        ("bazbot", "/publications/x", true),
        // quxbot's group is empty: everything allowed, the * group does not apply.
        ("quxbot", "/example/page.html", true),
        ("quxbot", "/a.gif", true),
        // Everyone else falls back to *.
        ("otherbot", "/example/page.html", false),
        ("otherbot", "/publications/x.html", true),
        ("otherbot", "/images/a.gif", false),
        ("otherbot", "/images/a.gif?x", true),  // `$` anchors the end
        ("otherbot", "/robots.txt", true),  // always allowed
    ] as [(String, String, Bool)])
    func rfc9309Example(agent: String, path: String, allowed: Bool) {
        #expect(RobotsRules(parsing: Self.rfcExample, userAgent: agent).allows(path) == allowed)
    }

    /// RFC 9309 §5.2: the longest match wins.
    @Test(arguments: [("/example/page/", true), ("/example/page/disallowed.gif", false), ("/example/page/x.html", true)])
    func longestMatch(path: String, allowed: Bool) {
        let text = "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
        #expect(RobotsRules(parsing: text, userAgent: "foobot").allows(path) == allowed)
    }

    /// Google's path-matching table (developers.google.com/search/docs/crawling-indexing/robots/robots_txt).
    @Test(arguments: [
        ("/", "/", true), ("/", "/anything/at/all", true),
        ("/*", "/", true), ("/*", "/fish", true),
        ("/fish", "/fish", true), ("/fish", "/fish.html", true), ("/fish", "/fish/salmon.html", true),
        ("/fish", "/fishheads", true), ("/fish", "/fishheads/yummy.html", true), ("/fish", "/fish.php?id=anything", true),
        ("/fish", "/Fish.asp", false), ("/fish", "/catfish", false), ("/fish", "/?id=fish", false), ("/fish", "/desert/fish", false),
        ("/fish*", "/fish", true), ("/fish*", "/fishheads/yummy.html", true), ("/fish*", "/catfish", false),
        ("/fish/", "/fish/", true), ("/fish/", "/fish/?id=anything", true), ("/fish/", "/fish/salmon.htm", true),
        ("/fish/", "/fish", false), ("/fish/", "/fish.html", false), ("/fish/", "/animals/fish/", false), ("/fish/", "/Fish/Salmon.asp", false),
        ("/*.php", "/index.php", true), ("/*.php", "/filename.php", true), ("/*.php", "/folder/filename.php", true),
        ("/*.php", "/folder/filename.php?parameters", true), ("/*.php", "/folder/any.php.file.html", true), ("/*.php", "/filename.php/", true),
        ("/*.php", "/", false), ("/*.php", "/windows.PHP", false),
        ("/*.php$", "/filename.php", true), ("/*.php$", "/folder/filename.php", true),
        ("/*.php$", "/filename.php?parameters", false), ("/*.php$", "/filename.php/", false), ("/*.php$", "/filename.php5", false),
        ("/*.php$", "/windows.PHP", false),
        ("/fish*.php", "/fish.php", true), ("/fish*.php", "/fishheads/catfish.php?parameters", true), ("/fish*.php", "/Fish.PHP", false),
    ] as [(String, String, Bool)])
    func googlePathMatching(pattern: String, path: String, matches: Bool) {
        #expect(RobotsRules.matches(pattern: Array(RobotsRules.encodePattern(pattern).utf8)[...], path: Array(path.utf8)[...]) == matches)
    }

    /// Google's order-of-precedence table: longest match, Allow wins ties.
    @Test(arguments: [
        ("allow: /p\ndisallow: /", "/page", true),
        ("allow: /folder\ndisallow: /folder", "/folder/page", true),
        ("allow: /page\ndisallow: /*.htm", "/page.htm", false),
        ("allow: /$\ndisallow: /", "/", true),
        ("allow: /$\ndisallow: /", "/page.htm", false),
    ])
    func precedence(rules: String, path: String, allowed: Bool) {
        #expect(RobotsRules(parsing: "user-agent: *\n" + rules, userAgent: "SwiftCrawler/0.1").allows(path) == allowed)
    }

    @Test func groupsCombineCommentsAndCrawlDelay() {
        let text = """
            # comment
            User-agent: SwiftCrawler # us
            Disallow: /private
            Crawl-delay: 2.5
            Sitemap: http://a/sitemap.xml

            User-agent: *
            Disallow: /

            user-agent: swiftcrawler
            Disallow: /also-private
            """
        let rules = RobotsRules(parsing: text, userAgent: FetchOptions.defaultUserAgent)
        #expect(!rules.allows("/private/x"))
        #expect(!rules.allows("/also-private"))
        #expect(rules.allows("/public"))
        #expect(rules.crawlDelay == 2.5)
    }

    /// `Sitemap:` lines belong to no group, do not end one, and are read whoever we are.
    @Test func sitemapLinesAreCollectedOutsideGroups() {
        let text = """
            Sitemap: http://a.example/first.xml
            User-agent: OtherBot
            Sitemap: http://a.example/second.xml.gz
            Disallow: /

            User-agent: *
            sitemap:   /relative-index.xml   # relative: resolved against robots.txt
            Disallow: /private/
            SITEMAP: http://a.example/first.xml
            Sitemap: notaurl
            Sitemap: ftp://a.example/nope.xml
            Sitemap:
            """
        let robotsURL = NormalizedURL("http://a.example/robots.txt")!
        let rules = RobotsRules(parsing: text, userAgent: FetchOptions.defaultUserAgent, robotsURL: robotsURL)
        #expect(rules.sitemaps.map(\.string) == [
            "http://a.example/first.xml", "http://a.example/second.xml.gz", "http://a.example/relative-index.xml",
            "http://a.example/notaurl",
        ])
        // The Sitemap line inside OtherBot's group did not end it: `*` still applies to us.
        #expect(!rules.allows("/private/x"))
        #expect(rules.allows("/public"))
        // Without the robots.txt's URL, only absolute URLs are kept.
        #expect(RobotsRules(parsing: text, userAgent: "x").sitemaps.map(\.string) == ["http://a.example/first.xml", "http://a.example/second.xml.gz"])
        #expect(RobotsRules.allowAll.sitemaps.isEmpty)
    }

    @Test func emptyDisallowAndNoGroupsAllowEverything() {
        #expect(RobotsRules(parsing: "User-agent: *\nDisallow:\n", userAgent: "x").allows("/a"))
        #expect(RobotsRules(parsing: "", userAgent: "x").allows("/a"))
        #expect(RobotsRules(parsing: "garbage\n<html>", userAgent: "x").allows("/a"))
    }

    @Test func nonASCIIPatternsComparePercentEncoded() {
        let rules = RobotsRules(parsing: "User-agent: *\nDisallow: /foo/bär\nDisallow: /%7Euser\n", userAgent: "x")
        #expect(!rules.allows("/foo/b%C3%A4r"))
        #expect(!rules.allows("/~user/page"))
    }

    @Test(arguments: [
        (200, "User-agent: *\nDisallow: /a", "/a", false),
        (404, "", "/a", true),
        (403, "", "/a", true),
        (500, "", "/a", false),
        (503, "", "/b", false),
        (429, "", "/b", false),
    ] as [(Int, String, String, Bool)])
    func statusOfRobotsTxt(status: Int, body: String, path: String, allowed: Bool) {
        let url = NormalizedURL("http://127.0.0.1/robots.txt")!
        let response = FetchResponse(requestedURL: url, finalURL: url, status: status, body: Array(body.utf8))
        let (rules, _) = RobotsCache.rules(from: .success(response), userAgent: "x")
        #expect(rules.allows(path) == allowed)
    }

    @Test func unreachableRobotsTxtDisallowsForAWhile() {
        let (rules, lifetime) = RobotsCache.rules(from: .failure(.connectionRefused(host: "127.0.0.1")), userAgent: "x")
        #expect(!rules.allows("/"))
        #expect(lifetime == RobotsCache.failureLifetime)
    }
}
