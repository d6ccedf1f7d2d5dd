import CrawlerCore

/// robots.txt of every synthetic host: a group that shuts out two named bots, and a `*` group
/// that disallows `/private/` but allows `/private/press/` (the longer rule wins, RFC 9309).
/// The answer key applies the same rules through `isDisallowedByRobots`.
///
/// The content and fault hosts serve `/sitemap.xml` but do not name it in robots.txt: a crawl
/// that read it would reach every page at depth 1, and these hosts are there to test link
/// discovery, depths and nofollow. The sitemap host's robots.txt names its sitemap index
/// (`SitemapHost`).
extension SiteModel {
    /// The prefix every host disallows for `*`.
    static let disallowedPrefix = "/private/"
    /// The longer prefix every host allows again for `*`.
    static let allowedPrefix = "/private/press/"

    /// The robots.txt of a host.
    func robotsText(host: Int) -> String {
        """
        # robots.txt of \(layout.authority(host)), a host of the synthetic web (seed \(config.seed))
        User-agent: BadBot
        User-agent: EvilScraper
        Disallow: /

        User-agent: *
        Allow: \(Self.allowedPrefix)
        Disallow: \(Self.disallowedPrefix)

        """
    }

    /// Whether the `*` group of robots.txt disallows `url` (longest match; Allow wins ties).
    func isDisallowedByRobots(_ url: NormalizedURL) -> Bool {
        guard let host = layout.hostIndex(of: url), host < layout.servedHostCount else { return false }
        let path = url.pathAndQuery
        return path.hasPrefix(Self.disallowedPrefix) && !path.hasPrefix(Self.allowedPrefix)
    }

    /// The XML sitemap of a host: its pages that robots.txt allows.
    func sitemapXML(host: Int) -> String {
        var urls: [NormalizedURL] = []
        if host < config.hosts {
            urls = hostPageRanges[host].map { pages[$0].url }.filter { !isDisallowedByRobots($0) }
        } else if let faults {
            urls = [faults.home]
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for url in urls {
            xml += "  <url><loc>\(HTMLWriter.escapeAttribute(url.string))</loc><changefreq>weekly</changefreq></url>\n"
        }
        xml += "</urlset>\n"
        return xml
    }
}
