import CrawlerCore

/// One finished frontier entry: what was fetched, what was parsed, and which URLs it admits
/// to the frontier. The unit the store commits atomically.
public struct CrawledPage: Sendable {
    /// The URL that was claimed.
    public var url: NormalizedURL
    /// Its depth.
    public var depth: Int
    /// What happened to it.
    public var outcome: Outcome
    /// Redirect hops before the final URL (claimed URL first), each stored as its own page.
    public var redirects: [RedirectHop]
    /// Links found on the page (all of them, nofollow included), for the graph.
    public var links: [Link]
    /// Targets admitted to the frontier at `depth + 1` (the final URL of a redirect at `depth`).
    public var admitted: [FrontierEntry]
    /// Where the page's time went.
    public var timings: PageTimings
    /// Each hop's request and response as they crossed the wire, for the archive (`--warc`);
    /// empty otherwise, and emptied once the archive has them.
    public var exchanges: [HTTPExchange] = []

    /// A finished page.
    public init(url: NormalizedURL, depth: Int, outcome: Outcome, redirects: [RedirectHop] = [], links: [Link] = [], admitted: [FrontierEntry] = [], timings: PageTimings = PageTimings()) {
        self.url = url
        self.depth = depth
        self.outcome = outcome
        self.redirects = redirects
        self.links = links
        self.admitted = admitted
        self.timings = timings
    }

    /// What happened to a frontier entry.
    public enum Outcome: Sendable {
        /// Fetched; `parsed` is nil for non-HTML or non-2xx bodies, `parseError` says why it failed if it did.
        case fetched(FetchedPage)
        /// The fetch failed (after retries).
        case failed(FetchError)
        /// Not fetched on purpose (per-host page cap, `--max-pages`).
        case skipped(reason: String)
    }
}

/// The stored facts of a fetched page (the body itself is not kept).
public struct FetchedPage: Sendable {
    /// The URL the body came from.
    public var finalURL: NormalizedURL
    /// HTTP status.
    public var status: Int
    /// The media type of `Content-Type`, lower-cased, without parameters (`text/html`).
    public var mediaType: String?
    /// Body size in bytes.
    public var bytes: Int
    /// Where a final 3xx response points, when the fetcher did not follow it (robots.txt forbids
    /// the target, or the redirect limit was reached): the target goes to the frontier like a link.
    public var redirectTarget: NormalizedURL?
    /// The parsed page, for 2xx HTML.
    public var parsed: ParsedPage?
    /// Why parsing failed or was not attempted, when it was expected.
    public var parseError: ParseError?

    /// The facts of `response`, before anything is parsed from its body.
    public init(_ response: FetchResponse) {
        self.finalURL = response.finalURL
        self.status = response.status
        self.mediaType = response.headers.mediaType
        self.bytes = response.body.count
    }
}

/// Seconds a page spent in each phase.
public struct PageTimings: Sendable, Hashable, Codable {
    /// The fetch call's wall time: its transfers plus any wait inside it for a host's turn
    /// (redirect hops, retries) and robots.txt.
    public var fetch: Double
    /// Parsing, as the pipeline waited for it (wall time of the call: queueing and IPC included).
    public var parse: Double
    /// Of `fetch`, the transfers' own time (every hop, as curl reports it).
    public var network: Double = 0
    /// Of `parse`, the CPU the call used on the caller's thread (inline parsing only; 0 where
    /// the parse runs elsewhere and its CPU is read from that thread or process).
    public var parseCPU: Double = 0
    /// From the claim into the scheduler's window to the start of the fetch.
    public var window: Double = 0

    /// Timings.
    public init(fetch: Double = 0, parse: Double = 0) {
        self.fetch = fetch
        self.parse = parse
    }
}

/// A page that failed (fetch, HTTP status of 400 or more, parse) or was skipped, as a log line
/// or a JSON record reports it.
public struct PageFailure: Sendable, Hashable {
    /// The URL that was claimed.
    public var url: String
    /// A short stable name (`timeout`, `http-404`, `host-page-cap`, …), as the summary counts it.
    public var kind: String
    /// What happened, in a sentence.
    public var message: String

    /// The failure of `page`; nil when it was fetched (and parsed, if HTML) without error.
    public init?(_ page: CrawledPage) {
        url = page.url.string
        switch page.outcome {
        case .failed(let error):
            kind = error.kind
            message = error.description
        case .skipped(let reason):
            kind = reason
            message = "not fetched: \(reason)"
        case .fetched(let fetched):
            if let error = fetched.parseError {
                kind = error.kind
                message = error.description
            } else if fetched.status >= 400 {
                kind = "http-\(fetched.status)"
                message = "the server answered \(fetched.status)"
            } else {
                return nil
            }
        }
    }
}
