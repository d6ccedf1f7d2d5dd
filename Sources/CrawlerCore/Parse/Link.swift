/// One outgoing link of a page.
///
/// The extraction contract, shared by the parser, the synthetic web's answer key and every
/// test (a "correct extractor" finds exactly these):
/// - elements: `<a href>`, `<area href>`, `<link href>` (any `rel`), `<iframe src>`,
///   `<frame src>`, `<img src>`, `<script src>`, `<video src>`, `<audio src>`, `<source src>`,
///   `<embed src>`, and the URL of `<meta http-equiv=refresh content="N; url=…">`; nothing else
///   (`form action`, `srcset`, links in scripts, styles and comments are not links);
/// - the reference is resolved against the first `<base href>` (itself resolved against the
///   page URL) or else the page's final URL, then normalized by `NormalizedURL`;
/// - only `http` and `https` targets are kept: `javascript:`, `mailto:`, `tel:`, `data:` and
///   anything else are dropped, as are references that cannot be parsed;
/// - `rel=nofollow` links are kept and marked; the crawler records them but does not follow them.
///
/// Every link is kept for the graph; which ones the crawler follows depends on its `role`
/// (see `LinkRole.isFollowedByDefault` and `--follow-resources`).
public struct Link: Sendable, Hashable, Codable {
    /// The resolved, normalized target.
    public var target: NormalizedURL
    /// The element the link came from (or the mechanism: `refresh`).
    public var kind: LinkKind
    /// The `rel` attribute, lower-cased, when present.
    public var rel: String?
    /// Anchor text (or `alt`/`title` for `area`), whitespace collapsed, trimmed and bounded.
    public var anchorText: String
    /// `rel` contains `nofollow`.
    public var nofollow: Bool
    /// A sitemap entry's `<lastmod>` as written (W3C datetime, trimmed); nil for other links.
    /// Not carried by the worker wire format: sitemaps are not parsed in worker processes.
    public var lastmod: String?

    /// A link.
    public init(target: NormalizedURL, kind: LinkKind, rel: String? = nil, anchorText: String = "", nofollow: Bool = false, lastmod: String? = nil) {
        self.target = target
        self.kind = kind
        self.rel = rel
        self.anchorText = anchorText
        self.nofollow = nofollow
        self.lastmod = lastmod
    }

    /// What the link is for, from its element and `rel`.
    public var role: LinkRole { LinkRole(kind: kind, rel: rel) }
}

extension StringProtocol {
    /// The tokens of an HTML token list (`rel`, `class`): split on ASCII whitespace, as HTML
    /// splits them. One definition for the extractor, the roles and the store's rel merging.
    public var htmlTokens: [SubSequence] {
        split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
    }
}

/// The element a link was found in, or the mechanism that made it (`refresh`, `redirect`,
/// `sitemap`). The name is what the store and every export write in an edge's `kind`.
///
/// The order of the cases is part of the worker wire format (a kind travels as its index in
/// `allCases`, in four bits): add new cases at the end, at most 16.
public enum LinkKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// `<a href>`
    case a
    /// `<area href>`
    case area
    /// `<link href>`: its `rel` says what it is for.
    case link
    /// `<iframe src>`
    case iframe
    /// `<frame src>`
    case frame
    /// `<img src>`
    case img
    /// `<script src>`
    case script
    /// `<video src>`
    case video
    /// `<audio src>`
    case audio
    /// `<source src>` (inside `<video>`, `<audio>` or `<picture>`)
    case source
    /// `<embed src>`
    case embed
    /// `<meta http-equiv="refresh" content="0; url=…">`
    case refresh
    /// An HTTP redirect: the edge from a 3xx page to its `Location`.
    case redirect
    /// A URL listed in a sitemap (`<url><loc>`, or `<sitemap><loc>` of a sitemap index).
    case sitemap
}

/// What a link is for: the classes a crawler follows or not, as Scrapy's link extractor and
/// `wget -r` / `wget -p` draw the line.
///
/// | role | links |
/// |---|---|
/// | `hyperlink` | `a`, `area`, `iframe`, `frame`; `<link>` whose `rel` names a document (`next`, `prev`, `up`, `index`, `help`, `author`, `license`, …) |
/// | `canonical` | `<link rel=canonical>` |
/// | `alternate` | `<link rel=alternate>` (translations, feeds, print versions) |
/// | `resource` | `img`, `script`, media, `embed`; `<link>` for anything else (`stylesheet`, `icon`, `preload`, `manifest`, `search`, …, or no `rel`) |
/// | `redirect`, `refresh`, `sitemap` | the mechanisms of the same names |
public enum LinkRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// A link to another document a reader would follow.
    case hyperlink
    /// `<link rel=canonical>`: the page's preferred URL.
    case canonical
    /// `<link rel=alternate>`: another version of the page.
    case alternate
    /// Something the page loads to display itself: styles, scripts, images, media.
    case resource
    /// An HTTP redirect.
    case redirect
    /// A `<meta http-equiv=refresh>` redirect.
    case refresh
    /// Listed in a sitemap.
    case sitemap

    /// `<link rel>` values that name another document (HTML's "hyperlink" link types and the
    /// navigation ones older sites still use).
    private static let documentRels: Set<Substring> = [
        "next", "prev", "previous", "up", "index", "contents", "toc", "start", "first", "last", "help",
        "glossary", "chapter", "section", "subsection", "appendix", "author", "license", "bookmark", "top", "home",
    ]

    /// The role of a link of `kind` with `rel` (lower-cased, space-separated tokens).
    public init(kind: LinkKind, rel: String?) {
        switch kind {
        case .a, .area, .iframe, .frame: self = .hyperlink
        case .img, .script, .video, .audio, .source, .embed: self = .resource
        case .refresh: self = .refresh
        case .redirect: self = .redirect
        case .sitemap: self = .sitemap
        case .link:
            let tokens = (rel ?? "").htmlTokens
            if tokens.contains("canonical") {
                self = .canonical
            } else if tokens.contains("alternate"), !tokens.contains("stylesheet") {
                self = .alternate
            } else if tokens.contains(where: { Self.documentRels.contains($0) }) {
                self = .hyperlink
            } else {
                self = .resource
            }
        }
    }

    /// Followed without `--follow-resources`: hyperlinks, canonical URLs and redirects of every
    /// kind (what `wget -r` and Scrapy follow); resources and alternates only with it (`wget -p`).
    public var isFollowedByDefault: Bool {
        switch self {
        case .hyperlink, .canonical, .redirect, .refresh, .sitemap: true
        case .alternate, .resource: false
        }
    }

    /// Whether a crawl follows links of this role: always when `isFollowedByDefault`, the
    /// others with `--follow-resources`.
    public func isFollowed(followResources: Bool) -> Bool {
        followResources || isFollowedByDefault
    }
}
