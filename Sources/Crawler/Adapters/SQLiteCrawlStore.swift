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

    public func seed(_ urls: [NormalizedURL]) async throws {
        try store.seed(urls)
    }

    public func requeueInFlight() async throws -> Int {
        try store.resume().requeued
    }

    public func lowestPendingDepth() async throws -> Int? {
        try store.lowestPendingDepth()
    }

    public func claim(limit: Int, depth: Int) async throws -> [FrontierEntry] {
        try await store.claim(limit: limit, depth: depth)
    }

    public func commit(_ pages: [CrawledPage]) async throws {
        // The store's async commit completes even in a cancelled task, so Ctrl-C keeps finished pages.
        try await store.commit(pages.flatMap(Self.records), run: run)
    }

    public func queuedCount() async throws -> Int {
        try store.frontierCounts().queued
    }

    public func storedPagesPerHost() async throws -> [String: Int] {
        try store.fetchedPagesPerHost()
    }

    /// The store's records for one finished page: one per redirect hop, then the page itself.
    static func records(_ page: CrawledPage) -> [PageRecord] {
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
                records.append(.redirect(from: hop, to: target, status: status, depth: page.depth, fetchedAt: now))
            }
            let parsed = fetched.parsed
            records.append(PageRecord(
                url: fetched.finalURL, depth: page.depth, status: fetched.status,
                contentType: ResponseHeaders(contentType: fetched.contentType).mediaType, bytes: fetched.bytes,
                title: parsed?.title, canonicalURL: parsed?.canonicalURL, noindex: parsed?.robots.noindex ?? false,
                redirectTarget: fetched.redirectTarget,
                errorKind: fetched.parseError?.kind, errorMessage: fetched.parseError?.description,
                fetchSeconds: page.timings.fetch, parseSeconds: parsed == nil && fetched.parseError == nil ? nil : page.timings.parse,
                fetchedAt: now, links: page.links, enqueue: page.admitted.map(\.url)))
            return records
        }
    }
}
