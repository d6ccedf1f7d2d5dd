import CrawlerCore
import CrawlerFetch
import CrawlerGraph

/// The fetch phase as the pipeline sees it: robots, politeness and retries already applied.
/// Every fetch model (sequential, threads, async) plugs in here unchanged.
public protocol PageFetcher: Sendable {
    /// Fetches one URL; failures are values, never thrown.
    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError>
    /// Stops the engine and releases its handles and threads.
    func shutdown() async
    /// Whether a request to `url` could start now (the scheduler never waits on a host).
    func admission(for url: NormalizedURL) -> HostAdmission
    /// `fetch(_:)` with the host slot `admission(for:)` handed over.
    func fetch(_ url: NormalizedURL, holding slot: HostSlot?) async -> Result<FetchResponse, FetchError>
    /// Makes the robots.txt rules of `url`'s origin known (after `.fetchRobots`); returns the
    /// sitemaps its robots.txt lists (`Sitemap:` lines), which the crawl then fetches as seeds.
    func fetchRobots(for url: NormalizedURL) async -> [NormalizedURL]
}

extension PageFetcher {
    /// A fetcher without politeness of its own: every request may start now.
    public func admission(for url: NormalizedURL) -> HostAdmission { .start(nil) }
    public func fetch(_ url: NormalizedURL, holding slot: HostSlot?) async -> Result<FetchResponse, FetchError> { await fetch(url) }
    public func fetchRobots(for url: NormalizedURL) async -> [NormalizedURL] { [] }
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
    /// Pages it can parse at once (threads or worker processes; 1 inline), for the accounting.
    var parsers: Int { get }
    /// True when `parse` runs on the caller's thread without suspending (inline): the pipeline
    /// then reads the call's CPU from the thread's clock. Otherwise the parse stage's threads
    /// are named `parse-…` and its worker processes are listed in `workerProcessIDs`.
    var parsesOnCallersThread: Bool { get }
    /// The worker processes running now, whose CPU is the parse stage's.
    var workerProcessIDs: [Int32] { get }
}

extension PageParser {
    public var preferredTaskExecutor: (any TaskExecutor)? { nil }
    public var parsers: Int { 1 }
    public var parsesOnCallersThread: Bool { true }
    public var workerProcessIDs: [Int32] { [] }
}

/// The frontier and the link graph as the pipeline sees them (implemented on SQLite by
/// `SQLiteCrawlStore`). A store must make `commit` atomic: a crawl killed at any instant
/// resumes with nothing lost and nothing stored twice.
public protocol CrawlStore: Sendable {
    /// Adds seeds at depth 0 (known URLs are left as they are).
    func seed(_ urls: [NormalizedURL]) async throws
    /// Puts URLs claimed by a crawl that was killed back in the queue; returns how many.
    func requeueInFlight() async throws -> Int
    /// Claims queued URLs per host, breadth-first within each host, marking them in flight:
    /// up to `hosts[name]` of each named host, and `perHost` of each of up to `discover` other
    /// hosts with queued work (shallowest first) that are not among `known` (the hosts the
    /// scheduler holds already). See `GraphStore.claim(hosts:discover:perHost:known:)`.
    func claim(hosts: [String: Int], discover: Int, perHost: Int, known: Set<String>) async throws -> [String: [FrontierEntry]]
    /// Puts claimed URLs that were never started back in the queue.
    func release(_ entries: [FrontierEntry]) async throws
    /// Stores finished pages, their links and the URLs they admit to the frontier, atomically,
    /// keeping depths exact (relaxation) under `rules` (the policy's depth limit); says what it queued.
    func commit(_ pages: [CrawledPage], rules: FrontierRules) async throws -> CommitSummary
    /// URLs waiting in the queue (counted once at the start; the pipeline keeps the count since).
    func queuedCount() async throws -> Int
    /// Pages already stored per host (for the per-host page cap after a resume).
    func storedPagesPerHost() async throws -> [String: Int]
    /// True when other crawler processes share the store (a fleet on PostgreSQL): the queue
    /// count kept in memory is then only an estimate, other hosts' queues fill up without this
    /// process committing anything, and the crawl is over only when `fleetWork()` says so.
    var isShared: Bool { get }
    /// Work left anywhere in a shared crawl: URLs queued, and URLs in flight on other live processes.
    func fleetWork() async throws -> FleetWork
}

extension CrawlStore {
    public var isShared: Bool { false }
    public func fleetWork() async throws -> FleetWork { FleetWork(queued: try await queuedCount(), inFlightElsewhere: 0) }
}

/// Work left in a crawl shared by several processes.
public struct FleetWork: Sendable, Hashable {
    /// URLs waiting in the queue, whoever may claim them.
    public var queued: Int
    /// URLs other live processes are fetching now (their pages may queue more).
    public var inFlightElsewhere: Int

    public init(queued: Int, inFlightElsewhere: Int) {
        self.queued = queued
        self.inFlightElsewhere = inFlightElsewhere
    }
}
