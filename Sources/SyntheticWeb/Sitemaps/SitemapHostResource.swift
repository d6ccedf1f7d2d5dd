/// A URL of the sitemap host.
enum SitemapHostResource: Sendable, Hashable {
    /// `/`: the seed; it links to nothing.
    case home
    /// `/robots.txt`: the usual rules, and the `Sitemap:` line of the index.
    case robots
    /// `/sitemap_index.xml`: a sitemap index of the two child sitemaps.
    case index
    /// `/sitemaps/pages.xml.gz`: a gzip urlset of the first pages.
    case gzipChild
    /// `/sitemaps/more.xml`: a plain urlset of the other pages, the home page again and a page
    /// robots.txt disallows.
    case plainChild
    /// `/listed/N.html` (N from 1): a page found only in a sitemap; links back to `/`.
    case page(Int)
    /// `/private/hidden.html`: listed, but disallowed by robots.txt.
    case hidden

    /// Pages the sitemaps list (`/listed/1.html` … ).
    static let pageCount = 12
    /// Of those, the ones in the gzip child (the rest are in the plain one).
    static let pagesInGzipChild = 8

    /// The path of the resource.
    var path: String {
        switch self {
        case .home: "/"
        case .robots: "/robots.txt"
        case .index: "/sitemap_index.xml"
        case .gzipChild: "/sitemaps/pages.xml.gz"
        case .plainChild: "/sitemaps/more.xml"
        case .page(let number): "/listed/\(number).html"
        case .hidden: "/private/hidden.html"
        }
    }

    /// The resource a path names, nil for anything else (404).
    init?(path: String) {
        switch path {
        case "/": self = .home
        case "/robots.txt": self = .robots
        case "/sitemap_index.xml": self = .index
        case "/sitemaps/pages.xml.gz": self = .gzipChild
        case "/sitemaps/more.xml": self = .plainChild
        case "/private/hidden.html": self = .hidden
        default:
            guard path.hasPrefix("/listed/"), path.hasSuffix(".html"),
                let number = Int(path.dropFirst("/listed/".count).dropLast(".html".count)),
                (1...Self.pageCount).contains(number), path == Self.page(number).path
            else { return nil }
            self = .page(number)
        }
    }
}
