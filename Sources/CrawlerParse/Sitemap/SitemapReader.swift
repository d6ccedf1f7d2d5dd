import CrawlerCore
import Foundation

/// Reads fetched sitemaps: recognizes them, inflates gzip ones and parses them, on a thread of
/// its own so that the cooperative pool never runs a 50 MB parse.
///
/// Sitemaps are parsed here, in the crawler's process, whatever `--parse-model` says: they are
/// a handful per host, not the workload the parse models are measured on, and their links
/// carry `lastmod`, which the worker wire format does not. The reader is a streaming pull
/// parser that never builds a tree, with no network access and no external entities, and
/// the inflated size is capped at 50 MB.
public enum SitemapReader {
    /// Media types a sitemap is served as (or a gzip file); `+xml` feeds are not sitemaps.
    private static let sitemapMediaTypes: Set<String> = ["application/xml", "text/xml", "application/gzip", "application/x-gzip"]

    /// Whether a 2xx response may be a sitemap and is worth reading as one: an XML or gzip media
    /// type, or a URL ending in `.xml` or `.xml.gz` (servers send those as anything). The root
    /// element decides in the end: `read` answers nil for any other document.
    public static func mayBeSitemap(url: NormalizedURL, mediaType: String?) -> Bool {
        if let mediaType, sitemapMediaTypes.contains(mediaType) { return true }
        let path = url.path.lowercased()
        return path.hasSuffix(".xml") || path.hasSuffix(".xml.gz")
    }

    /// The sitemap in `body`, fetched from `url`: gzip is recognized by its magic bytes and
    /// inflated up to `SitemapLimits.maxBytes`; nil when the body is not a sitemap (another XML
    /// document, or not XML). Runs on the caller's thread.
    public static func read(_ body: [UInt8], url: NormalizedURL, maxEntries: Int = SitemapLimits.maxEntries, maxBytes: Int = SitemapLimits.maxBytes) -> SitemapDocument? {
        var xml = body
        var tooLarge = false, corruption: String?
        if SitemapInflater.isGzip(body) {
            let inflated = SitemapInflater.inflate(body, limit: maxBytes)
            xml = inflated.bytes
            tooLarge = inflated.truncated
            corruption = inflated.corruption
        } else if body.count > maxBytes {
            xml = Array(body.prefix(maxBytes))
            tooLarge = true
        }
        guard case .sitemap(var document) = SitemapParser.parse(xml, url: url, maxEntries: maxEntries) else {
            if let corruption, xml.isEmpty {
                // Not even the start inflated: say so rather than pass it off as "not a sitemap".
                return SitemapDocument(kind: .urlset, problem: .sitemap(url: url.string, problem: "is not valid gzip (\(corruption)); nothing could be read"))
            }
            return nil
        }
        // The limit first: reading stopped there, so the XML's own error at the cut is expected.
        if tooLarge {
            document.problem = .sitemap(
                url: url.string,
                problem: "is larger than the protocol's \(maxBytes / (1024 * 1024)) MB once inflated; the \(document.links.count) entries of the first \(maxBytes / (1024 * 1024)) MB were kept and the rest not read (split it into several sitemaps under a sitemap index)")
        } else if let corruption {
            document.problem = .sitemap(url: url.string, problem: "its gzip stream is corrupt (\(corruption)); the \(document.links.count) entries before the damage were kept")
        }
        return document
    }

    /// `read(_:url:)` on a thread of its own (the cooperative pool is not blocked meanwhile);
    /// also returns the CPU seconds the thread used, for the crawl's accounting.
    public static func readOffPool(_ body: [UInt8], url: NormalizedURL) async -> (document: SitemapDocument?, cpuSeconds: Double) {
        await withCheckedContinuation { (done: CheckedContinuation<(document: SitemapDocument?, cpuSeconds: Double), Never>) in
            let thread = Thread {
                let start = CPUTime.currentThread()
                let document = read(body, url: url)
                done.resume(returning: (document, CPUTime.currentThread() - start))
            }
            thread.start()
        }
    }
}
