import CrawlerCore

/// One generated content page: where it lives, what it links to (in document order) and the
/// page-level traits the renderer and the answer key both read.
struct ContentPage: Sendable {
    /// Index into `SiteModel.pages`.
    let index: Int
    /// Content host index.
    let host: Int
    /// Index among the host's pages; 0 is the home page.
    let local: Int
    /// The page's one URL.
    let url: NormalizedURL
    /// Under the robots-disallowed `/private/` (but not the allowed `/private/press/`).
    let isDisallowed: Bool
    /// `<meta name="robots" content="nofollow">`.
    let metaNofollow: Bool
    /// `<meta name="robots" content="noindex">` (no effect on crawling; realism).
    let metaNoindex: Bool
    /// The resolved `<base href>`, when the page has one.
    let base: NormalizedURL?
    /// Roughly how many bytes the rendered page has.
    let targetBytes: Int
    /// Words of the title.
    let title: String
    /// Outgoing links in document order.
    var links: [LinkSpec]
}

/// A link as the generator decided it: its canonical target and the element it is written in.
/// How the href is spelled is the renderer's choice; every spelling resolves to `target`.
struct LinkSpec: Sendable, Hashable {
    /// The canonical target.
    let target: TargetRef
    /// The element.
    let kind: LinkKind
    /// `rel="nofollow"` on the element.
    let nofollow: Bool
    /// Where in the page it goes.
    let role: Role

    /// Where in the page a link goes.
    enum Role: Sendable, Hashable {
        /// `<link rel="stylesheet">` in the head.
        case stylesheet
        /// `<link rel="canonical">` in the head.
        case canonical
        /// The breadcrumb's home link.
        case home
        /// A child in the spanning tree ("In this section").
        case child
        /// A link in the running text, lists or tables.
        case body
        /// An `<area>` of an image map.
        case area
        /// An `<iframe>`.
        case iframe
        /// `href="#top"`: the page itself.
        case topOfPage
        /// The sidebar's table of contents, the same on every page of a host (docs profile).
        case navigation
        /// "On this page": a fragment-only link to a heading, so the page itself (docs profile).
        case onThisPage
        /// "Previous" and "Next" at the foot of the article (docs profile).
        case pager
    }
}

/// A URL the model knows, by table index (URLs are built once, not per link).
enum TargetRef: Sendable, Hashable {
    /// A content page (`SiteModel.pages`).
    case page(Int)
    /// A missing page (404) (`SiteModel.missingURLs`).
    case missing(Int)
    /// A page on the offsite host (`SiteModel.offsiteURLs`).
    case offsite(Int)
    /// `/static/site.css` of a content host.
    case stylesheet(host: Int)
}

extension ContentPage {
    /// The site logo every page shows (`<img>`); not served (a 404, as broken images are).
    var logoPath: String { "/images/logo-\(host + 1).png" }
    /// The image of the page's image map, written when it has `<area>` links.
    var mapImagePath: String { "/images/map-\(local).png" }
    /// The script every page loads at the end of its body.
    static let scriptPath = "/static/app.js"

    /// The resources the renderer writes outside `links` (`<img src>`, `<script src>`), as
    /// root-relative paths: a correct extractor finds them as links of kind `img` and `script`.
    var resourcePaths: [(kind: LinkKind, path: String)] {
        var paths: [(kind: LinkKind, path: String)] = [(.img, logoPath)]
        if links.contains(where: { $0.role == .area }) { paths.append((.img, mapImagePath)) }
        paths.append((.script, Self.scriptPath))
        return paths
    }
}
