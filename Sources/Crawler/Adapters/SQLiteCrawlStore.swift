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
        try await store.commit(pages.flatMap(Self.records), run: run, rules: rules)
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

    /// The store's records for one finished page: one per redirect hop, then the page itself.
    package static func records(_ page: CrawledPage) -> [PageRecord] {
        let now = Date()
        switch page.outcome {
        case .failed(let error):
            return [PageRecord(url: page.url, depth: page.depth, fetchError: error, fetchSeconds: page.timings.fetch, fetchedAt: now)]
        case .skipped(let reason):
            return [PageRecord(url: page.url, depth: page.depth, errorKind: reason, errorMessage: "not fetched: \(reason)", fetchedAt: now)]
        case .fetched(let fetched):
            var records: [PageRecord] = []
            let hops = page.redirectChain
            for (index, hop) in hops.enumerated() {
                let target = index + 1 < hops.count ? hops[index + 1] : fetched.finalURL
                let status = index < page.redirectStatuses.count ? page.redirectStatuses[index] : 302
                var record = PageRecord.redirect(from: hop, to: target, status: status, depth: page.depth, fetchedAt: now)
                record.inheritsDepth = index > 0  // hops of one fetch share the claimed URL's depth
                records.append(record)
            }
            let parsed = fetched.parsed
            var record = PageRecord(
                url: fetched.finalURL, depth: page.depth, status: fetched.status,
                contentType: ResponseHeaders(contentType: fetched.contentType).mediaType, bytes: fetched.bytes,
                title: parsed?.title, canonicalURL: parsed?.canonicalURL, noindex: parsed?.robots.noindex ?? false,
                redirectTarget: fetched.redirectTarget,
                errorKind: fetched.parseError?.kind, errorMessage: fetched.parseError?.description,
                fetchSeconds: page.timings.fetch, parseSeconds: parsed == nil && fetched.parseError == nil ? nil : page.timings.parse,
                fetchedAt: now, links: page.links, enqueue: page.admitted.map(\.url))
            record.nofollow = parsed?.robots.nofollow ?? false
            record.inheritsDepth = !hops.isEmpty
            records.append(record)
            return records
        }
    }
}
