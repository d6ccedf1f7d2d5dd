import CompressNIO
import CrawlerCore
import NIOCore

/// The sitemap host: a site whose pages no page links to. Its home page (a seed) links to
/// nothing; its robots.txt names a sitemap index, which lists a gzip child sitemap and a plain
/// one, which list the pages. A crawl reaches the pages only by reading robots.txt's
/// `Sitemap:` line, the index, and both children (`.xml.gz` included): the answer key says
/// exactly which pages and `sitemap` links that gives.
struct SitemapHost: Sendable {
    let layout: HostLayout
    let index: Int
    /// `http://127.0.0.(n):port/`.
    let home: NormalizedURL
    /// The gzip child sitemap, compressed once.
    let gzipChildBody: [UInt8]

    init(layout: HostLayout) {
        self.layout = layout
        index = layout.sitemapHostIndex!
        home = NormalizedURL(layout.origin(index) + "/")!
        var plain = ByteBuffer(string: Self.urlset(origin: layout.origin(index), resources: Self.gzipChildEntries))
        gzipChildBody = (try? Array(plain.compress(with: .gzip()).readableBytesView)) ?? []
    }

    /// The resource of a URL of this host (nil: 404).
    func resource(for url: NormalizedURL) -> SitemapHostResource? {
        url.query == nil ? SitemapHostResource(path: url.path) : nil
    }

    /// The URL of a resource.
    func url(_ resource: SitemapHostResource) -> NormalizedURL {
        NormalizedURL(layout.origin(index) + resource.path)!
    }

    /// The `<lastmod>` of a resource in the sitemaps: a fixed date per page, so the test can
    /// check the stored value.
    static func lastmod(_ resource: SitemapHostResource) -> String {
        switch resource {
        case .page(let number): "2026-01-\(number < 10 ? "0" : "")\(number)"
        case .gzipChild: "2026-02-01T10:00:00+00:00"
        case .plainChild: "2026-02-02"
        default: "2026-01-31"
        }
    }

    private static var gzipChildEntries: [SitemapHostResource] {
        (1...SitemapHostResource.pagesInGzipChild).map(SitemapHostResource.page)
    }

    private static var plainChildEntries: [SitemapHostResource] {
        ((SitemapHostResource.pagesInGzipChild + 1)...SitemapHostResource.pageCount).map(SitemapHostResource.page) + [.home, .hidden]
    }

    private static var indexEntries: [SitemapHostResource] { [.gzipChild, .plainChild] }

    /// The entries a sitemap lists, in order.
    static func entries(of sitemap: SitemapHostResource) -> [SitemapHostResource] {
        switch sitemap {
        case .index: indexEntries
        case .gzipChild: gzipChildEntries
        case .plainChild: plainChildEntries
        default: []
        }
    }

    /// A `<urlset>` of `resources`, each with its lastmod (every other one with a `<priority>`
    /// the crawler ignores, and an image entry whose nested `<image:loc>` is no page).
    private static func urlset(origin: String, resources: [SitemapHostResource]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n"
        for (position, resource) in resources.enumerated() {
            xml += "  <url>\n    <loc>\(origin)\(resource.path)</loc>\n    <lastmod>\(lastmod(resource))</lastmod>\n"
            if position % 2 == 0 { xml += "    <priority>0.5</priority>\n" }
            if position == 0 { xml += "    <image:image><image:loc>\(origin)/images/not-a-page.png</image:loc></image:image>\n" }
            xml += "  </url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// The body of a resource.
    func body(_ resource: SitemapHostResource) -> [UInt8] {
        let origin = layout.origin(index)
        switch resource {
        case .home:
            return FaultHost.simplePage(title: "A site known by its sitemap", text: "No page here links to another; the sitemap lists them all.", links: [])
        case .robots:
            return Array("""
                # robots.txt of \(layout.authority(index)), the sitemap host of the synthetic web
                User-agent: *
                Disallow: \(SiteModel.disallowedPrefix)

                Sitemap: \(origin)\(SitemapHostResource.index.path)

                """.utf8)
        case .index:
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            for child in Self.indexEntries {
                xml += "  <sitemap><loc>\(origin)\(child.path)</loc><lastmod>\(Self.lastmod(child))</lastmod></sitemap>\n"
            }
            return Array((xml + "</sitemapindex>\n").utf8)
        case .gzipChild:
            return gzipChildBody
        case .plainChild:
            return Array(Self.urlset(origin: origin, resources: Self.plainChildEntries).utf8)
        case .page(let number):
            return FaultHost.simplePage(title: "Listed page \(number)", text: "Only the sitemap links here.", links: [("/", "Home")])
        case .hidden:
            return FaultHost.simplePage(title: "Hidden", text: "robots.txt disallows this page.", links: [])
        }
    }

    /// `Content-Type` of a resource.
    func contentType(_ resource: SitemapHostResource) -> String {
        switch resource {
        case .robots: "text/plain; charset=utf-8"
        case .index, .plainChild: "application/xml"
        case .gzipChild: "application/gzip"
        case .home, .page, .hidden: SiteModel.htmlUTF8
        }
    }

    /// What a crawl sees when it fetches a resource: sitemaps link to their entries (kind
    /// `sitemap`), listed pages to the home page.
    func outcome(_ resource: SitemapHostResource) -> CrawlOutcome {
        let links: [ModelLink]
        switch resource {
        case .index, .gzipChild, .plainChild:
            links = Self.entries(of: resource).map { ModelLink(target: url($0), kind: .sitemap, nofollow: false) }
        case .page:
            links = [ModelLink(target: home, kind: .a, nofollow: false)]
        case .home, .robots, .hidden:
            links = []
        }
        return .document(status: 200, contentType: contentType(resource), links: links, metaNofollow: false)
    }

    /// The sitemaps robots.txt of this host lists.
    var robotsSitemaps: [NormalizedURL] { [url(.index)] }
}
