import CrawlerCore
import CrawlerGraph
import Foundation

/// The pipeline's `CrawlStore` on the SQLite link-graph store: the frontier and the graph in
/// one file, each batch of finished pages committed in one transaction.
public struct SQLiteCrawlStore: CrawlStore {
    /// The underlying store.
    public let store: GraphStore
    /// The crawl run the commits belong to.
    public let run: CrawlRunID?

    /// A pipeline store over `store`, recording pages under `run`.
    public init(store: GraphStore, run: CrawlRunID?) {
        self.store = store
        self.run = run
    }

    // The one-off calls at the start run on a thread of Dispatch's, not on the cooperative pool.

    public func seed(_ urls: [NormalizedURL]) async throws {
        try await offPool { [store] in _ = try store.seed(urls) }
    }

    public func requeueInFlight() async throws -> Int {
        try await offPool { [store, run] in try store.resume(current: run).requeued }
    }

    public func claim(hosts: [String: Int], discover: Int, perHost: Int, known: Set<String>) async throws -> [String: [FrontierEntry]] {
        try await store.claim(hosts: hosts, discover: discover, perHost: perHost, known: known)
    }

    public func release(_ entries: [FrontierEntry]) async throws {
        try await store.release(entries.map(\.url))
    }

    public func commit(_ pages: [CrawledPage], rules: FrontierRules) async throws -> CommitSummary {
        // The store's async commit completes even in a cancelled task, so Ctrl-C keeps finished pages.
        try await store.commit(pages.flatMap(\.storeRecords), run: run, rules: rules)
    }

    public func queuedCount() async throws -> Int {
        try await offPool { [store] in try store.frontierCounts().queued }
    }

    public func storedPagesPerHost() async throws -> [String: Int] {
        try await offPool { [store] in try store.fetchedPagesPerHost() }
    }

    /// Runs a blocking store call on a Dispatch thread while the task is suspended.
    private func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
