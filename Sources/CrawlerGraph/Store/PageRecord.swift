import CrawlerCore
import Foundation

/// One completed URL as the pipeline hands it to `GraphStore.commit(_:run:)`: what was fetched
/// (or why not), what the parser found, and which discovered URLs the pipeline decided to follow.
///
/// A redirect hop is a record of its own with a 3xx `status` and a `redirectTarget`; the store
/// records the hop as an edge of kind `redirect`, so the graph stays connected through redirects.
public struct PageRecord: Sendable, Hashable {
    /// The URL this record is about (the URL that was claimed, or a hop of a redirect chain).
    public var url: NormalizedURL
    /// Hops from a seed (seeds are 0).
    public var depth: Int
    /// The HTTP status, nil when the fetch failed.
    public var status: Int?
    /// The media type, lower-cased, without parameters (`text/html`).
    public var contentType: String?
    /// Body size in bytes.
    public var bytes: Int?
    /// The `<title>`.
    public var title: String?
    /// `<link rel=canonical>`.
    public var canonicalURL: NormalizedURL?
    /// `<meta name=robots content=noindex>`.
    public var noindex: Bool
    /// `<meta name=robots content=nofollow>`: none of the page's links pass its depth on.
    public var nofollow: Bool = false
    /// The record continues a redirect chain: it was reached in the same fetch as the record
    /// before it in the batch, so it is stored at that record's depth (which may have shrunk).
    public var inheritsDepth: Bool = false
    /// Where a 3xx response sent the crawler.
    public var redirectTarget: NormalizedURL?
    /// A short stable failure name (`FetchError.kind`, `ParseError.kind`), nil on success.
    public var errorKind: String?
    /// The failure as a sentence.
    public var errorMessage: String?
    /// Seconds the fetch took.
    public var fetchSeconds: Double?
    /// Seconds the parse took.
    public var parseSeconds: Double?
    /// When the response arrived.
    public var fetchedAt: Date
    /// Every outgoing link in document order, duplicates kept (the store counts them).
    public var links: [Link]
    /// The URLs to put on the frontier at `depth + 1` (already filtered by scope, nofollow and
    /// patterns: the pipeline decides; the store parks those deeper than `FrontierRules.maxDepth`).
    /// URLs the frontier already knows are ignored unless this is a shorter path to them.
    public var enqueue: [NormalizedURL]

    /// A record with every field given.
    public init(
        url: NormalizedURL, depth: Int, status: Int? = nil, contentType: String? = nil, bytes: Int? = nil,
        title: String? = nil, canonicalURL: NormalizedURL? = nil, noindex: Bool = false,
        redirectTarget: NormalizedURL? = nil, errorKind: String? = nil, errorMessage: String? = nil,
        fetchSeconds: Double? = nil, parseSeconds: Double? = nil, fetchedAt: Date = Date(),
        links: [Link] = [], enqueue: [NormalizedURL] = []
    ) {
        self.url = url
        self.depth = depth
        self.status = status
        self.contentType = contentType
        self.bytes = bytes
        self.title = title
        self.canonicalURL = canonicalURL
        self.noindex = noindex
        self.redirectTarget = redirectTarget
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.fetchSeconds = fetchSeconds
        self.parseSeconds = parseSeconds
        self.fetchedAt = fetchedAt
        self.links = links
        self.enqueue = enqueue
    }

    /// A fetched page at its final URL, with what the parser found (nil when it was not parsed)
    /// or why parsing failed.
    public init(
        response: FetchResponse, depth: Int, parsed: ParsedPage?, parseError: ParseError? = nil,
        fetchSeconds: Double? = nil, parseSeconds: Double? = nil, fetchedAt: Date = Date(),
        enqueue: [NormalizedURL] = []
    ) {
        self.init(
            url: response.finalURL, depth: depth, status: response.status,
            contentType: response.headers.mediaType, bytes: response.body.count,
            title: parsed?.title, canonicalURL: parsed?.canonicalURL, noindex: parsed?.robots.noindex ?? false,
            errorKind: parseError?.kind, errorMessage: parseError?.description,
            fetchSeconds: fetchSeconds ?? response.timings.total, parseSeconds: parseSeconds,
            fetchedAt: fetchedAt, links: parsed?.links ?? [], enqueue: enqueue)
    }

    /// A URL whose fetch failed (DNS, timeout, robots.txt, …).
    public init(url: NormalizedURL, depth: Int, fetchError: FetchError, fetchSeconds: Double? = nil, fetchedAt: Date = Date()) {
        self.init(
            url: url, depth: depth, errorKind: fetchError.kind, errorMessage: fetchError.description,
            fetchSeconds: fetchSeconds, fetchedAt: fetchedAt)
    }

    /// One hop of a redirect chain: `url` answered `status` (3xx) and sent the crawler to `target`.
    public static func redirect(
        from url: NormalizedURL, to target: NormalizedURL, status: Int, depth: Int, fetchedAt: Date = Date()
    ) -> PageRecord {
        PageRecord(url: url, depth: depth, status: status, redirectTarget: target, fetchedAt: fetchedAt)
    }
}

/// What one `commit` stored.
public struct CommitSummary: Sendable, Hashable {
    /// Page rows written.
    public var pagesStored: Int
    /// Records skipped because their URL already had a page row (e.g. two redirects to one page).
    public var duplicatePages: Int
    /// Distinct link rows written.
    public var linksStored: Int
    /// URLs newly put on the frontier as queued (new, or parked until a shorter path was found).
    public var newlyQueued: Int
    /// Hosts (`host[:port]`) that got newly queued URLs, so a scheduler knows where work appeared.
    public var queuedHosts: Set<String> = []
    /// Known URLs whose depth shrank (a shorter path found after them).
    public var depthsRelaxed: Int = 0
    /// CPU seconds the writer's thread spent on the transaction's statements.
    public var writerCPUSeconds: Double = 0

    /// A summary.
    public init(pagesStored: Int = 0, duplicatePages: Int = 0, linksStored: Int = 0, newlyQueued: Int = 0) {
        self.pagesStored = pagesStored
        self.duplicatePages = duplicatePages
        self.linksStored = linksStored
        self.newlyQueued = newlyQueued
    }
}
