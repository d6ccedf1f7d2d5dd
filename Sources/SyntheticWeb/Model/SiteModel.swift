import CrawlerCore
import NIOConcurrencyHelpers
import NIOCore

/// The generated web, read-only: every host, page and link, and the bytes of every page.
/// Built from a configuration and the port (absolute links carry it); usable without a server,
/// e.g. to get HTML for a parse benchmark.
public final class SiteModel: Sendable {
    /// The configuration the web was generated from.
    public let config: SyntheticWebConfig
    /// Which address plays which role.
    public let layout: HostLayout
    let pages: [ContentPage]
    /// The content pages of each host, as ranges of page indexes.
    public let hostPageRanges: [Range<Int>]
    let missingURLs: [NormalizedURL]
    let offsiteURLs: [NormalizedURL]
    let stylesheetURLs: [NormalizedURL]
    /// Every URL of the content hosts that has a resource (404 for any other path).
    private let contentResources: [String: Resource]
    let faults: FaultHost?
    let sitemapHost: SitemapHost?
    /// Rendered content pages, filled lazily; bounded so huge webs do not hold every page.
    private let renderCache = NIOLockedValueBox(RenderCache())

    private struct RenderCache {
        var bodies: [Int: ByteBuffer] = [:]
        var bytes = 0
    }

    /// Rendered pages kept in memory at most (beyond this, pages are rendered per request).
    static let renderCacheLimitBytes = 1 << 30

    /// Generates the web of `config` for hosts listening on `port`.
    public init(config: SyntheticWebConfig, port: Int) {
        self.config = config
        let layout = HostLayout(contentHosts: config.hosts, hasFaultHost: config.faults, hasSitemapHost: config.sitemapHost, port: port)
        self.layout = layout
        let output = SiteGenerator(config: config, layout: layout).generate()
        pages = output.pages
        hostPageRanges = output.hostPageRanges
        missingURLs = output.missingURLs
        offsiteURLs = output.offsiteURLs
        stylesheetURLs = output.stylesheetURLs
        var resources: [String: Resource] = [:]
        resources.reserveCapacity(pages.count + 3 * config.hosts)
        for page in output.pages { resources[page.url.string] = .content(page.index) }
        for host in 0..<config.hosts {
            resources[layout.origin(host) + "/robots.txt"] = .robots(host: host)
            resources[layout.origin(host) + "/sitemap.xml"] = .sitemap(host: host)
            resources[output.stylesheetURLs[host].string] = .stylesheet(host: host)
        }
        contentResources = resources
        faults = layout.faultHostIndex.map { _ in FaultHost(layout: layout, seed: config.seed) }
        sitemapHost = layout.sitemapHostIndex.map { _ in SitemapHost(layout: layout) }
    }

    /// Home pages of the content hosts, then those of the fault host and the sitemap host when
    /// enabled: the seeds.
    public var seedURLs: [NormalizedURL] {
        var seeds = hostPageRanges.map { pages[$0.lowerBound].url }
        if let faults { seeds.append(faults.home) }
        if let sitemapHost { seeds.append(sitemapHost.home) }
        return seeds
    }

    /// Every content page's URL, host by host.
    public var contentPageURLs: [NormalizedURL] { pages.map(\.url) }

    /// "127.0.0.(index+1)".
    public func hostAddress(_ index: Int) -> String { HostLayout.address(index) }

    /// The body served for `url` when it is a page with a fixed body (content pages, robots.txt,
    /// sitemaps, the stylesheet and the fault host's fixed pages); nil for unknown URLs and for
    /// responses that are not a body (redirects, stalls, resets).
    public func body(for url: NormalizedURL) -> [UInt8]? {
        switch resource(for: url) {
        case .content(let index)?: Array(contentBody(index).readableBytesView)
        case .robots(let host)?: Array(robotsText(host: host).utf8)
        case .sitemap(let host)?: Array(sitemapXML(host: host).utf8)
        case .stylesheet?: Array(Self.stylesheet.utf8)
        case .fault(let fault)?: faults?.fixedBody(fault, model: self)
        case .sitemapHost(let resource)?: sitemapHost?.body(resource)
        case .notFound?, nil: nil
        }
    }

    /// What `url` is on a served host; nil when no served host has that authority.
    func resource(for url: NormalizedURL) -> Resource? {
        guard let host = layout.hostIndex(of: url), host < layout.servedHostCount else { return nil }
        if host == layout.faultHostIndex, let faults {
            if url.path == "/robots.txt" { return .robots(host: host) }
            if url.path == "/sitemap.xml" { return .sitemap(host: host) }
            return faults.resource(for: url).map(Resource.fault) ?? .notFound
        }
        if host == layout.sitemapHostIndex, let sitemapHost {
            return sitemapHost.resource(for: url).map(Resource.sitemapHost) ?? .notFound
        }
        return contentResources[url.string] ?? .notFound
    }

    /// The URL a link target stands for.
    func url(of target: TargetRef) -> NormalizedURL {
        switch target {
        case .page(let index): pages[index].url
        case .missing(let index): missingURLs[index]
        case .offsite(let index): offsiteURLs[index]
        case .stylesheet(let host): stylesheetURLs[host]
        }
    }

    /// The links a correct extractor finds on a content page: its `links` in document order,
    /// then its images and script (root-relative, so resolved against the page's base).
    func links(ofContentPage index: Int) -> [ModelLink] {
        let page = pages[index]
        var links = page.links.map { spec in
            let rel: String? = switch spec.role {
            case .stylesheet: "stylesheet"
            case .canonical: "canonical"
            default: nil
            }
            return ModelLink(target: url(of: spec.target), kind: spec.kind, rel: rel, nofollow: spec.nofollow)
        }
        let base = page.base ?? page.url
        for resource in page.resourcePaths {
            guard let target = base.resolve(resource.path) else { continue }
            links.append(ModelLink(target: target, kind: resource.kind, nofollow: false))
        }
        return links
    }

    /// The rendered HTML of a content page, rendered once and then shared (a `ByteBuffer` is
    /// copy-on-write, so every response writes the same storage).
    func contentBody(_ index: Int) -> ByteBuffer {
        if let cached = renderCache.withLockedValue({ $0.bodies[index] }) { return cached }
        let bytes = ContentPageRenderer(model: self, speller: HrefSpeller(port: layout.port)).render(pages[index])
        let body = ByteBuffer(bytes: bytes)
        return renderCache.withLockedValue { cache in
            if let raced = cache.bodies[index] { return raced }
            guard cache.bytes + body.readableBytes <= Self.renderCacheLimitBytes else { return body }
            cache.bodies[index] = body
            cache.bytes += body.readableBytes
            return body
        }
    }

    /// `Content-Type` of HTML pages served in UTF-8.
    static let htmlUTF8 = "text/html; charset=utf-8"

    /// The shared stylesheet of the content hosts.
    static let stylesheet = """
        body { font-family: Georgia, serif; line-height: 1.5; }
        .wrapper { margin: 0 auto; max-width: 48em; }
        a { color: #224; }

        """
}
