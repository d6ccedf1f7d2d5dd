import CrawlerCore

/// What a sitemap lists (sitemaps.org protocol 0.9): the URLs of a `<urlset>`, or the child
/// sitemaps of a `<sitemapindex>`, each as a link of kind `sitemap` with its `<lastmod>`.
///
/// A sitemap that breaks the protocol keeps what could be read: the first 50,000 entries of a
/// longer one, the entries of the first 50 MB of a larger one, the entries before the error
/// of a malformed one. `problem` then says what was lost.
public struct SitemapDocument: Sendable, Hashable {
    /// The root element.
    public enum Kind: String, Sendable, Hashable {
        /// `<urlset>`: pages.
        case urlset
        /// `<sitemapindex>`: other sitemaps.
        case sitemapIndex = "sitemapindex"
    }

    /// The root element: pages or sitemaps.
    public var kind: Kind
    /// One link per `<loc>` kept, in document order, resolved against the sitemap's URL;
    /// `lastmod` holds the entry's `<lastmod>`.
    public var links: [Link]
    /// Entries past `SitemapLimits.maxEntries`, not kept.
    public var droppedEntries: Int
    /// `<loc>` values that are not http(s) URLs, skipped.
    public var invalidEntries: Int
    /// What was wrong (too many entries, too large, malformed XML, corrupt gzip); nil when nothing.
    public var problem: ParseError?

    /// A document as read.
    public init(kind: Kind, links: [Link] = [], droppedEntries: Int = 0, invalidEntries: Int = 0, problem: ParseError? = nil) {
        self.kind = kind
        self.links = links
        self.droppedEntries = droppedEntries
        self.invalidEntries = invalidEntries
        self.problem = problem
    }
}

/// The limits of the sitemaps.org protocol, which the crawler enforces.
public enum SitemapLimits {
    /// URLs one sitemap (or sitemap index) may list; the rest are dropped and reported.
    public static let maxEntries = 50_000
    /// Bytes a sitemap may have once inflated (50 MB, 52,428,800 bytes); read no further.
    public static let maxBytes = 50 * 1024 * 1024
}
