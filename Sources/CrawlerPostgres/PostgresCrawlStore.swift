import Crawler
import CrawlerCore
import CrawlerGraph
import Synchronization

/// The pipeline's `CrawlStore` on PostgreSQL for one node of a fleet: claims go through host
/// leases, and the node keeps count of what it holds of each host, so a host's lease is handed
/// back only when the node has nothing of it left in flight.
public final class PostgresCrawlStore: CrawlStore {
    public let store: PostgresGraphStore
    public let node: NodeID
    public let run: CrawlRunID?
    /// How long a lease lasts without renewal: what a dead node costs the fleet.
    public let leaseSeconds: Double
    /// How long a host this node hands back stays untaken: the crawl's per-host delay, so that
    /// `--delay` holds between two nodes' requests as between one node's.
    public let handoverSeconds: Double
    /// URLs claimed and not yet committed or released, per host.
    private let held = Mutex<[String: Int]>([:])

    public init(store: PostgresGraphStore, node: NodeID, run: CrawlRunID?, leaseSeconds: Double, handoverSeconds: Double) {
        self.store = store
        self.node = node
        self.run = run
        self.leaseSeconds = leaseSeconds
        self.handoverSeconds = handoverSeconds
    }

    public var isShared: Bool { true }

    public func seed(_ urls: [NormalizedURL]) async throws {
        try await store.seed(urls)
    }

    /// Only URLs of nodes that are gone go back to the queue: other nodes' claims are live work.
    public func requeueInFlight() async throws -> Int {
        try await store.reapDeadNodes(leaseSeconds: leaseSeconds, handoverSeconds: handoverSeconds)
    }

    public func claim(hosts: [String: Int], discover: Int, perHost: Int, known: Set<String>) async throws -> [String: [FrontierEntry]] {
        let claimed = try await store.claim(
            node: node, hosts: hosts, discover: discover, perHost: perHost, known: known, leaseSeconds: leaseSeconds,
            handoverSeconds: handoverSeconds, holding: held.withLock { Set($0.keys) })
        held.withLock { counts in
            for (host, entries) in claimed { counts[host, default: 0] += entries.count }
        }
        return claimed
    }

    public func release(_ entries: [FrontierEntry]) async throws {
        try await store.release(entries.map(\.url), node: node)
        forget(entries.map(\.url))
    }

    public func commit(_ pages: [CrawledPage], rules: FrontierRules) async throws -> CommitSummary {
        let summary = try await store.commit(pages.flatMap(\.storeRecords), node: node, run: run, rules: rules)
        forget(pages.map(\.url))
        return summary
    }

    private func forget(_ urls: [NormalizedURL]) {
        held.withLock { counts in
            for url in urls {
                let host = url.authority
                if let count = counts[host] { counts[host] = count > 1 ? count - 1 : nil }
            }
        }
    }

    public func queuedCount() async throws -> Int {
        try await store.frontierCounts().queued
    }

    public func storedPagesPerHost() async throws -> [String: Int] {
        try await store.fetchedPagesPerHost()
    }

    public func fleetWork() async throws -> FleetWork {
        let (queued, elsewhere) = try await store.fleetWork(node: node)
        return FleetWork(queued: queued, inFlightElsewhere: elsewhere)
    }
}
