import CrawlerCore

/// What the archive keeps of one finished page: each hop's wire exchange (redirects first) and
/// the links found on the final one, for a `metadata` record.
public struct ArchivedPage: Sendable {
    /// Each hop's request and response, in order.
    public var exchanges: [HTTPExchange]
    /// The links of the final page: target URL and kind name (`a`, `link`, `img`, …).
    public var outlinks: [Outlink]

    /// A page to archive.
    public init(exchanges: [HTTPExchange], outlinks: [Outlink] = []) {
        self.exchanges = exchanges
        self.outlinks = outlinks
    }

    /// One link in a `metadata` record: `outlink: URL KIND`, as Heritrix writes them.
    public struct Outlink: Sendable, Hashable {
        /// The link's absolute target.
        public var target: String
        /// The kind of element it came from.
        public var kind: String

        /// An outlink.
        public init(target: String, kind: String) {
            self.target = target
            self.kind = kind
        }
    }

    /// Bytes held in memory by this page (for the writer's backlog budget).
    var byteCount: Int {
        exchanges.reduce(0) { $0 + $1.requestHeader.count + $1.responseHeader.count + $1.payload.count } + outlinks.count * 64
    }
}

/// The first `response` record of a payload, which later identical payloads point at with a
/// `revisit` record (WARC 1.1 §6.7.2, identical-payload-digest profile).
public struct ArchivedResponse: Sendable, Hashable {
    /// Its `WARC-Record-ID`.
    public var recordID: String
    /// Its `WARC-Target-URI`.
    public var targetURI: String
    /// Its `WARC-Date`.
    public var date: String
}
