import GRDB

/// A page row as stored, for checks against an answer key and for tests.
public struct StoredPage: Sendable, Hashable {
    /// The page's URL.
    public var url: String
    /// Its breadth-first depth.
    public var depth: Int
    /// HTTP status; nil when the fetch failed.
    public var status: Int?
    /// The failure's kind (`FetchError.kind`, `ParseError.kind`, `host-page-cap`), nil on success.
    public var errorKind: String?
    /// Where a redirect hop sent the crawler.
    public var redirectTarget: String?
    /// Media type, without parameters.
    public var contentType: String?

    public init(url: String, depth: Int, status: Int?, errorKind: String?, redirectTarget: String?, contentType: String?) {
        self.url = url
        self.depth = depth
        self.status = status
        self.errorKind = errorKind
        self.redirectTarget = redirectTarget
        self.contentType = contentType
    }
}

/// One distinct link as stored.
public struct StoredLink: Sendable, Hashable {
    /// The page the link is on.
    public var source: String
    /// Where it points.
    public var target: String
    /// A `LinkKind`: the element (`a`, `link`, `img`, …) or the mechanism (`redirect`, `refresh`).
    public var kind: String
    /// The `rel` tokens of the page's links of this kind to this target, lower-cased; nil when none.
    public var rel: String?
    /// Whether the link carries rel=nofollow.
    public var nofollow: Bool
    /// How many times the page links there this way.
    public var count: Int

    public init(source: String, target: String, kind: String, rel: String? = nil, nofollow: Bool, count: Int = 1) {
        self.source = source
        self.target = target
        self.kind = kind
        self.rel = rel
        self.nofollow = nofollow
        self.count = count
    }
}

extension GraphStore {
    /// Every page row. Holds them all in memory: for checks on small crawls, not for exports.
    public func storedPages() throws -> [StoredPage] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.url, p.depth, p.status, p.error_kind, r.url, p.content_type
                FROM pages p JOIN urls u ON u.id = p.url_id LEFT JOIN urls r ON r.id = p.redirect_target_id
                ORDER BY u.url
                """).map { row in
                StoredPage(url: row[0], depth: row[1], status: row[2], errorKind: row[3], redirectTarget: row[4], contentType: row[5])
            }
        }
    }

    /// Every link row (one per source, target and kind). Holds them all in memory: for
    /// checks on small crawls.
    public func storedLinks() throws -> [StoredLink] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.url, t.url, l.kind, \(try GraphSchema.linkRelExpression(db)), l.nofollow, l.count
                FROM links l JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id
                ORDER BY s.url, t.url, l.kind
                """).map { row in
                StoredLink(source: row[0], target: row[1], kind: row[2], rel: row[3], nofollow: row[4], count: row[5])
            }
        }
    }
}
