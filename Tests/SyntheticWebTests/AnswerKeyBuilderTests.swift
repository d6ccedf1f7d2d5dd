import CrawlerCore
import Testing
@testable import SyntheticWeb

/// The crawl rules on small hand-made webs: a → b → c → d on one host, with side links.
@Suite("Answer key rules") struct AnswerKeyBuilderTests {
    static func u(_ path: String, host: String = "127.0.0.1:9") -> NormalizedURL { NormalizedURL("http://\(host)\(path)")! }

    /// `/a` links `/b` and (nofollow) `/n`; `/b` links `/c`, `/private/x` and the offsite `/o`;
    /// `/c` (meta nofollow) links `/d`; `/d` links `/e`; `/r` redirects to `/b`.
    static func web(_ url: NormalizedURL) -> CrawlOutcome {
        func page(_ links: [(String, Bool)], metaNofollow: Bool = false) -> CrawlOutcome {
            .document(status: 200, contentType: "text/html", links: links.map {
                ModelLink(target: $0.0.hasPrefix("http") ? NormalizedURL($0.0)! : u($0.0), kind: .a, nofollow: $0.1)
            }, metaNofollow: metaNofollow)
        }
        guard url.authority == "127.0.0.1:9" else { return .failure(kind: "refused") }
        switch url.path {
        case "/a": return page([("/b", false), ("/n", true), ("/r", false)])
        case "/b": return page([("/c", false), ("/private/x", false), ("http://127.0.0.9:9/o", false)])
        case "/c": return page([("/d", false)], metaNofollow: true)
        case "/d": return page([("/e", false)])
        case "/r": return .redirect(status: 301, location: u("/b2"))
        case "/b2", "/n", "/e", "/private/x": return page([])
        default: return .document(status: 404, contentType: "text/html", links: [], metaNofollow: false)
        }
    }

    static func key(_ configure: (inout FrontierOptions) -> Void = { _ in }, ignoreRobots: Bool = false) -> AnswerKey {
        var frontier = FrontierOptions()
        configure(&frontier)
        return AnswerKeyBuilder(
            seeds: [u("/a")], frontier: frontier, ignoreRobots: ignoreRobots, maxRedirects: 10,
            outcome: web, isDisallowed: { $0.path.hasPrefix("/private/") }
        ).build()
    }

    @Test func defaultRules() {
        let key = Self.key()
        func reason(_ path: String, host: String = "127.0.0.1:9") -> String? { key.page(Self.u(path, host: host))?.notFetchedReason }
        #expect(key.page(Self.u("/a"))?.depth == 0)
        #expect(key.page(Self.u("/b"))?.fetched == true)
        #expect(reason("/n") == "nofollow")
        #expect(reason("/private/x") == "robots")
        #expect(reason("/o", host: "127.0.0.9:9") == "scope")
        #expect(key.page(Self.u("/o", host: "127.0.0.9:9"))?.expected == .failure("refused"))
        #expect(key.page(Self.u("/c"))?.fetched == true)
        #expect(reason("/d") == "nofollow", "links of a meta-nofollow page are not followed")
        #expect(key.page(Self.u("/e")) == nil, "pages linked only from unfetched pages are not met")
        #expect(key.links.contains(AnswerKeyLink(source: Self.u("/c"), target: Self.u("/d"), kind: .a, nofollow: false)))
        #expect(key.links.contains(AnswerKeyLink(source: Self.u("/a"), target: Self.u("/n"), kind: .a, nofollow: true)))
    }

    @Test func redirectHopIsItsOwnPageAtTheSameDepth() {
        let key = Self.key()
        #expect(key.page(Self.u("/r"))?.expected == .status(301))
        #expect(key.page(Self.u("/r"))?.contentType == nil)
        #expect(key.page(Self.u("/b2"))?.depth == 1)
        #expect(key.page(Self.u("/b2"))?.fetched == true)
    }

    @Test func maxDepthStopsTheCrawl() {
        let key = Self.key { $0.maxDepth = 1 }
        #expect(key.page(Self.u("/b"))?.fetched == true)
        #expect(key.page(Self.u("/c"))?.notFetchedReason == "depth")
        #expect(key.page(Self.u("/c"))?.depth == 2)
        #expect(key.page(Self.u("/private/x"))?.notFetchedReason == "robots", "intrinsic reasons come first")
    }

    @Test func followNofollowIgnoreRobotsAndScopeAny() {
        let key = Self.key({ $0.followNofollow = true; $0.scope = .any }, ignoreRobots: true)
        for path in ["/n", "/d", "/e", "/private/x"] { #expect(key.page(Self.u(path))?.fetched == true, "\(path)") }
        #expect(key.page(Self.u("/e"))?.depth == 4)
        #expect(key.page(Self.u("/o", host: "127.0.0.9:9"))?.fetched == true)
        #expect(key.page(Self.u("/o", host: "127.0.0.9:9"))?.expected == .failure("refused"))
    }

    @Test func redirectLoopIsOneFailure() {
        let a = Self.u("/loop-a")
        let b = Self.u("/loop-b")
        let key = AnswerKeyBuilder(
            seeds: [a], frontier: FrontierOptions(), ignoreRobots: false, maxRedirects: 10,
            outcome: { $0 == a ? .redirect(status: 302, location: b) : .redirect(status: 302, location: a) },
            isDisallowed: { _ in false }
        ).build()
        #expect(key.pages.map(\.url) == [a])
        #expect(key.pages[0].expected == .failure("too-many-redirects"))
    }

    @Test func aRedirectIntoAForbiddenPathIsNotFollowed() {
        let moved = Self.u("/moved")
        let key = AnswerKeyBuilder(
            seeds: [moved], frontier: FrontierOptions(), ignoreRobots: false, maxRedirects: 10,
            outcome: { $0 == moved ? .redirect(status: 301, location: Self.u("/private/y")) : .document(status: 200, contentType: "text/html", links: [], metaNofollow: false) },
            isDisallowed: { $0.path.hasPrefix("/private/") }
        ).build()
        #expect(key.page(moved)?.expected == .status(301))
        #expect(key.page(moved)?.fetched == true)
        #expect(key.page(Self.u("/private/y"))?.fetched == false)
        #expect(key.page(Self.u("/private/y"))?.notFetchedReason == "robots")
        #expect(key.page(Self.u("/private/y"))?.depth == 1)
    }

    @Test func hrefSpellingsResolveToTheirTargets() {
        let model = SiteModel(config: TestWeb.config(pages: 300), port: 18080)
        let speller = HrefSpeller(port: 18080)
        var rng = SplitMix64(seed: 3, stream: .render)
        let urls = model.contentPageURLs
        for _ in 0..<3000 {
            let target = rng.pick(urls)
            let base = rng.pick(urls)
            let href = speller.spell(target, from: base, rng: &rng)
            #expect(base.resolve(href) == target, "\(href) from \(base)")
        }
    }
}
