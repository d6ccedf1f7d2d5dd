import CrawlerCore

/// The fetch phase as the pipeline sees it: robots, politeness and retries already applied.
/// Every fetch model (sequential, threads, async) plugs in here unchanged.
public protocol PageFetcher: Sendable {
    /// Fetches one URL; failures are values, never thrown.
    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError>
    /// Stops the engine and releases its handles and threads.
    func shutdown() async
}

/// The parse phase as the pipeline sees it. Every parse model (inline, threads, processes) plugs in here.
public protocol PageParser: Sendable {
    /// Parses one fetched HTML page; failures are values, never thrown.
    func parse(_ response: FetchResponse) async -> Result<ParsedPage, ParseError>
    /// Stops the engine (threads joined, worker processes reaped).
    func shutdown() async
    /// The executor the pipeline's page tasks prefer, if the parser has one
    /// (`ParseEngine.preferredTaskExecutor`).
    var preferredTaskExecutor: (any TaskExecutor)? { get }
}

extension PageParser {
    public var preferredTaskExecutor: (any TaskExecutor)? { nil }
}

/// The frontier and the link graph as the pipeline sees them (implemented on SQLite by
/// `SQLiteCrawlStore`). A store must make `commit` atomic: a crawl killed at any instant
/// resumes with nothing lost and nothing stored twice.
public protocol CrawlStore: Sendable {
    /// Adds seeds at depth 0 (known URLs are left as they are).
    func seed(_ urls: [NormalizedURL]) async throws
    /// Puts URLs claimed by a crawl that was killed back in the queue; returns how many.
    func requeueInFlight() async throws -> Int
    /// The smallest depth that still has queued or in-flight URLs; nil when the frontier is empty.
    func lowestPendingDepth() async throws -> Int?
    /// Claims up to `limit` queued URLs of exactly `depth`, marking them in flight.
    func claim(limit: Int, depth: Int) async throws -> [FrontierEntry]
    /// Stores finished pages, their links and the URLs they admit to the frontier, atomically.
    func commit(_ pages: [CrawledPage]) async throws
    /// URLs waiting in the queue (for the progress line).
    func queuedCount() async throws -> Int
    /// Pages already stored per host (for the per-host page cap after a resume).
    func storedPagesPerHost() async throws -> [String: Int]
}
