/// What the parse phase extracted from one HTML page.
public struct ParsedPage: Sendable, Hashable, Codable {
    /// The page's own (final) URL.
    public var url: NormalizedURL
    /// The `<title>`, whitespace collapsed, when present.
    public var title: String?
    /// `<link rel=canonical href>`, resolved and normalized, when present.
    public var canonicalURL: NormalizedURL?
    /// `<meta name=robots>` directives.
    public var robots: MetaRobots
    /// Every outgoing link, in document order; duplicates kept (the store counts them).
    public var links: [Link]

    /// A parsed page.
    public init(url: NormalizedURL, title: String? = nil, canonicalURL: NormalizedURL? = nil, robots: MetaRobots = MetaRobots(), links: [Link] = []) {
        self.url = url
        self.title = title
        self.canonicalURL = canonicalURL
        self.robots = robots
        self.links = links
    }
}

/// The directives of `<meta name="robots" content="...">` that a crawler honours.
public struct MetaRobots: Sendable, Hashable, Codable {
    /// The page asks not to be indexed.
    public var noindex: Bool
    /// The page asks that its links not be followed.
    public var nofollow: Bool

    /// Directives as parsed.
    public init(noindex: Bool = false, nofollow: Bool = false) {
        self.noindex = noindex
        self.nofollow = nofollow
    }
}
