import CrawlerCore

/// What one URL of a served host is.
enum Resource: Sendable, Hashable {
    /// A content page (index into `SiteModel.pages`).
    case content(Int)
    /// `/robots.txt` of a host.
    case robots(host: Int)
    /// `/sitemap.xml` of a host.
    case sitemap(host: Int)
    /// `/static/site.css` of a content host.
    case stylesheet(host: Int)
    /// A page of the fault host.
    case fault(FaultResource)
    /// A URL of the sitemap host.
    case sitemapHost(SitemapHostResource)
    /// Nothing: 404.
    case notFound
}

/// A link as a correct extractor reports it, and as the answer key lists it.
struct ModelLink: Sendable, Hashable {
    /// The normalized target.
    let target: NormalizedURL
    /// The element.
    let kind: LinkKind
    /// The `rel` attribute as written (`stylesheet`, `canonical`, `nofollow`), if any.
    var rel: String? = nil
    /// `rel` contains `nofollow`.
    let nofollow: Bool
}

/// What fetching one URL yields, as the model knows it (and the crawl should see).
enum CrawlOutcome: Sendable, Hashable {
    /// A response with a body: its status, `Content-Type` as sent, the links a correct extractor
    /// finds (empty unless a 2xx HTML page) and whether the page says `<meta name=robots content=nofollow>`.
    case document(status: Int, contentType: String?, links: [ModelLink], metaNofollow: Bool)
    /// A redirect to `location` (resolved).
    case redirect(status: Int, location: NormalizedURL)
    /// A fetch failure, named as `FetchError.kind` names it.
    case failure(kind: String)
}
